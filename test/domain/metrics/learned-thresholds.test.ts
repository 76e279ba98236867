// Learned thresholds (METRICS.md "Learned thresholds") against a reference written out
// independently: the history by scanning every tick, numpy-style mean and population std.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Comparator } from '../../../src/domain/alerts/thresholds.js';
import {
  checkAutoThreshold,
  historyTicks,
  learnedThresholdsAt,
  learnThresholds,
  MIN_HISTORY,
  type Seasonality,
} from '../../../src/domain/metrics/learned-thresholds.js';
import { npMean, npStd } from '../../../src/domain/metrics/numpy-sum.js';

const H = 3_600_000;
const D = 24 * H;
const AT = Date.UTC(2026, 2, 18, 9, 0); // a Wednesday, 09:00 UTC

/** Ticks every `step` from `start` up to (and past) AT. */
function* every(start: number, step: number): Generator<number> {
  for (let t = start; ; t += step) yield t;
}

/** The reference: which ticks count, by date arithmetic rather than modular arithmetic. */
function refTicks(ticks: number[], at: number, lookback: number, seasonality: Seasonality): number[] {
  const a = new Date(at);
  return ticks.filter((t) => {
    if (!(t >= at - lookback && t < at)) return false;
    const d = new Date(t);
    const sameTime = d.getUTCHours() === a.getUTCHours() && d.getUTCMinutes() === a.getUTCMinutes() && d.getUTCSeconds() === a.getUTCSeconds() && d.getUTCMilliseconds() === a.getUTCMilliseconds();
    if (seasonality === 'DAILY') return sameTime;
    if (seasonality === 'WEEKLY') return sameTime && d.getUTCDay() === a.getUTCDay();
    return true;
  });
}

describe('historyTicks', () => {
  it('keeps [at - lookback, at), then the same time of day / of week', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(15 * 60_000, H, 6 * H, D, 90 * 60_000),
        fc.integer({ min: 0, max: 7 * D }),
        fc.integer({ min: 1, max: 40 }).map((d) => d * D),
        fc.constantFrom<Seasonality>('NONE', 'DAILY', 'WEEKLY'),
        (step, offset, lookback, seasonality) => {
          const start = AT - 50 * D - offset;
          const all: number[] = [];
          for (let t = start; t < AT + 3 * D; t += step) all.push(t);
          expect(historyTicks(every(start, step), AT, lookback, seasonality)).toEqual(refTicks(all, AT, lookback, seasonality));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('includes at - lookback itself and excludes at', () => {
    expect(historyTicks([AT - 2 * D, AT - D, AT], AT, 2 * D, 'NONE')).toEqual([AT - 2 * D, AT - D]);
  });

  it('rejects ticks that do not ascend', () => {
    expect(() => historyTicks([AT - H, AT - 2 * H], AT, D, 'NONE')).toThrow(/ticks: must ascend/);
  });
});

describe('learnThresholds', () => {
  const comparators: Comparator[] = ['GT', 'GTE', 'LT', 'LTE'];
  const sigma = fc.option(fc.double({ min: 0, max: 6, noNaN: true }), { nil: null });

  it('is mean ± k·σ (population) of the usable history, as numpy computes them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ value: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null, freq: 6 }), sampleSize: fc.nat(100) }), { maxLength: 60 }),
        fc.option(fc.nat(60), { nil: null }),
        sigma,
        sigma,
        fc.constantFrom(...comparators),
        (pts, minSample, w, c, comparator) => {
          const points = pts.map((p, i) => ({ t: i, ...p }));
          const got = learnThresholds(points, { warningSigmas: w, criticalSigmas: c }, comparator, minSample);
          const used = points.filter((p) => p.value !== null && p.sampleSize >= (minSample ?? 0));
          expect(got.history).toEqual(used);
          if (used.length < MIN_HISTORY) {
            expect(got).toMatchObject({ status: 'NO_DATA', mean: null, std: null, warningThreshold: null, criticalThreshold: null });
            return;
          }
          const v = used.map((p) => p.value!);
          const mu = npMean(v);
          const sd = npStd(v);
          const sign = comparator === 'GT' || comparator === 'GTE' ? 1 : -1;
          const close = (a: number | null, b: number | null) => {
            if (b === null) return expect(a).toBeNull();
            // 1e-9 relative to the data's scale (mean and σ may cancel)
            expect(Math.abs(a! - b)).toBeLessThanOrEqual(1e-9 * Math.max(1e-12, Math.abs(b), Math.abs(mu), sd));
          };
          expect(got.status).toBe('OK');
          close(got.mean, mu);
          close(got.std, sd);
          close(got.warningThreshold, w === null ? null : mu + sign * w * sd);
          close(got.criticalThreshold, c === null ? null : mu + sign * c * sd);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a constant history gives σ = 0 and both thresholds exactly at μ', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => v + 0), fc.integer({ min: MIN_HISTORY, max: 200 }), fc.constantFrom(...comparators), (x, n, comparator) => {
        const got = learnThresholds(Array.from({ length: n }, (_, t) => ({ t, value: x, sampleSize: 1 })), { warningSigmas: 2, criticalSigmas: 3 }, comparator, null);
        expect(got).toMatchObject({ status: 'OK', mean: x, std: 0, warningThreshold: x, criticalThreshold: x });
      }),
      { numRuns: 300 },
    );
    // where np.mean drifts off: seven 0.1s average to 0.09999999999999999, a band below the series
    expect(npMean(Array(7).fill(0.1))).toBeLessThan(0.1);
    expect(learnThresholds(Array.from({ length: 7 }, (_, t) => ({ t, value: 0.1, sampleSize: 1 })), { warningSigmas: 1, criticalSigmas: null }, 'GT', null).warningThreshold).toBe(0.1);
  });

  it('NO_DATA below 5 usable values, however many ticks', () => {
    const pts = [1, 2, null, 4, 5, 6].map((value, t) => ({ t, value, sampleSize: t === 5 ? 3 : 10 }));
    expect(learnThresholds(pts, { warningSigmas: 1, criticalSigmas: 2 }, 'GT', 5).status).toBe('NO_DATA');
    expect(learnThresholds(pts, { warningSigmas: 1, criticalSigmas: 2 }, 'GT', 3)).toMatchObject({ status: 'OK', mean: 3.6 });
  });
});

