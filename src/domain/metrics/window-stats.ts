// WindowStats: everything the metrics of METRICS.md need about a set of events, kept as
// counts and sums so that statistics of disjoint sets merge exactly (ARCHITECTURE rule 4:
// aggregate as you go). One per (model, UTC hour) is stored; any window is a merge.
import type { ColumnContext, StatsContext } from './context.js';
import type { StatsEvent } from './stats-event.js';
import { addToHist, mutableHist, slotOfIndexed, sparseFromSorted, type FineHist } from './fine-hist.js';
import { addScore, emptyScoreHist, type ScoreHist } from './score-hist.js';
import { categoryOf } from './values.js';
import { EXACT_VALUES_ACCUMULATED, sortedValues, ValueCounts, valueCounts, type ExactValues } from './exact-values.js';
import { addAttributions, emptyAttributionStats, type AttributionStats } from './attributions.js';
import { addCbpeEvent, emptyCbpeStats, type CbpeStats } from './cbpe.js';
import { sortedOf, sparseOf, ValueRows, type RowLog } from './value-log.js';

/** An event as accumulated: its features as received, its prediction and its actual. */
export type { StatsEvent };

export interface NumericColumnStats {
  kind: 'numeric';
  missing: number;
  mismatch: number;
  usable: number;
  /** usable values below the declared min / above the declared max (when declared) */
  belowMin: number;
  aboveMax: number;
  /** usable values outside [lo, hi] of the baseline profile (declared bounds first); 0 without a baseline */
  outOfRange: number;
  /** against the profile's fine edges; null without a baseline */
  hist: FineHist | null;
  /** value -> count while few distinct values (exact-values.ts), then null (fine histogram only) */
  values: ExactValues | null;
}

export interface CategoricalColumnStats {
  kind: 'categorical';
  missing: number;
  mismatch: number;
  counts: Map<string, number>;
}

export type ColumnStats = NumericColumnStats | CategoricalColumnStats;

export interface BinaryPerf {
  kind: 'binary';
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** labelled events without a score: logLoss, brier and AUC are null while any exist */
  unscored: number;
  logLossSum: number;
  brierSum: number;
  scores: ScoreHist;
}

export interface MulticlassPerf {
  kind: 'multiclass';
  /** actual + NUL + (SOH when no prediction, else STX + predicted) -> count */
  confusion: Map<string, number>;
}

export interface RegressionPerf {
  kind: 'regression';
  /** labelled events with a value (net: added minus removed) */
  n: number;
  absSum: number;
  sqSum: number;
  apeSum: number;
  apeCount: number;
  /** mean and sum of squared deviations of the actuals added, n + rmN of them (Chan et al. merge) */
  yMean: number;
  yM2: number;
  /**
   * the same of the actuals removed (replaced): a partial may remove an actual that
   * another row added, so removals are kept apart and subtracted only when read
   * (regressionSpread), which keeps merging associative
   */
  rmN: number;
  rmMean: number;
  rmM2: number;
}

export type PerfStats = BinaryPerf | MulticlassPerf | RegressionPerf;

/** Per group of a protected attribute: the counters fairness needs. */
export const G_COUNT = 0;
export const G_PRED = 1;
export const G_PRED_POS = 2;
export const G_LAB_POS = 3;
export const G_LAB_NEG = 4;
export const G_TP = 5;
export const G_FP = 6;

export interface WindowStats {
  /** the context's statsKey when built (baseline layout, threshold, positive class) */
  key: string;
  /** false when read without the numeric histograms (enough for all but drift) */
  histograms: boolean;
  count: number;
  labeled: number;
  scoreSum: number;
  scoreCount: number;
  valueSum: number;
  valueCount: number;
  features: ColumnStats[];
  output: ColumnStats;
  perf: PerfStats;
  /** per protected attribute (context order): group -> counters G_* */
  fairness: Array<Map<string, number[]>>;
  /** per feature (context order): finite attributions and Σ|a|; null until an event carries one */
  attributions: AttributionStats | null;
  /** CBPE's expected confusion counts and AUC histogram (cbpe.ts); null when the context has no calibration (no estimate) */
  cbpe: CbpeStats | null;
}

