// The isotonic calibration (sklearn's IsotonicRegression(y_min=0, y_max=1, increasing=True,
// out_of_bounds="clip")) against known answers and an independent brute-force reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCalibration, fitIsotonic, poolAdjacentViolators, predictIsotonic } from '../../../src/domain/metrics/isotonic.js';

/**
 * Brute force: the isotonic fit at i is max over a <= i of min over b >= i of the weighted
 * mean of y[a..b] (Barlow et al.'s min-max formula), on exact-duplicate-pooled x; predict
 * interpolates between ALL fitted points (no trimming), clipping outside.
 */
function reference(xs: number[], ys: number[], ws: number[]) {
  const byX = new Map<number, [number, number]>();
  xs.forEach((x, i) => {
    if (ws[i]! === 0) return;
    const a = byX.get(x) ?? [0, 0];
    byX.set(x, [a[0] + ys[i]! * ws[i]!, a[1] + ws[i]!]);
  });
  const ux = Array.from(byX.keys()).sort((a, b) => a - b);
  const sy = ux.map((x) => byX.get(x)![0]);
  const sw = ux.map((x) => byX.get(x)![1]);
  const fit = ux.map((_, i) => {
    let best = -Infinity;
    for (let a = 0; a <= i; a++) {
      let worst = Infinity;
      for (let b = i; b < ux.length; b++) {
        let s = 0;
        let w = 0;
        for (let k = a; k <= b; k++) {
          s += sy[k]!;
          w += sw[k]!;
        }
        worst = Math.min(worst, s / w);
      }
      best = Math.max(best, worst);
    }
    return Math.min(1, Math.max(0, best));
  });
  const predict = (t: number) => {
    if (ux.length === 1 || t <= ux[0]!) return fit[0]!;
    if (t >= ux[ux.length - 1]!) return fit[fit.length - 1]!;
    let i = 0;
    while (ux[i + 1]! <= t) i++;
    if (ux[i] === t) return fit[i]!;
    return fit[i]! + ((fit[i + 1]! - fit[i]!) * (t - ux[i]!)) / (ux[i + 1]! - ux[i]!);
  };
  return { ux, fit, predict };
}

// scores on a grid so that ties are exact and no two distinct scores are within 1e-15
const grid = fc.integer({ min: 0, max: 40 }).map((k) => k / 40);
const rows = fc.array(fc.record({ x: grid, y: fc.constantFrom(0, 1), w: fc.constantFrom(0, 0.5, 1, 2, 3) }), { minLength: 1, maxLength: 40 });
const probe = fc.double({ min: -0.5, max: 1.5, noNaN: true });