describe('learnedThresholdsAt', () => {
  it('evaluates the metric at the seasonal ticks only, over the lookback', () => {
    // hourly schedule; traffic that depends on the hour of day; DAILY keeps the 09:00 ticks
    const seen: number[] = [];
    const out = learnedThresholdsAt({
      at: AT,
      ticks: every(AT - 30 * D, H),
      spec: { lookbackMs: 7 * D, warningSigmas: 2, criticalSigmas: 3, seasonality: 'DAILY' },
      comparator: 'GT',
      minSampleSize: null,
      value: (t) => {
        seen.push(t);
        return { value: new Date(t).getUTCHours() * 10 + new Date(t).getUTCDate(), sampleSize: 100 };
      },
    });
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1].map((k) => AT - k * D));
    const v = seen.map((t) => 90 + new Date(t).getUTCDate());
    expect(out.mean).toBeCloseTo(npMean(v), 12);
    expect(out.warningThreshold).toBeCloseTo(npMean(v) + 2 * npStd(v), 12);
  });
});

describe('checkAutoThreshold', () => {
  const ok = { lookbackMs: 28 * D, warningSigmas: 2, criticalSigmas: 3, seasonality: 'WEEKLY' as const };
  it('accepts a usable spec and names the field of a bad one', () => {
    expect(checkAutoThreshold(ok)).toBeNull();
    expect(checkAutoThreshold({ ...ok, warningSigmas: null })).toBeNull();
    expect(checkAutoThreshold({ ...ok, lookbackMs: 0 })?.field).toBe('lookback');
    expect(checkAutoThreshold({ ...ok, warningSigmas: null, criticalSigmas: null })?.field).toBe('criticalSigmas');
    expect(checkAutoThreshold({ ...ok, criticalSigmas: -1 })?.field).toBe('criticalSigmas');
    expect(checkAutoThreshold({ ...ok, warningSigmas: 3, criticalSigmas: 3 })?.field).toBe('warningSigmas');
    expect(checkAutoThreshold({ ...ok, seasonality: 'HOURLY' as never })?.field).toBe('seasonality');
  });
});