const LOGLOSS_EPS = 1e-15;

// histograms are allocated on the first value: an empty window costs nothing
function emptyColumn(numeric: boolean): ColumnStats {
  return numeric
    ? { kind: 'numeric', missing: 0, mismatch: 0, usable: 0, belowMin: 0, aboveMax: 0, outOfRange: 0, hist: null, values: new ValueCounts() }
    : { kind: 'categorical', missing: 0, mismatch: 0, counts: new Map() };
}

function emptyPerf(ctx: StatsContext): PerfStats {
  if (ctx.task === 'REGRESSION') return { kind: 'regression', n: 0, absSum: 0, sqSum: 0, apeSum: 0, apeCount: 0, yMean: 0, yM2: 0, rmN: 0, rmMean: 0, rmM2: 0 };
  if (ctx.task === 'MULTICLASS_CLASSIFICATION') return { kind: 'multiclass', confusion: new Map() };
  return { kind: 'binary', tp: 0, fp: 0, tn: 0, fn: 0, unscored: 0, logLossSum: 0, brierSum: 0, scores: emptyScoreHist() };
}

/** Statistics of no event, ready to accumulate into. */
export function emptyStats(ctx: StatsContext): WindowStats {
  return {
    key: ctx.statsKey,
    histograms: true,
    count: 0,
    labeled: 0,
    scoreSum: 0,
    scoreCount: 0,
    valueSum: 0,
    valueCount: 0,
    features: ctx.features.map((c) => emptyColumn(c.numeric)),
    output: emptyColumn(ctx.output.numeric),
    perf: emptyPerf(ctx),
    fairness: ctx.protectedIdx.map(() => new Map()),
    attributions: null,
    cbpe: ctx.calibration === null ? null : emptyCbpeStats(),
  };
}

/**
 * Counts a value as a row holds it (rowValue: NaN missing, Infinity mismatched, else
 * usable, and against the declared bounds); true when usable. The one place both
 * accumulate and settleLog count a numeric column.
 */
function countRowValue(col: NumericColumnStats, c: StatsContext['features'][number], v: number): boolean {
  if (v !== v) {
    col.missing++;
    return false;
  }
  if (v === Infinity) {
    col.mismatch++;
    return false;
  }
  col.usable++;
  if (c.declaredMin !== null && v < c.declaredMin) col.belowMin++;
  if (c.declaredMax !== null && v > c.declaredMax) col.aboveMax++;
  return true;
}

/** Adds a usable value to the column's exact values and fine histogram. */
function addUsable(col: NumericColumnStats, c: StatsContext['features'][number], v: number): void {
  if (col.values !== null) {
    const m = (col.values = valueCounts(col.values));
    m.add(v);
    if (m.size > EXACT_VALUES_ACCUMULATED) col.values = null;
  }
  if (c.index !== null) {
    const h = col.hist;
    const s = slotOfIndexed(c.index, v);
    if (s < c.loSlot || s > c.hiSlot) col.outOfRange++;
    col.hist = addToHist(h !== null && h.form !== 'sparse' ? h : mutableHist(h, c.nslots, 1), s, v, c.nslots);
  }
}

function addNumeric(col: NumericColumnStats, c: StatsContext['features'][number], v: unknown): void {
  const x = rowValue(v);
  if (countRowValue(col, c, x)) addUsable(col, c, x);
}

function addCategorical(col: CategoricalColumnStats, v: unknown): void {
  const k = categoryOf(v);
  if (k === null) col.missing++;
  else if (k === undefined) col.mismatch++;
  else col.counts.set(k, (col.counts.get(k) ?? 0) + 1);
}

function addColumn(col: ColumnStats, c: StatsContext['features'][number], v: unknown): void {
  if (col.kind === 'numeric') addNumeric(col, c, v);
  else addCategorical(col, v);
}

/** Predicted class of a binary event: score >= threshold, else its label; null with neither. */
export function predictedPositive(ctx: StatsContext, e: StatsEvent): boolean | null {
  if (e.score !== null) return e.score >= ctx.threshold;
  if (e.predictedLabel !== null) return e.predictedLabel === ctx.positiveClass;
  return null;
}

