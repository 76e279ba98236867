// Properties of the metric math and of the mergeable statistics (issue 4, fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsDistance, psi } from '../../../src/domain/metrics/binned-drift.js';
import { computeDrift, computeFairness, computeFeatureImportance, computeIntegrity, computeOutputDrift, computePerformance, computeTraffic } from '../../../src/domain/metrics/compute-window.js';
import { makeStatsContext, type StatsContext } from '../../../src/domain/metrics/context.js';
import { ksStatisticExact, wassersteinExact } from '../../../src/domain/metrics/exact.js';
import { npStd } from '../../../src/domain/metrics/numpy-sum.js';
import { buildBaselineProfile, type BaselineRow } from '../../../src/domain/metrics/profile.js';
import { aucOf, emptyScoreHist, addScore } from '../../../src/domain/metrics/score-hist.js';
import { slotIndex, slotOf, slotOfIndexed } from '../../../src/domain/metrics/fine-hist.js';
import { deserializeStats, serializeStats } from '../../../src/domain/metrics/stats-codec.js';
import { accumulate, emptyStats, type StatsEvent, type WindowStats } from '../../../src/domain/metrics/window-stats.js';
import { merge } from '../../../src/domain/metrics/merge-stats.js';
import type { ModelRecord } from '../../../src/domain/model.js';
import { modelRecord, XYG_FEATURES } from '../../helpers/model-record.js';

const model = modelRecord(XYG_FEATURES, { name: 'prop', decisionThreshold: 0.4 });

const counts = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 12 });
const num = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ min: -10, max: 10, noNaN: true }));
const rawValue = fc.oneof({ weight: 8, arbitrary: num }, { weight: 1, arbitrary: fc.constantFrom(null, undefined, 'str', true, { a: 1 }) });
const event: fc.Arbitrary<StatsEvent> = fc.record({
  features: fc.record({ x: rawValue, y: rawValue, g: fc.oneof(fc.constantFrom('a', 'b', 'c', null), fc.integer({ min: 0, max: 2 })) }),
  score: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 8 }),
  predictedLabel: fc.constant(null),
  value: fc.constant(null),
  actualLabel: fc.option(fc.constantFrom('yes', 'no'), { freq: 3 }),
  actualValue: fc.constant(null),
  // attributions of some features, a non-finite or foreign one now and then (left out of the sums)
  attributions: fc.option(
    fc.dictionary(fc.constantFrom('x', 'y', 'g', 'other'), fc.oneof({ weight: 8, arbitrary: fc.double({ noNaN: true, min: -1e6, max: 1e6 }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, 1e300, 'str', null) })),
    { freq: 3 },
  ),
});
const baselineRows: fc.Arbitrary<BaselineRow[]> = fc.array(event, { minLength: 1, maxLength: 60 });

function summary(s: WindowStats, ctx: StatsContext): unknown {
  return {
    drift: computeDrift(s, ctx),
    out: computeOutputDrift(s, ctx),
    integrity: computeIntegrity(s, ctx),
    perf: computePerformance(s),
    fair: computeFairness(s, ctx, 0),
    traffic: computeTraffic(s),
    importance: computeFeatureImportance(s, ctx),
  };
}

/** Equal up to float rounding (sums taken in another order). */
function close(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a))) throw new Error(`${path}: ${a} != ${b}`);
  } else if (a && b && typeof a === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b as object)])) close((a as any)[k], (b as any)[k], `${path}.${k}`);
  } else expect(b, path).toEqual(a);
}

function statsOf(events: StatsEvent[], ctx: StatsContext): WindowStats {
  const s = emptyStats(ctx);
  for (const e of events) accumulate(s, e, ctx);
  return s;
}

describe('binned drift', () => {
  it('PSI is >= 0 and 0 on identical distributions', () => {
    fc.assert(
      fc.property(counts, counts, (p, q) => {
        const k = Math.min(p.length, q.length);
        const [a, b] = [p.slice(0, k), q.slice(0, k)];
        const v = psi(a, b);
        if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
        const same = psi(a, a.map((x) => x * 3));
        if (same !== null) expect(same).toBeCloseTo(0, 12);
      }),
    );
  });

  it('JS distance is in [0, 1], symmetric, 0 on identical distributions', () => {
    fc.assert(
      fc.property(counts, counts, (p, q) => {
        const k = Math.min(p.length, q.length);
        const [a, b] = [p.slice(0, k), q.slice(0, k)];
        const d = jsDistance(a, b);
        if (d === null) return;
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(jsDistance(b, a)).toBeCloseTo(d, 12);
        expect(jsDistance(a, a)).toBeCloseTo(0, 6);
      }),
    );
  });
});

