// Attributions (METRICS.md "Explanations"): the check of a line's `attributions`, the exact
// sums behind the statistics (held to the correctly rounded value by BigInt arithmetic),
// that no order, split, merge or removal changes a window's featureImportance, and the
// definition's edge cases (null means, a zero total, ties, impact).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addAttributions,
  checkAttributions,
  cloneAttributionStats,
  compareCodePoints,
  driftImpact,
  emptyAttributionStats,
  featureImportance,
  featureIndex,
  meanAbsAttributions,
  mergeAttributionsInto,
  type AttributionStats,
} from '../../../src/domain/metrics/attributions.js';
import { makeStatsContext } from '../../../src/domain/metrics/context.js';
import { baselineMeanAbs, buildBaselineProfile } from '../../../src/domain/metrics/profile.js';
import type { StatsEvent } from '../../../src/domain/metrics/stats-event.js';
import type { ModelRecord } from '../../../src/domain/model.js';
import { addExact, emptyExactSum, exactMean, exactSumValue, fsum, mergeExactInto } from '../../../src/domain/metrics/exact-sum.js';

const NAMES = ['x', 'y', 'g', 'z'];
const INDEX = featureIndex(NAMES.map((name) => ({ name })));

describe('checkAttributions', () => {
  const bad = (v: unknown) => {
    const r = checkAttributions(INDEX, v);
    if (r.ok) throw new Error('accepted');
    return `${r.field}: ${r.reason}`;
  };

  it('takes none, an empty object, or known features with finite numbers', () => {
    expect(checkAttributions(INDEX, undefined)).toEqual({ ok: true, attributions: null });
    expect(checkAttributions(INDEX, null)).toEqual({ ok: true, attributions: null });
    expect(checkAttributions(INDEX, {})).toEqual({ ok: true, attributions: {} });
    expect(checkAttributions(INDEX, { x: -0.5, g: 0, z: 1e300 })).toEqual({ ok: true, attributions: { x: -0.5, g: 0, z: 1e300 } });
  });

  it('refuses the rest, naming attributions or attributions.<feature>', () => {
    expect(bad([1, 2])).toBe('attributions: must be an object of feature name -> number, got an array');
    expect(bad('x')).toBe('attributions: must be an object of feature name -> number, got "x"');
    expect(bad(3)).toBe('attributions: must be an object of feature name -> number, got 3');
    expect(bad({ x: 1, colour: 2 })).toBe('attributions.colour: the model has no feature named "colour" (features: x, y, g, z)');
    expect(bad({ y: '0.3' })).toBe('attributions.y: must be a finite number, got "0.3"');
    expect(bad({ y: null })).toBe('attributions.y: must be a finite number, got null (leave a feature out when it has no attribution)');
    expect(bad({ y: true })).toBe('attributions.y: must be a finite number, got true');
    expect(bad({ y: { v: 1 } })).toBe('attributions.y: must be a finite number, got an object');
    expect(bad({ y: NaN })).toBe('attributions.y: must be a finite number, got NaN');
    expect(bad({ y: Infinity })).toBe('attributions.y: must be a finite number, got Infinity');
    const long = 'k'.repeat(100);
    expect(bad({ [long]: 1 })).toMatch(/^attributions\."k{40}"\.\.\. \(100 characters\): the model has no feature named/);
  });

  it('a prototype name is a feature only when the model has one', () => {
    expect(bad(JSON.parse('{"__proto__": 1}'))).toMatch(/^attributions.__proto__: the model has no feature/);
    expect(bad({ toString: 1 })).toMatch(/^attributions.toString: the model has no feature/);
    const idx = featureIndex([{ name: '__proto__' }, { name: 'constructor' }]);
    expect(checkAttributions(idx, JSON.parse('{"__proto__": 2, "constructor": -1}')).ok).toBe(true);
  });
});

// ---------------------------------------------------------------- exact sums

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** x as an exact multiple of 2^-1074 (every finite double is one). */
function scaled(x: number): bigint {
  F64[0] = x;
  const bits = U64[0]!;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mag = exp === 0 ? frac : (frac | (1n << 52n)) << BigInt(exp - 1);
  return bits >> 63n ? -mag : mag;
}