function isLabelled(ctx: StatsContext, e: StatsEvent): boolean {
  return ctx.task === 'REGRESSION' ? e.actualValue !== null : e.actualLabel !== null;
}

/**
 * Adds (sign 1) or removes (sign -1) what depends on the event's actual: labelled count,
 * performance and the labelled part of fairness. Used alone when an actual arrives or is
 * replaced; an event with no actual changes nothing.
 */
export function applyLabel(stats: WindowStats, e: StatsEvent, ctx: StatsContext, sign: 1 | -1): void {
  if (!isLabelled(ctx, e)) return;
  stats.labeled += sign;
  const p = stats.perf;
  if (p.kind === 'binary') {
    const y = e.actualLabel === ctx.positiveClass;
    const yhat = predictedPositive(ctx, e) === true;
    if (y) {
      if (yhat) p.tp += sign;
      else p.fn += sign;
    } else if (yhat) p.fp += sign;
    else p.tn += sign;
    const s = e.score;
    if (s === null) p.unscored += sign;
    else {
      const sc = s < LOGLOSS_EPS ? LOGLOSS_EPS : s > 1 - LOGLOSS_EPS ? 1 - LOGLOSS_EPS : s;
      p.logLossSum += sign * -(y ? Math.log(sc) : Math.log(1 - sc));
      const d = s - (y ? 1 : 0);
      p.brierSum += sign * d * d;
      addScore(p.scores, s, y, sign);
    }
    applyFairnessLabel(stats, e, ctx, y, yhat, sign);
  } else if (p.kind === 'multiclass') {
    const key = e.actualLabel + '\u0000' + (e.predictedLabel === null ? '\u0001' : '\u0002' + e.predictedLabel);
    const c = (p.confusion.get(key) ?? 0) + sign;
    if (c === 0) p.confusion.delete(key);
    else p.confusion.set(key, c);
  } else if (e.value !== null) {
    const y = e.actualValue!;
    const err = y - e.value;
    p.absSum += sign * Math.abs(err);
    p.sqSum += sign * err * err;
    if (y !== 0) {
      p.apeSum += sign * (Math.abs(err) / Math.abs(y));
      p.apeCount += sign;
    }
    p.n += sign;
    // Welford's update of the added or of the removed actuals
    if (sign === 1) {
      const k = p.n + p.rmN;
      const d0 = y - p.yMean;
      p.yMean += d0 / k;
      p.yM2 += d0 * (y - p.yMean);
    } else {
      p.rmN++;
      const d0 = y - p.rmMean;
      p.rmMean += d0 / p.rmN;
      p.rmM2 += d0 * (y - p.rmMean);
    }
  }
}

/**
 * Sum of squared deviations of the actuals present (added minus removed): with A = E + R,
 * M2_A = M2_E + M2_R + (mean_R - mean_E)^2 * n_E * n_R / n_A (Chan et al.), solved for M2_E.
 */
export function regressionSpread(p: RegressionPerf): number {
  if (p.rmN === 0) return p.yM2;
  const nA = p.n + p.rmN;
  if (p.n <= 0 || nA <= 0) return 0;
  const meanE = (nA * p.yMean - p.rmN * p.rmMean) / p.n;
  const d = p.rmMean - meanE;
  return Math.max(0, p.yM2 - p.rmM2 - (d * d * p.n * p.rmN) / nA);
}

/** The counters of group `g` of protected attribute `a`, created at zero. */
export function groupCounters(stats: WindowStats, a: number, g: string): number[] {
  const m = stats.fairness[a]!;
  let c = m.get(g);
  if (!c) {
    c = [0, 0, 0, 0, 0, 0, 0];
    m.set(g, c);
  }
  return c;
}