describe('KS and Wasserstein from the statistics', () => {
  it('KS is in [0, 1] and equals the exact statistic; Wasserstein is exact on small windows', () => {
    fc.assert(
      fc.property(fc.array(num, { minLength: 1, maxLength: 80 }), fc.array(num, { minLength: 1, maxLength: 80 }), (base, win) => {
        const rows = base.map((x) => ({ features: { x }, score: null, predictedLabel: null, value: null, actualLabel: null, actualValue: null }));
        const ctx = makeStatsContext(model, buildBaselineProfile(model, rows));
        const d = computeDrift(statsOf(win.map((x) => ({ ...rows[0]!, features: { x } })), ctx), ctx)[0]!;
        const a = Float64Array.from(win).sort();
        const b = Float64Array.from(base).sort();
        expect(d.ksStatistic).toBeGreaterThanOrEqual(0);
        expect(d.ksStatistic).toBeLessThanOrEqual(1);
        expect(d.ksStatistic).toBeCloseTo(ksStatisticExact(a, b), 12);
        const sd = npStd(Float64Array.from(base));
        if (sd === 0) expect(d.wasserstein).toBeNull();
        else {
          const w = wassersteinExact(a, b) / sd;
          expect(Math.abs(d.wasserstein! - w)).toBeLessThanOrEqual(1e-9 * Math.max(1, w));
        }
      }),
    );
  });

  it('beyond the exact-value limit: KS within 1/2048 + rounding, Wasserstein within 1%', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    const base = Array.from({ length: 20_000 }, () => normal());
    const win = Array.from({ length: 30_000 }, () => normal() * 1.1 + 0.2);
    const rows = base.map((x) => ({ features: { x }, score: null, predictedLabel: null, value: null, actualLabel: null, actualValue: null }));
    const ctx = makeStatsContext(model, buildBaselineProfile(model, rows));
    const s = statsOf(win.map((x) => ({ ...rows[0]!, features: { x } })), ctx);
    expect(s.features[0]!.kind === 'numeric' && s.features[0]!.values).toBeNull();
    const d = computeDrift(s, ctx)[0]!;
    const a = Float64Array.from(win).sort();
    const b = Float64Array.from(base).sort();
    expect(Math.abs(d.ksStatistic! - ksStatisticExact(a, b))).toBeLessThanOrEqual(1 / 2048 + 1e-12);
    const w = wassersteinExact(a, b) / npStd(Float64Array.from(base));
    expect(Math.abs(d.wasserstein! - w) / w).toBeLessThan(0.01);
  });
});

describe('AUC', () => {
  it('a perfect ranking gives 1, a reversed one 0', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.49, noNaN: true }), { minLength: 1 }), fc.array(fc.double({ min: 0.5, max: 1, noNaN: true }), { minLength: 1 }), (neg, pos) => {
        const h = emptyScoreHist();
        for (const s of neg) addScore(h, s, false, 1);
        for (const s of pos) addScore(h, s, true, 1);
        expect(aucOf(h)).toBe(1);
        const r = emptyScoreHist();
        for (const s of neg) addScore(r, s, true, 1);
        for (const s of pos) addScore(r, s, false, 1);
        expect(aucOf(r)).toBe(0);
      }),
    );
  });
});