function nextAfter(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  F64[0] = x;
  U64[0] = U64[0]! + ((x > 0) === up ? 1n : -1n);
  return F64[0]!;
}

/** r is the double nearest the exact sum of `terms`, ties to even (or Infinity past the largest). */
function assertCorrectlyRounded(terms: number[], r: number): void {
  const exact = terms.reduce((s, x) => s + scaled(x), 0n);
  const limit = scaled(Number.MAX_VALUE) + (1n << 969n); // MAX + half an ulp: rounds to infinity
  if (!Number.isFinite(r)) {
    expect(exact >= limit || exact <= -limit).toBe(true);
    return;
  }
  const dist = (y: number) => (Number.isFinite(y) ? (exact - scaled(y) < 0n ? scaled(y) - exact : exact - scaled(y)) : null);
  const d = dist(r)!;
  for (const y of [nextAfter(r, true), nextAfter(r, false)]) {
    const dy = dist(y);
    if (dy === null) continue;
    expect(d <= dy).toBe(true);
    if (d === dy) expect(evenMantissa(r)).toBe(true);
  }
}

function evenMantissa(x: number): boolean {
  F64[0] = x;
  return (U64[0]! & 1n) === 0n;
}

const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
const moderate = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -1000, max: 1000 }).map((i) => i / 1000));

describe('exact sums', () => {
  it('are math.fsum: correctly rounded whatever the terms (checked in BigInt)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyDouble, moderate), { maxLength: 40 }), (terms) => {
        assertCorrectlyRounded(terms, fsum(terms));
      }),
      { numRuns: 2000 },
    );
  });

  it('give what CPython math.fsum gives on the classic cases', () => {
    expect(fsum([1e100, 1, -1e100])).toBe(1);
    expect(fsum(Array(10).fill(0.1))).toBe(1);
    expect(fsum([1, 1e-16, 1e-16])).toBe(1.0000000000000002);
    expect(fsum([1e308, 1e308, -1e308])).toBe(1e308); // no overflow on the way
    expect(fsum([])).toBe(0);
    // a tie between two doubles rounds to the even one, even with a tail far below
    expect(fsum([1, 2 ** -53, 2 ** -1074])).toBe(1 + 2 ** -52);
    expect(fsum([1, 2 ** -53])).toBe(1);
  });

  it('split and merged in any order, with removals, give the same value to the bit', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyDouble, moderate), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (terms, cuts) => {
        const whole = emptyExactSum();
        for (const t of terms) addExact(whole, t);
        const at = [...new Set(cuts.map((c) => c % terms.length))].sort((a, b) => a - b);
        const parts = [0, ...at, terms.length].slice(0, -1).map((lo, i, all) => {
          const s = emptyExactSum();
          for (const t of terms.slice(lo, all[i + 1] ?? terms.length).reverse()) addExact(s, t);
          return s;
        });
        const merged = emptyExactSum();
        for (const p of parts.reverse()) mergeExactInto(merged, p);
        expect(exactSumValue(merged)).toBe(exactSumValue(whole));
        // take the first part out again: the rest's sum
        const rest = emptyExactSum();
        for (const t of terms.slice(at[0] ?? terms.length)) addExact(rest, t);
        mergeExactInto(merged, parts.at(-1)!, -1);
        expect(exactSumValue(merged)).toBe(exactSumValue(rest));
      }),
      { numRuns: 1000 },
    );
  });

  it('a mean whose sum overflows is still the mean', () => {
    const s = emptyExactSum();
    addExact(s, Number.MAX_VALUE);
    addExact(s, Number.MAX_VALUE);
    expect(exactSumValue(s)).toBe(Infinity);
    expect(exactMean(s, 2)).toBe(Number.MAX_VALUE);
    addExact(s, -Number.MAX_VALUE);
    expect(exactSumValue(s)).toBe(Number.MAX_VALUE);
  });
});