function applyFairnessLabel(stats: WindowStats, e: StatsEvent, ctx: StatsContext, y: boolean, yhat: boolean, sign: number): void {
  for (let a = 0; a < ctx.protectedIdx.length; a++) {
    const g = categoryOf(e.features[ctx.features[ctx.protectedIdx[a]!]!.name]);
    if (typeof g !== 'string') continue;
    const c = groupCounters(stats, a, g);
    if (y) {
      c[G_LAB_POS]! += sign;
      if (yhat) c[G_TP]! += sign;
    } else {
      c[G_LAB_NEG]! += sign;
      if (yhat) c[G_FP]! += sign;
    }
  }
}

/** Adds one event (features, prediction and, if present, its actual). */
export function accumulate(stats: WindowStats, e: StatsEvent, ctx: StatsContext): void {
  stats.count++;
  const cols = ctx.features;
  const f = e.features;
  for (let i = 0; i < cols.length; i++) addColumn(stats.features[i]!, cols[i]!, f[cols[i]!.name]);
  const out = ctx.output;
  addColumn(stats.output, out, outputOf(ctx, e));
  accumulateRest(stats, e, ctx);
}

const outputOf = (ctx: StatsContext, e: StatsEvent): unknown => (ctx.output.name === 'score' ? e.score : ctx.output.name === 'value' ? e.value : e.predictedLabel);

/** A log's rows for statistics of the context: a row holds its numeric features, then its output if numeric. */
export const valueRowsFor = (ctx: StatsContext): ValueRows => new ValueRows(ctx.features.filter((c) => c.numeric).length + (ctx.output.numeric ? 1 : 0));

/** Writes the event's numeric values into a new row of `rows` (valueRowsFor the context, or one of the same model); returns its index. */
export function readRow(rows: ValueRows, e: StatsEvent, ctx: StatsContext): number {
  const row = rows.add();
  const buf = rows.chunkOf(row);
  let at = rows.offsetOf(row);
  const cols = ctx.features;
  for (let i = 0; i < cols.length; i++) if (cols[i]!.numeric) buf[at++] = rowValue(e.features[cols[i]!.name]);
  if (ctx.output.numeric) buf[at] = rowValue(outputOf(ctx, e));
  return row;
}

/** A usable value as is, NaN when missing (null, undefined, NaN), Infinity when mismatched (not a number, ±Infinity). */
function rowValue(v: unknown): number {
  if (v === undefined || v === null) return NaN;
  if (typeof v !== 'number') return Infinity;
  if (v === Infinity || v === -Infinity) return Infinity;
  return v;
}

/**
 * accumulate(stats, e, ctx), the event's numeric values read from its row (readRow) and
 * logged in `log`: its numeric columns (counters, exact values, histogram) are left to
 * settleLog, which reads them there once per hour instead of once per event.
 */
export function accumulateRow(stats: WindowStats, e: StatsEvent, ctx: StatsContext, log: RowLog, row: number): void {
  stats.count++;
  const cols = ctx.features;
  for (let i = 0; i < cols.length; i++) {
    const col = stats.features[i]!;
    if (col.kind !== 'numeric') addCategorical(col, e.features[cols[i]!.name]);
  }
  if (stats.output.kind !== 'numeric') addCategorical(stats.output, outputOf(ctx, e));
  log.push(row);
  accumulateRest(stats, e, ctx);
}

/** Statistics accumulated through a log of their events' rows; `log` is null once the hour got busy. */
export interface LoggedStats {
  stats: WindowStats;
  log: RowLog | null;
}

/**
 * Adds `e` (row `row` of `rows`) to `s`: logged while its log has room; past that (a busy
 * hour) the log is settled event by event once and the rest accumulated in the tables.
 */
export function addLogged(s: LoggedStats, e: StatsEvent, ctx: StatsContext, rows: ValueRows, row: number): void {
  if (s.log?.full) {
    settleLog(s.stats, ctx, rows, s.log, true);
    s.log = null;
  }
  if (s.log) accumulateRow(s.stats, e, ctx, s.log, row);
  else accumulate(s.stats, e, ctx);
}

