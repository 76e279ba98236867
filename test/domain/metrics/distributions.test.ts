// The p-value tails against the fixtures' scipy numbers, to far tighter than METRICS.md asks.
import { describe, expect, it } from 'vitest';
import { chi2Sf } from '../../../src/domain/metrics/chi2.js';
import { kolmogorovSf, ksTwoSamplePValue, roundHalfEven, smirnovSf } from '../../../src/domain/metrics/kolmogorov.js';
import { FIXTURE_NAMES, loadFixture } from './load-fixture.js';

const drifts = FIXTURE_NAMES.flatMap((name) =>
  loadFixture(name).expected.windows.flatMap((w) =>
    [...Object.entries<any>(w.drift), ['output', w.outputDrift] as [string, any]].map(([f, d]) => ({ where: `${name} ${w.from} ${f}`, ...d })),
  ),
);

describe('kstwo.sf (Simard & L’Ecuyer regimes as scipy)', () => {
  const ks = drifts.filter((d) => d.ksPValue !== undefined && d.ksPValue !== null);
  it.each(ks.map((d) => [d.where, d] as const))('%s', (_w, d) => {
    const p = ksTwoSamplePValue(d.ksStatistic, d.sampleSize, d.baselineSize);
    expect(Math.abs(p - d.ksPValue)).toBeLessThanOrEqual(1e-12 * d.ksPValue + 1e-300);
  });

  it('is a survival function: 1 at 0, 0 at 1, decreasing in d, continuous across regimes', () => {
    for (const n of [1, 2, 5, 27, 140, 141, 183, 1000, 47_619]) {
      expect(kolmogorovSf(n, 0)).toBe(1);
      expect(kolmogorovSf(n, 1)).toBe(0);
      let prev = 1;
      for (let i = 1; i < 400; i++) {
        const p = kolmogorovSf(n, i / 400);
        expect(p).toBeLessThanOrEqual(prev + 1e-12);
        expect(p).toBeGreaterThanOrEqual(0);
        prev = p;
      }
      // no jump where the algorithm changes (n d^2 = 0.754693, 2.2, 4; n d^1.5 = 1.4; n d = 1; d = 1/2)
      for (const d of [Math.sqrt(0.754693 / n), Math.sqrt(2.2 / n), Math.sqrt(4 / n), (1.4 / n) ** (2 / 3), 1 / n, 0.5]) {
        if (d <= 0 || d >= 1) continue;
        // Pelz-Good is an asymptotic series (~5 digits, Simard & L’Ecuyer 2011 §3): scipy jumps there too
        expect(Math.abs(kolmogorovSf(n, d * (1 - 1e-9)) - kolmogorovSf(n, d * (1 + 1e-9)))).toBeLessThan(1e-5);
      }
    }
  });

  it('one-sided tail: D+ of one observation is 1 - d', () => {
    expect(smirnovSf(1, 0.3)).toBeCloseTo(0.7, 14);
  });

  it('rounds the effective size half to even, as np.round', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3]);
  });
});

describe('chi-square tail', () => {
  it('matches closed forms, the far tail keeping its digits', () => {
    // dof 2: exp(-x/2)
    for (const x of [0.1, 1, 10, 50, 89.15, 200]) expect(chi2Sf(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 12);
    // dof 1: erfc(sqrt(x/2)) (values from Python's math.erfc)
    expect(chi2Sf(1, 1) / 0.31731050786291404).toBeCloseTo(1, 12);
    expect(chi2Sf(10, 1) / 0.0015654022580025488).toBeCloseTo(1, 12);
    expect(chi2Sf(100, 1) / 1.5239706048320995e-23).toBeCloseTo(1, 10);
    expect(chi2Sf(0, 3)).toBe(1);
  });
});