// ---------------------------------------------------------------- statistics and importance

const attrValue = fc.oneof(moderate, fc.constantFrom(0, -0, 1e-300, 2 ** 600));
const row = fc.dictionary(fc.constantFrom(...NAMES), attrValue, { maxKeys: 4 });

function statsOf(rows: Array<Record<string, number>>): AttributionStats {
  const s = emptyAttributionStats(NAMES.length);
  for (const r of rows) addAttributions(s, INDEX, r);
  return s;
}

describe('attribution statistics', () => {
  it('no order, split, merge, JSON round trip or removal changes featureImportance', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.array(row, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 5 }), (rows, base, cuts) => {
        const baseline = meanAbsAttributions(statsOf(base), NAMES.length);
        const want = featureImportance(NAMES, statsOf(rows), baseline);
        const n = rows.length + 1;
        const at = [...new Set(cuts.map((c) => c % n))].sort((a, b) => a - b);
        const bounds = [0, ...at, rows.length];
        const parts = bounds.slice(0, -1).map((lo, i) => statsOf(rows.slice(lo, bounds[i + 1]).reverse()));
        // merged as a tree: pairs, then pairs of pairs
        let level = parts.map((p) => JSON.parse(JSON.stringify(p)) as AttributionStats);
        while (level.length > 1) {
          const up: AttributionStats[] = [];
          for (let i = 0; i < level.length; i += 2) {
            const t = cloneAttributionStats(level[i]!);
            if (level[i + 1]) mergeAttributionsInto(t, level[i + 1]!);
            up.push(t);
          }
          level = up;
        }
        expect(featureImportance(NAMES, level[0] ?? emptyAttributionStats(NAMES.length), baseline)).toEqual(want);
        // rows added then taken out (sign -1) leave the rest
        const s = statsOf(rows);
        const extra = statsOf(base);
        mergeAttributionsInto(s, extra);
        for (const r of base) addAttributions(s, INDEX, r, -1);
        expect(featureImportance(NAMES, s, baseline)).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });

  it('counts only finite attributions of the index, means |a| exactly', () => {
    const s = statsOf([{ x: -1, y: 0.1 }, { x: 3 }, { y: 0.2 }, { y: 0.3 }]);
    addAttributions(s, INDEX, { nope: 5, x: NaN } as Record<string, number>);
    const fi = featureImportance(NAMES, s, null);
    expect(fi.map((f) => [f.feature, f.meanAbsAttribution, f.sampleSize])).toEqual([
      ['x', 2, 2],
      ['y', 0.6 / 3, 3], // fsum(0.1, 0.2, 0.3) = 0.6 exactly rounded, then / 3
      ['g', null, 0],
      ['z', null, 0],
    ]);
  });
});