/** What accumulate adds beyond the columns. */
function accumulateRest(stats: WindowStats, e: StatsEvent, ctx: StatsContext): void {
  const cols = ctx.features;
  const f = e.features;
  if (e.score !== null) {
    stats.scoreSum += e.score;
    stats.scoreCount++;
  }
  if (e.value !== null) {
    stats.valueSum += e.value;
    stats.valueCount++;
  }
  if (ctx.task === 'BINARY_CLASSIFICATION' && ctx.protectedIdx.length > 0) {
    const pred = predictedPositive(ctx, e);
    for (let a = 0; a < ctx.protectedIdx.length; a++) {
      const g = categoryOf(f[cols[ctx.protectedIdx[a]!]!.name]);
      if (typeof g !== 'string') continue;
      const c = groupCounters(stats, a, g);
      c[G_COUNT]! += 1;
      if (pred !== null) {
        c[G_PRED]! += 1;
        if (pred) c[G_PRED_POS]! += 1;
      }
    }
  }
  // at prediction time: the estimate needs no actual
  if (ctx.calibration !== null && e.score !== null) addCbpeEvent((stats.cbpe ??= emptyCbpeStats()), ctx.calibration, ctx.threshold, e.score);
  if (e.attributions) addAttributions((stats.attributions ??= emptyAttributionStats(cols.length)), ctx.featureIndex, e.attributions);
  applyLabel(stats, e, ctx, 1);
}

let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

/**
 * Turns what `log` holds into the numeric columns' counters, exact values and histograms (which must have
 * received nothing but through it), leaving it empty. `replay` adds them one by one, as
 * accumulate would have (to go on accumulating); otherwise they are built at once, in
 * the stored forms of a partial, bit for bit what accumulate's partial stores: sorted
 * values, and a sparse histogram (sums in arrival order) only where no exact values are
 * kept (a partial keeping them stores none: stats-codec.ts). Such a column has no
 * histogram until `dropExactValues`, which must be called to drop its values.
 */
export function settleLog(stats: WindowStats, ctx: StatsContext, rows: ValueRows, log: RowLog, replay = false): void {
  const n = log.n;
  if (scratchA.length < n) {
    scratchA = new Float64Array(Math.max(n, 256));
    scratchB = new Float64Array(scratchA.length);
  }
  const cols = [...stats.features, stats.output];
  const ctxs = [...ctx.features, ctx.output];
  let j = 0;
  for (let i = 0; i < cols.length; i++) {
    const col = cols[i]!;
    if (col.kind !== 'numeric') continue;
    const c = ctxs[i]!;
    log.column(rows, j++, scratchA);
    // the counters accumulate keeps (addNumeric), and the usable values in arrival order
    let k = 0;
    for (let x = 0; x < n; x++) {
      const v = scratchA[x]!;
      if (countRowValue(col, c, v)) scratchA[k++] = v;
    }
    if (k === 0) continue;
    // built at once only into empty tables (else added to what they hold)
    const fresh = col.hist === null && (col.values === null || (col.values.form === 'counts' && col.values.size === 0));
    if (replay || !fresh) {
      for (let x = 0; x < k; x++) addUsable(col, c, scratchA[x]!);
      continue;
    }
    if (col.values !== null) col.values = sortedOf(scratchA, k, scratchB);
    if (c.index === null) continue;
    if (col.values !== null) {
      // kept exact values: the partial stores no histogram (its reader rebuilds it from
      // them: stats-codec.ts), so none is built; a slot lookup a value is most of its cost
      for (let x = 0; x < k; x++) if (scratchA[x]! < c.inLo || scratchA[x]! > c.inHi) col.outOfRange++;
      continue;
    }
    const { hist, outOfRange } = sparseOf(scratchA, k, c.index, c.nslots, c.loSlot, c.hiSlot);
    col.hist = hist;
    col.outOfRange += outOfRange;
  }
  log.n = 0;
}

/**
 * Drops a numeric column's exact values, first building the histogram from them where a
 * settled log left none (settleLog).
 */
export function dropExactValues(col: NumericColumnStats, c: ColumnContext): void {
  if (col.values === null) return;
  if (col.hist === null && c.index !== null) {
    const sv = sortedValues(col.values);
    if (sv.v.length > 0) col.hist = sparseFromSorted(sv.v, sv.c, c.index, c.nslots);
  }
  col.values = null;
}
