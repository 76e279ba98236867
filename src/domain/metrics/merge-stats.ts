// Merging WindowStats of disjoint sets of events: exact for every counter and sum, so a
// window's statistics are the merge of its hours' (split-merge equals whole, property-tested).
import type { StatsContext } from './context.js';
import { EXACT_VALUES, EXACT_VALUES_ACCUMULATED, mergeValues } from './exact-values.js';
import { addHistInto, mutableHist, usedSlots } from './fine-hist.js';
import { mergeScoreHistInto } from './score-hist.js';
import { cloneAttributionStats, mergeAttributionsInto } from './attributions.js';
import { emptyCbpeStats, mergeCbpeInto } from './cbpe.js';
import { emptyStats, groupCounters, type ColumnStats, type PerfStats, type WindowStats } from './window-stats.js';

function mergeColumnInto(t: ColumnStats, s: ColumnStats, nslots: number, limit: number): void {
  t.missing += s.missing;
  t.mismatch += s.mismatch;
  if (t.kind === 'numeric' && s.kind === 'numeric') {
    t.usable += s.usable;
    t.belowMin += s.belowMin;
    t.aboveMax += s.aboveMax;
    t.outOfRange += s.outOfRange;
    if (s.hist) {
      const h = (t.hist = mutableHist(t.hist, nslots, usedSlots(s.hist)));
      addHistInto(h, s.hist, 1, nslots);
    }
    t.values = t.values !== null && s.values !== null ? mergeValues(t.values, s.values, limit) : null;
  } else if (t.kind === 'categorical' && s.kind === 'categorical') {
    for (const [k, c] of s.counts) t.counts.set(k, (t.counts.get(k) ?? 0) + c);
  } else throw new Error('merging statistics of different column kinds');
}

function mergePerfInto(t: PerfStats, s: PerfStats): void {
  if (t.kind === 'binary' && s.kind === 'binary') {
    t.tp += s.tp;
    t.fp += s.fp;
    t.tn += s.tn;
    t.fn += s.fn;
    t.unscored += s.unscored;
    t.logLossSum += s.logLossSum;
    t.brierSum += s.brierSum;
    mergeScoreHistInto(t.scores, s.scores);
  } else if (t.kind === 'multiclass' && s.kind === 'multiclass') {
    for (const [k, c] of s.confusion) t.confusion.set(k, (t.confusion.get(k) ?? 0) + c);
  } else if (t.kind === 'regression' && s.kind === 'regression') {
    const ta = t.n + t.rmN;
    const sa = s.n + s.rmN;
    if (sa > 0) {
      const n = ta + sa;
      const delta = s.yMean - t.yMean;
      // Chan, Golub & LeVeque (1979) pairwise update: no cancellation
      t.yM2 += s.yM2 + (delta * delta * ta * sa) / n;
      t.yMean += (delta * sa) / n;
    }
    if (s.rmN > 0) {
      const n = t.rmN + s.rmN;
      const delta = s.rmMean - t.rmMean;
      t.rmM2 += s.rmM2 + (delta * delta * t.rmN * s.rmN) / n;
      t.rmMean += (delta * s.rmN) / n;
      t.rmN = n;
    }
    t.n += s.n;
    t.absSum += s.absSum;
    t.sqSum += s.sqSum;
    t.apeSum += s.apeSum;
    t.apeCount += s.apeCount;
  } else throw new Error('merging statistics of different tasks');
}

/** How many distinct exact values a merge keeps: parts of one hour, or a window of hours. */
export const HOUR_PARTS = EXACT_VALUES_ACCUMULATED;
export const WINDOW = EXACT_VALUES;

/**
 * Adds `src` into `target` (which it mutates; `src` is left as it was). `valuesLimit` is
 * HOUR_PARTS when both are parts of the same hour (partials, a compacted hour), so the
 * hour keeps exactly the exact values its events accumulated in one go would.
 */
export function mergeInto(target: WindowStats, src: WindowStats, ctx: StatsContext, valuesLimit: number = WINDOW): void {
  if (target.key !== src.key) throw new Error('merging statistics built against different baselines or thresholds');
  target.histograms = target.histograms && src.histograms;
  target.count += src.count;
  target.labeled += src.labeled;
  target.scoreSum += src.scoreSum;
  target.scoreCount += src.scoreCount;
  target.valueSum += src.valueSum;
  target.valueCount += src.valueCount;
  for (let i = 0; i < target.features.length; i++) mergeColumnInto(target.features[i]!, src.features[i]!, ctx.features[i]!.nslots, valuesLimit);
  mergeColumnInto(target.output, src.output, ctx.output.nslots, valuesLimit);
  mergePerfInto(target.perf, src.perf);
  for (let a = 0; a < target.fairness.length; a++) {
    for (const [g, c] of src.fairness[a]!) {
      const t = groupCounters(target, a, g);
      for (let k = 0; k < c.length; k++) t[k]! += c[k]!;
    }
  }
  if (src.attributions) {
    if (target.attributions) mergeAttributionsInto(target.attributions, src.attributions);
    else target.attributions = cloneAttributionStats(src.attributions);
  }
  if (src.cbpe) mergeCbpeInto((target.cbpe ??= emptyCbpeStats()), src.cbpe);
}

/** The statistics of the union of two disjoint sets of events. */
export function merge(a: WindowStats, b: WindowStats, ctx: StatsContext): WindowStats {
  const out = emptyStats(ctx);
  out.key = a.key;
  mergeInto(out, a, ctx);
  mergeInto(out, b, ctx);
  return out;
}

/** A deep copy, safe to mutate. */
export function cloneStats(s: WindowStats, ctx: StatsContext): WindowStats {
  const out = emptyStats(ctx);
  out.key = s.key;
  mergeInto(out, s, ctx);
  return out;
}

/**
 * Drops the exact values of every column whose values `hour` (a whole hour) no longer
 * keeps: merging a part of an hour into a window cannot tell on its own.
 */
export function dropValuesLostIn(target: WindowStats, hour: WindowStats): void {
  const cols = [...target.features, target.output];
  const from = [...hour.features, hour.output];
  for (let i = 0; i < cols.length; i++) {
    const t = cols[i]!;
    if (t.kind === 'numeric' && from[i]!.kind === 'numeric' && (from[i] as typeof t).values === null) t.values = null;
  }
}