describe('fitIsotonic / predictIsotonic', () => {
  it("sklearn's tie test (R isotone gpava, ties secondary): [0, .25, .25, .25, .25, 1]", () => {
    const cal = fitIsotonic([0, 1, 1, 2, 3, 4], [0, 0, 1, 0, 0, 1])!;
    expect([0, 1, 1, 2, 3, 4].map((x) => predictIsotonic(cal, x))).toEqual([0, 0.25, 0.25, 0.25, 0.25, 1]);
    expect(cal).toEqual({ x: [0, 1, 3, 4], y: [0, 0.25, 0.25, 1] });
  });

  it('interpolates linearly between fitted points and clips outside them', () => {
    const cal = fitIsotonic([0.2, 0.4, 0.6, 0.8], [0, 1, 0, 1])!;
    expect(cal).toEqual({ x: [0.2, 0.4, 0.6, 0.8], y: [0, 0.5, 0.5, 1] });
    expect(predictIsotonic(cal, 0.3)).toBeCloseTo(0.25, 15);
    expect(predictIsotonic(cal, 0.7)).toBeCloseTo(0.75, 15);
    expect(predictIsotonic(cal, -3)).toBe(0);
    expect(predictIsotonic(cal, 9)).toBe(1);
  });

  it('pools x closer than 1e-15 (absolute) into the first one, as _make_unique does', () => {
    const cal = fitIsotonic([0.1, 0.1 + 5e-16, 0.5, 0.5 + 2e-15], [0, 1, 0, 1], [1, 3, 1, 1])!;
    // 0.1 and 0.1+5e-16 pool to (0.1, 0.75, w 4), which PAV pools with (0.5, 0, w 1) to 0.6;
    // 0.5+2e-15 is 2e-15 away: a point of its own
    expect(cal.x).toEqual([0.1, 0.5, 0.5 + 2e-15]);
    expect(cal.y).toEqual([0.6, 0.6, 1]);
    expect(fitIsotonic([0.1, 0.1 + 5e-16], [0, 1], [1, 3])).toEqual({ x: [0.1], y: [0.75] });
  });

  it('a single point predicts its value everywhere; no usable row gives null', () => {
    const cal = fitIsotonic([0.3, 0.3], [1, 0])!;
    expect(cal).toEqual({ x: [0.3], y: [0.5] });
    expect(predictIsotonic(cal, 0)).toBe(0.5);
    expect(fitIsotonic([], [])).toBeNull();
    expect(fitIsotonic([0.1], [1], [0])).toBeNull();
  });

  it('names the field of bad input', () => {
    expect(() => fitIsotonic([0.1, NaN], [1, 0])).toThrow(/scores\[1\]: must be a finite number/);
    expect(() => fitIsotonic([0.1], [Infinity])).toThrow(/labels\[0\]/);
    expect(() => fitIsotonic([0.1], [1], [-1])).toThrow(/weights\[0\]: must be a finite number >= 0/);
    expect(() => fitIsotonic([0.1, 0.2], [1])).toThrow(/labels: expected 2 values/);
  });

  it('matches the brute-force min-max reference, fitted points and predictions', () => {
    fc.assert(
      fc.property(rows, fc.array(probe, { maxLength: 10 }), (r, probes) => {
        const xs = r.map((v) => v.x);
        const ys = r.map((v) => v.y);
        const ws = r.map((v) => v.w);
        const cal = fitIsotonic(xs, ys, ws);
        const ref = reference(xs, ys, ws);
        if (ref.ux.length === 0) return cal === null;
        for (const t of [...ref.ux, ...probes]) expect(predictIsotonic(cal!, t)).toBeCloseTo(ref.predict(t), 12);
        // the kept points are fitted points, first and last included
        expect(cal!.x[0]).toBe(ref.ux[0]);
        expect(cal!.x[cal!.x.length - 1]).toBe(ref.ux[ref.ux.length - 1]);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('is monotone, within [0, 1], and a valid stored calibration', () => {
    fc.assert(
      fc.property(rows, fc.array(probe, { minLength: 2, maxLength: 20 }), (r, probes) => {
        const cal = fitIsotonic(r.map((v) => v.x), r.map((v) => v.y), r.map((v) => v.w));
        if (cal === null) return true;
        expect(checkCalibration(JSON.parse(JSON.stringify(cal)))).toBeNull();
        const sorted = probes.slice().sort((a, b) => a - b);
        const p = sorted.map((t) => predictIsotonic(cal, t));
        for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThanOrEqual(p[i - 1]! - 1e-15);
        // scipy's interp1d (and so sklearn's predict) may land an ulp past y_max at a knot:
        // [0.425, 0.85] -> [1/7, 1] gives 1.0000000000000002 at 0.85, as sklearn does
        return p.every((v) => v >= 0 && v <= 1 + Number.EPSILON);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent on monotone data: refitting its own predictions changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.array(grid, { minLength: 1, maxLength: 30 }), (ys, xs0) => {
        const xs = Array.from(new Set(xs0)).sort((a, b) => a - b);
        const y = ys.slice(0, xs.length).sort((a, b) => a - b);
        const x = xs.slice(0, y.length);
        expect(poolAdjacentViolators(y, y.map(() => 1))).toEqual(y);
        const cal = fitIsotonic(x, y)!;
        x.forEach((xi, i) => expect(predictIsotonic(cal, xi)).toBeCloseTo(y[i]!, 15));
        const again = fitIsotonic(x, x.map((xi) => predictIsotonic(cal, xi)))!;
        expect(again.y.length).toBe(cal.y.length);
        again.y.forEach((v, i) => expect(v).toBeCloseTo(cal.y[i]!, 15));
      }),
      { numRuns: 200 },
    );
  });

  it('checkCalibration rejects what a corrupted row would hold', () => {
    expect(checkCalibration({ x: [0.2, 0.1], y: [0, 1] })).toMatch(/calibration.x\[1\]/);
    expect(checkCalibration({ x: [0.1, 0.2], y: [0.5, 0.4] })).toMatch(/calibration.y\[1\]/);
    expect(checkCalibration({ x: [], y: [] })).toMatch(/same length/);
    expect(checkCalibration(null)).toMatch(/expected/);
  });
});