describe('featureImportance and impact, per the definition', () => {
  it('shares of the non-null means, ranks by mean then name, nulls without attributions or baseline', () => {
    const w = statsOf([{ x: 1, y: -3, z: 1 }]);
    const fi = featureImportance(NAMES, w, meanAbsAttributions(statsOf([{ x: 2, y: 2 }]), NAMES.length));
    expect(fi).toEqual([
      { feature: 'x', meanAbsAttribution: 1, share: 0.2, rank: 2, baselineMeanAbsAttribution: 2, baselineShare: 0.5, sampleSize: 1 },
      { feature: 'y', meanAbsAttribution: 3, share: 0.6, rank: 1, baselineMeanAbsAttribution: 2, baselineShare: 0.5, sampleSize: 1 },
      { feature: 'g', meanAbsAttribution: null, share: null, rank: null, baselineMeanAbsAttribution: null, baselineShare: null, sampleSize: 0 },
      { feature: 'z', meanAbsAttribution: 1, share: 0.2, rank: 3, baselineMeanAbsAttribution: null, baselineShare: null, sampleSize: 1 },
    ]);
    const none = featureImportance(NAMES, emptyAttributionStats(4), null);
    expect(none.every((f) => f.meanAbsAttribution === null && f.share === null && f.rank === null && f.baselineShare === null && f.sampleSize === 0)).toBe(true);
  });

  it('every mean 0: shares null (0/0), ranks by name', () => {
    const fi = featureImportance(NAMES, statsOf([{ z: 0, x: -0, y: 0 }]), null);
    expect(fi.map((f) => [f.feature, f.meanAbsAttribution, f.share, f.rank])).toEqual([
      ['x', 0, null, 1],
      ['y', 0, null, 2],
      ['g', null, null, null],
      ['z', 0, null, 3],
    ]);
  });

  it('ties by name in code point order (as the reference sorts), not UTF-16', () => {
    const names = ['\u{10000}', '\uffff', 'a'];
    const idx = featureIndex(names.map((name) => ({ name })));
    const s = emptyAttributionStats(3);
    addAttributions(s, idx, { '\u{10000}': 1, '\uffff': -1, a: 1 });
    expect(featureImportance(names, s, null).map((f) => f.rank)).toEqual([3, 2, 1]);
    expect(compareCodePoints('\uffff', '\u{10000}')).toBeLessThan(0);
    expect('\u{10000}' < '\uffff').toBe(true); // what a plain string sort would have done
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'a')).toBe(0);
  });

  it('impact is psi x baselineShare, null when either is', () => {
    expect(driftImpact(0.5, 0.25)).toBe(0.125);
    expect(driftImpact(0, 0.25)).toBe(0);
    expect(driftImpact(null, 0.25)).toBeNull();
    expect(driftImpact(0.5, null)).toBeNull();
  });
});

describe('the baseline profile keeps the baseline rows\' mean |a|', () => {
  const model: ModelRecord = {
    id: 1,
    name: 'm',
    task: 'REGRESSION',
    description: null,
    positiveClass: null,
    decisionThreshold: null,
    features: ['x', '__proto__', 'g'].map((name) => ({ name, type: 'NUMERIC' as const, protected: false, min: null, max: null })),
    createdAt: 0,
    updatedAt: 0,
  };
  const row = (attributions: Record<string, unknown> | null): StatsEvent => ({ features: { x: 1, __proto__: 2, g: 3 }, score: null, predictedLabel: null, value: 1, actualLabel: null, actualValue: null, attributions });

  it('per feature with one: n and the exact mean; none where no row has one', () => {
    const p = buildBaselineProfile(model, [row({ x: 0.1, ['__proto__']: -2 }), row({ x: -0.2 }), row(null), row({ x: 0.3 })]);
    // fsum(0.1, 0.2, 0.3) = 0.6, then / 3 (0.19999999999999998, not 0.2)
    expect(JSON.stringify(p.attributions)).toBe(`{"x":{"n":3,"meanAbs":${0.6 / 3}},"__proto__":{"n":1,"meanAbs":2}}`);
    expect(baselineMeanAbs(p, ['x', '__proto__', 'g'])).toEqual([0.6 / 3, 2, null]);
    // as stored (JSON) and read back: the same
    expect(makeStatsContext(model, JSON.parse(JSON.stringify(p))).baselineMeanAbs).toEqual([0.6 / 3, 2, null]);
  });

  it('a profile stored before attributions existed reads as no baseline attributions', () => {
    const p = buildBaselineProfile(model, [row(null), row(null)]);
    const { attributions: _, ...old } = p;
    for (const profile of [old, p, null]) {
      const ctx = makeStatsContext(model, profile);
      expect(ctx.baselineMeanAbs).toEqual([null, null, null]);
      const fi = featureImportance(['x', '__proto__', 'g'], statsOf([{ x: 1 }]), ctx.baselineMeanAbs);
      expect(fi.map((f) => [f.baselineMeanAbsAttribution, f.baselineShare])).toEqual([
        [null, null],
        [null, null],
        [null, null],
      ]);
    }
    // the statistics' key does not depend on attributions: stored hours stay valid
    expect(buildBaselineProfile(model, [row({ x: 5 }), row(null)]).key).toBe(p.key);
  });
});
