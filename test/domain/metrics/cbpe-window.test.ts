// CBPE as the server keeps it: expected confusion counts accumulated into WindowStats at
// ingest against the context's calibration (from the baseline profile), stored through the
// codec and merged. Properties: the order and split of merges never change the estimate
// (rates to the bit: exact sums; the AUC to the bit while its histogram is exact, within
// 1e-12 once binned), and for a perfectly calibrated model the estimate converges to the
// performance measured on the same window's actuals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computePerformance } from '../../../src/domain/metrics/compute-window.js';
import { makeStatsContext, type StatsContext } from '../../../src/domain/metrics/context.js';
import { buildBaselineProfile } from '../../../src/domain/metrics/profile.js';
import { deserializeStats, serializeStats } from '../../../src/domain/metrics/stats-codec.js';
import { accumulate, emptyStats, type StatsEvent, type WindowStats } from '../../../src/domain/metrics/window-stats.js';
import { mergeInto } from '../../../src/domain/metrics/merge-stats.js';
import { EXACT_LIMIT } from '../../../src/domain/metrics/prob-hist.js';
import type { ModelRecord } from '../../../src/domain/model.js';

const model: ModelRecord = {
  id: 1,
  name: 'cbpe',
  task: 'BINARY_CLASSIFICATION',
  description: null,
  positiveClass: 'yes',
  decisionThreshold: 0.45,
  features: [{ name: 'x', type: 'NUMERIC', protected: false, min: null, max: null }],
  createdAt: 0,
  updatedAt: 0,
};

/** A seeded generator (mulberry32): the same draws on every run. */
function rng(seed: number): () => number {
  let st = seed >>> 0;
  return () => {
    st = (st + 0x6d2b79f5) >>> 0;
    let t = st;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ev = (score: number | null, actual: string | null): StatsEvent => ({ features: { x: score ?? 0 }, score, predictedLabel: null, value: null, actualLabel: actual, actualValue: null });

/** Events whose actual is positive with probability `score ** bend` (bend 1: calibrated). */
function draw(rand: () => number, n: number, bend = 1, labelled = true): StatsEvent[] {
  return Array.from({ length: n }, () => {
    const s = rand();
    return ev(s, labelled ? (rand() < s ** bend ? 'yes' : 'no') : null);
  });
}

const stored = (s: WindowStats, ctx: StatsContext): WindowStats => {
  const { core, hists } = serializeStats(s);
  return deserializeStats(core, hists, ctx);
};

function statsOf(events: readonly StatsEvent[], ctx: StatsContext): WindowStats {
  const s = emptyStats(ctx);
  for (const e of events) accumulate(s, e, ctx);
  return s;
}

describe('CBPE kept in WindowStats', () => {
  const base = draw(rng(7), 3000, 1.6);
  const ctx = makeStatsContext(model, buildBaselineProfile(model, base));

  it('has a calibration from the labelled baseline, none without one, none for other tasks', () => {
    expect(ctx.calibration).not.toBeNull();
    expect(makeStatsContext(model, buildBaselineProfile(model, base.map((r) => ({ ...r, actualLabel: null })))).calibration).toBeNull();
    expect(makeStatsContext(model, null).calibration).toBeNull();
    const regression: ModelRecord = { ...model, task: 'REGRESSION', positiveClass: null };
    expect(buildBaselineProfile(regression, base.map((r) => ({ ...r, value: r.score }))).calibration).toBeNull();
    expect(computePerformance(statsOf(base, makeStatsContext(model, null))).estimated).toBeNull();
    // no event yet: an estimate of nothing, not "no estimate"
    expect(computePerformance(emptyStats(ctx)).estimated).toEqual({ sampleSize: 0, accuracy: null, precision: null, recall: null, f1: null, auc: null });
  });

  it('the order and split of merges (through the stored form) never change the estimate', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 8 }), fc.boolean(), (seed, parts, many) => {
        const rand = rng(seed);
        // many: past EXACT_LIMIT distinct probabilities, so the AUC histogram turns binned
        const events = [...draw(rand, many ? EXACT_LIMIT + 300 : 200, 1, false), ev(null, null), ev(0.5, 'yes')];
        const whole = computePerformance(statsOf(events, ctx)).estimated!;
        const cut = Array.from({ length: parts - 1 }, () => Math.floor(rand() * events.length)).sort((a, b) => a - b);
        const bounds = [0, ...cut, events.length];
        const pieces = bounds.slice(1).map((end, i) => stored(statsOf(events.slice(bounds[i], end), ctx), ctx));
        for (let k = pieces.length - 1; k > 0; k--) {
          const j = Math.floor(rand() * (k + 1));
          [pieces[k], pieces[j]] = [pieces[j]!, pieces[k]!];
        }
        const acc = emptyStats(ctx);
        for (const p of pieces) mergeInto(acc, p, ctx);
        const got = computePerformance(stored(acc, ctx)).estimated!;
        const { auc, ...rates } = got;
        const { auc: wholeAuc, ...wholeRates } = whole;
        expect(rates).toEqual(wholeRates);
        expect(rates.sampleSize).toBe(events.length - 1);
        if (many) expect(Math.abs(auc! - wholeAuc!)).toBeLessThanOrEqual(1e-12);
        else expect(auc).toBe(wholeAuc);
        return true;
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('converges to the measured performance for a perfectly calibrated model', () => {
    for (const seed of [1, 2, 3]) {
      const rand = rng(seed);
      const calibrated = makeStatsContext(model, buildBaselineProfile(model, draw(rand, 40_000)));
      const p = computePerformance(statsOf(draw(rand, 40_000), calibrated));
      const e = p.estimated!;
      expect(e.sampleSize).toBe(40_000);
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const) expect(Math.abs(e[k]! - p[k]!), `${k} seed ${seed}`).toBeLessThan(0.015);
    }
    // and a miscalibrated baseline is what makes it wrong: the baseline's calibration matters
    const rand = rng(9);
    const skewed = makeStatsContext(model, buildBaselineProfile(model, draw(rand, 40_000, 3)));
    const p = computePerformance(statsOf(draw(rand, 40_000), skewed));
    expect(Math.abs(p.estimated!.accuracy! - p.accuracy!)).toBeGreaterThan(0.05);
  }, 120_000);
});