describe('WindowStats', () => {
  const setup = fc.tuple(baselineRows, fc.array(event, { maxLength: 80 }));

  it('permuting the events changes nothing', () => {
    fc.assert(
      fc.property(setup, fc.func(fc.double()), ([rows, events], key) => {
        const ctx = makeStatsContext(model, buildBaselineProfile(model, rows));
        const shuffled = events.map((e, i) => [key(i), e] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
        close(summary(statsOf(events, ctx), ctx), summary(statsOf(shuffled, ctx), ctx));
        // exact sums: the importance is the same to the bit, not just close
        expect(computeFeatureImportance(statsOf(shuffled, ctx), ctx)).toEqual(computeFeatureImportance(statsOf(events, ctx), ctx));
      }),
    );
  });

  it('splitting a window in two and merging gives the whole window', () => {
    fc.assert(
      fc.property(setup, fc.nat(), ([rows, events], cut) => {
        const ctx = makeStatsContext(model, buildBaselineProfile(model, rows));
        const k = events.length ? cut % (events.length + 1) : 0;
        const merged = merge(statsOf(events.slice(0, k), ctx), statsOf(events.slice(k), ctx), ctx);
        close(summary(statsOf(events, ctx), ctx), summary(merged, ctx));
        expect(computeFeatureImportance(merged, ctx)).toEqual(computeFeatureImportance(statsOf(events, ctx), ctx));
      }),
    );
  });

  it('survives its binary form unchanged', () => {
    fc.assert(
      fc.property(setup, ([rows, events]) => {
        const ctx = makeStatsContext(model, buildBaselineProfile(model, rows));
        const s = statsOf(events, ctx);
        const { core, hists } = serializeStats(s);
        expect(summary(deserializeStats(core, hists, ctx), ctx)).toEqual(summary(s, ctx));
        // read in place when 8-aligned, copied when not: both read the same
        const at = (b: Uint8Array, o: number) => {
          const big = new Uint8Array(b.length + o);
          big.set(b, o);
          return big.subarray(o);
        };
        for (const o of [8, 3]) expect(summary(deserializeStats(at(core, o), hists && at(hists, o), ctx), ctx)).toEqual(summary(s, ctx));
        // without the histograms: everything but drift is the same
        const light = deserializeStats(core, null, ctx, false);
        expect([computeIntegrity(light, ctx), computePerformance(light), computeFairness(light, ctx, 0), computeTraffic(light), computeFeatureImportance(light, ctx)]).toEqual([
          computeIntegrity(s, ctx),
          computePerformance(s),
          computeFairness(s, ctx, 0),
          computeTraffic(s),
          computeFeatureImportance(s, ctx),
        ]);
        expect(() => computeDrift(light, ctx)).toThrow();
      }),
    );
  });
});

describe('stored statistics of earlier versions', () => {
  // a version 3 row (before attributions), written by that version's serializeStats from
  // the events below: still decodable, equal to what the events give today, no attributions
  const V3 = {
    core: 'qgEAAHsidiI6MywiayI6IltcImIyZmQyMDZmNTQzOTAzNDZcIiwwLjUsXCJ5ZXNcIl0iLCJuIjo2LCJsIjo1LCJzcyI6My4wNSwic2MiOjYsInZzIjowLCJ2YyI6MCwiZiI6W1sxLDAsNSwwLDAsMiwwLDFdLHsiayI6ImMiLCJtIjowLCJ4IjowLCJjIjpbWyJhIiwzXSxbImIiLDJdLFsiYyIsMV1dfV0sIm8iOlswLDAsNiwwLDAsMiwyLDNdLCJwIjp7ImsiOiJiIiwidHAiOjIsImZwIjowLCJ0biI6MiwiZm4iOjEsInVuIjowLCJsbCI6MS41OTg2OTU4MTU5MDIxOTg0LCJiciI6MC40OTUsInMiOjAsImJpbiI6ZmFsc2V9LCJnIjpbW1siYSIsWzMsMywxLDAsMiwwLDBdXSxbImIiLFsyLDIsMiwyLDAsMiwwXV0sWyJjIixbMSwxLDAsMSwwLDAsMF1dXV0sImIiOltbNSwiZHNzIl1dLCJoYiI6W1s1LCJzc2QiXSxbNSwiZHMiXSxbNSwic3NkIl0sWzYsImRzIl1dfQAAmpmZmZmZ6T+amZmZmZnZP2ZmZmZmZu4/MzMzMzMz0z+amZmZmZmpPwEAAQABAAAAAAAAAAAAAAABAAEA',
    hists: 'AAAAAAAA4D8AAAAAAAD4PwAAAAAAAARAAAAAAAAAAAAAAAAAAAAYQAAAAAAAAOA/AAAAAAAA+D8AAAAAAAAEQAAAAAAAAAhAAAAAAAAAGECamZmZmZmpP2ZmZmZmZuY/mpmZmZmZ4T+amZmZmZnpP2ZmZmZmZu4/mpmZmZmZqT8zMzMzMzPTP5qZmZmZmdk/mpmZmZmZ4T+amZmZmZnpP2ZmZmZmZu4/AAAEAAoADQAaAAEAAQABAAEAAQABAAEAAQABAAEAAAAKAAwAFgAaAAEAAgABAAEAAQABAAEAAQABAAEAAQA=',
  };
  const m: ModelRecord = {
    ...model,
    decisionThreshold: 0.5,
    features: [
      { name: 'x', type: 'NUMERIC', protected: false, min: null, max: null },
      { name: 'g', type: 'CATEGORICAL', protected: true, min: null, max: null },
    ],
  };
  const ev = (x: number | null, g: string, score: number, actual: string | null): StatsEvent => ({ features: { x, g }, score, predictedLabel: null, value: null, actualLabel: actual, actualValue: null });
  const base = [ev(1, 'a', 0.2, 'no'), ev(2, 'b', 0.7, 'yes'), ev(3, 'a', 0.9, 'yes'), ev(4, 'b', 0.1, 'no'), ev(5, 'a', 0.6, 'no')];
  const events = [ev(1.5, 'a', 0.3, 'no'), ev(2.5, 'b', 0.8, 'yes'), ev(6, 'a', 0.55, null), ev(null, 'c', 0.4, 'yes'), ev(3, 'b', 0.95, 'yes'), ev(0.5, 'a', 0.05, 'no')];

  // the profile as stored before CBPE: no calibration (its baseline rows' actuals go unused)
  const unlabelled = base.map((r) => ({ ...r, actualLabel: null }));

  it('a version 3 row reads as the same statistics, with no attributions', () => {
    const ctx = makeStatsContext(m, buildBaselineProfile(m, unlabelled));
    const old = deserializeStats(Buffer.from(V3.core, 'base64'), Buffer.from(V3.hists, 'base64'), ctx);
    expect(old.attributions).toBeNull();
    expect(old.cbpe).toBeNull();
    expect(old.key).toBe(ctx.statsKey);
    const now = statsOf(events, ctx);
    expect(summary(old, ctx)).toEqual(summary(now, ctx));
    // merged with today's rows that carry attributions: those alone count
    const later = statsOf([{ ...ev(2, 'a', 0.5, null), attributions: { x: -0.25, g: 0.5 } }], ctx);
    const both = merge(old, later, ctx);
    expect(computeFeatureImportance(both, ctx).map((f) => [f.meanAbsAttribution, f.sampleSize])).toEqual([
      [0.25, 1],
      [0.5, 1],
    ]);
  });

  it('a calibration changes the key: rows built before it are stale (rebuilt from the events), and they carry the estimate', () => {
    const before = makeStatsContext(m, buildBaselineProfile(m, unlabelled));
    const ctx = makeStatsContext(m, buildBaselineProfile(m, base));
    expect(before.calibration).toBeNull();
    expect(ctx.calibration).not.toBeNull();
    expect(ctx.statsKey).not.toBe(before.statsKey);
    const old = deserializeStats(Buffer.from(V3.core, 'base64'), Buffer.from(V3.hists, 'base64'), before);
    expect(old.key).not.toBe(ctx.statsKey);
    // another calibration (other actuals), another key again
    const flipped = makeStatsContext(m, buildBaselineProfile(m, base.map((r) => ({ ...r, actualLabel: r.actualLabel === 'yes' ? 'no' : 'yes' }))));
    expect(new Set([before.statsKey, ctx.statsKey, flipped.statsKey]).size).toBe(3);
    expect(computePerformance(statsOf(events, before)).estimated).toBeNull();
    expect(computePerformance(statsOf(events, ctx)).estimated!.sampleSize).toBe(events.length);
  });

  it('an unknown version is refused, not misread', () => {
    const ctx = makeStatsContext(m, buildBaselineProfile(m, base));
    const core = Buffer.from(V3.core, 'base64');
    const at = core.indexOf('"v":3');
    core[at + 4] = '9'.charCodeAt(0);
    expect(() => deserializeStats(core, null, ctx, false)).toThrow(/unknown statistics version 9/);
  });
});

describe('slot lookup', () => {
  it('the bucketed lookup finds the same slot as the binary search', () => {
    fc.assert(
      fc.property(fc.array(num, { minLength: 1, maxLength: 300 }), fc.array(num, { maxLength: 50 }), (raw, probes) => {
        const edges = Float64Array.from(new Set(raw)).sort();
        const ix = slotIndex(edges);
        for (const v of [...probes, ...edges, ...Array.from(edges, (e) => e + 1e-9), ...Array.from(edges, (e) => e - 1e-9)]) expect(slotOfIndexed(ix, v)).toBe(slotOf(edges, v));
      }),
    );
  });

  it('edges a few denormals apart (an infinite bucket scale) still find their slots', () => {
    // found by the property above with seed 2142767233: the lookup answered NaN for 0
    const edges = Float64Array.from([-5e-324, 0, 5e-324]);
    const ix = slotIndex(edges);
    for (const v of [-1, -5e-324, 0, 5e-324, 1]) expect(slotOfIndexed(ix, v)).toBe(slotOf(edges, v));
  });
});
