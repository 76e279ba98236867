// Segments (contract 10, METRICS.md "Segments and versions"): the checks a definition
// passes, each refusal naming the argument path; membership as the definition reads, on
// every kind of value (String() for `in`, type mismatches, missing); and the compiled
// predicate ingest uses giving the same answers as the plain reading on random input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSegment, conditionHolds, inSegment } from '../../src/domain/segments/match.js';
import { checkSegment, type SegmentCondition } from '../../src/domain/segments/segment.js';
import { inSegment as inSegmentOfLoader } from './metrics/load-next.js';

const FEATURES = ['x', 'color', 'flag', 'toString', '__proto__'].map((name) => ({ name }));

const problem = (name: unknown, conditions: unknown, prefix?: string) => {
  const r = checkSegment(FEATURES, { name, conditions }, prefix);
  if (r.ok) throw new Error('accepted');
  return `${r.field}: ${r.message}`;
};
const cond = (c: Record<string, unknown>) => problem('s', [{ feature: 'x', ...c }]);

describe('checkSegment', () => {
  it('keeps a valid definition with every operator spelled out', () => {
    const r = checkSegment(FEATURES, { name: 'eu-mid_v1.2', conditions: [{ feature: 'color', in: ['red', ''] }, { feature: 'x', gte: 5, lte: 5, isMissing: false }, { feature: 'flag', isMissing: true }] });
    expect(r).toEqual({
      ok: true,
      segment: {
        name: 'eu-mid_v1.2',
        conditions: [
          { feature: 'color', in: ['red', ''], gte: null, gt: null, lte: null, lt: null, isMissing: null },
          { feature: 'x', in: null, gte: 5, gt: null, lte: 5, lt: null, isMissing: false },
          { feature: 'flag', in: null, gte: null, gt: null, lte: null, lt: null, isMissing: true },
        ],
      },
    });
  });

  it('names: slugs, like model names', () => {
    for (const bad of ['Bad', 'has space', '', '-lead', 'a'.repeat(65), 3, null]) {
      expect(problem(bad, [{ feature: 'x', gt: 0 }])).toMatch(/^input\.name: .* is not a valid segment name: use 1-64 lower-case letters/);
    }
    expect(checkSegment(FEATURES, { name: 'a'.repeat(64), conditions: [{ feature: 'x', gt: 0 }] }).ok).toBe(true);
    expect(problem('Bad', [], 'segments[2]')).toMatch(/^segments\[2\]\.name: "Bad" is not a valid/);
  });

  it('conditions: a non-empty list of objects', () => {
    expect(problem('s', 'x')).toBe('input.conditions: must be a list of conditions, got "x"');
    expect(problem('s', [])).toBe('input.conditions: a segment needs at least one condition');
    expect(problem('s', Array(101).fill({ feature: 'x', gt: 0 }))).toBe('input.conditions: must have at most 100 conditions, got 101');
    expect(problem('s', [{ feature: 'x', gt: 0 }, null])).toBe('input.conditions[1]: must be a condition object, got null');
    expect(problem('s', [[]])).toBe('input.conditions[0]: must be a condition object, got a list');
  });

  it('feature: one of the model', () => {
    expect(problem('s', [{ feature: 'colr', in: ['a'] }])).toBe('input.conditions[0].feature: the model has no feature named "colr" (did you mean color?)');
    expect(problem('s', [{ feature: 'qqqqqqq', in: ['a'] }])).toBe('input.conditions[0].feature: the model has no feature named "qqqqqqq" (features: x, color, flag, toString, __proto__)');
    expect(problem('s', [{ in: ['a'] }])).toBe('input.conditions[0].feature: must be a feature name, got undefined');
    expect(problem('s', [{ feature: 'x', eq: 3 }])).toBe('input.conditions[0].eq: is not a condition key (feature, in, gte, gt, lte, lt, isMissing)');
  });

  it('at least one operator; isMissing a boolean, and never true beside a list or a bound', () => {
    expect(cond({})).toBe('input.conditions[0]: a condition on "x" needs at least one of in, gte, gt, lte, lt, isMissing');
    expect(cond({ in: null, gte: null, isMissing: null })).toMatch(/needs at least one of/);
    expect(cond({ isMissing: 'yes' })).toBe('input.conditions[0].isMissing: must be true or false, got "yes"');
    expect(cond({ isMissing: true, in: ['1'] })).toBe('input.conditions[0].isMissing: true never holds together with in: a missing value is in no list and within no bound');
    expect(cond({ isMissing: true, lt: 1 })).toMatch(/^input\.conditions\[0\]\.isMissing: true never holds together with lt/);
  });

  it('bounds: finite numbers, one per side, leaving a range that holds a value', () => {
    expect(problem('s', [{ feature: 'x', gt: 0 }, { feature: 'x', gte: Infinity }])).toBe('input.conditions[1].gte: must be a finite number, got Infinity');
    expect(cond({ lt: NaN })).toBe('input.conditions[0].lt: must be a finite number, got NaN');
    expect(cond({ gte: '3' })).toBe('input.conditions[0].gte: must be a finite number, got "3"');
    expect(cond({ gte: 1, gt: 2 })).toBe('input.conditions[0].gt: give one lower bound, gte or gt, not both');
    expect(cond({ lte: 1, lt: 2 })).toBe('input.conditions[0].lt: give one upper bound, lte or lt, not both');
    expect(cond({ gte: 5, lt: 5 })).toBe('input.conditions[0].lt: the range [5, 5) holds no value: the upper bound must be above the lower');
    expect(cond({ gt: 5, lte: 5 })).toBe('input.conditions[0].lte: the range (5, 5] holds no value: the upper bound must be above the lower');
    expect(cond({ gte: 6, lte: 5 })).toMatch(/^input\.conditions\[0\]\.lte: the range \[6, 5\] holds no value/);
    expect(checkSegment(FEATURES, { name: 's', conditions: [{ feature: 'x', gt: -1e-300, lt: 1e-300 }] }).ok).toBe(true);
  });

  it('in: a non-empty list of storable strings', () => {
    expect(cond({ in: [] })).toBe('input.conditions[0].in: must list at least one value (an empty list matches no event)');
    expect(cond({ in: 'red' })).toBe('input.conditions[0].in: must be a list of strings, got "red"');
    expect(cond({ in: ['a', 3] })).toBe('input.conditions[0].in[1]: must be a string (values are compared as strings, e.g. "3" or "true"), got 3');
    expect(cond({ in: ['a\0b'] })).toBe('input.conditions[0].in[0]: contains a NUL character (U+0000), which cannot be stored');
    expect(cond({ in: ['x'.repeat(257)] })).toBe('input.conditions[0].in[0]: must be at most 256 characters, got 257');
    expect(cond({ in: Array(1001).fill('a') })).toBe('input.conditions[0].in: must list at most 1000 values, got 1001');
  });

  it('bounds on a CATEGORICAL feature are refused (they would hold for no event); in on a NUMERIC one is allowed', () => {
    const typed = [
      { name: 'x', type: 'NUMERIC' as const },
      { name: 'color', type: 'CATEGORICAL' as const },
    ];
    const r = checkSegment(typed, { name: 's', conditions: [{ feature: 'x', in: ['1'] }, { feature: 'color', lt: 3 }] });
    expect(r).toEqual({ ok: false, field: 'input.conditions[1].lt', message: '"color" is CATEGORICAL: numeric bounds apply to NUMERIC features; list its values with in' });
    expect(checkSegment(typed, { name: 's', conditions: [{ feature: 'x', in: ['1', '2'] }, { feature: 'color', in: ['red'], isMissing: false }] }).ok).toBe(true);
  });
});

const c = (o: Partial<SegmentCondition>): SegmentCondition => ({ feature: 'v', in: null, gte: null, gt: null, lte: null, lt: null, isMissing: null, ...o });
const ABSENT = Symbol('absent');

/** Both readings of one condition on one value (ABSENT: the event lacks the feature). */
function holds(cd: SegmentCondition, v: unknown): boolean {
  const features: Record<string, unknown> = v === ABSENT ? {} : { [cd.feature]: v };
  const plain = inSegment([cd], features);
  expect(compileSegment([cd])(features), `compiled vs plain on ${String(v)}`).toBe(plain);
  expect(conditionHolds(cd, v === ABSENT ? undefined : v)).toBe(plain);
  return plain;
}

describe('membership, as METRICS.md reads', () => {
  it('in: String() of a string, number or boolean is listed; nothing else ever is', () => {
    const three = c({ in: ['3', 'true', '0', '1e+21', 'NaN', 'Infinity'] });
    for (const v of [3, 3.0, '3', true, 'true', 0, -0, 1e21, '1e+21', 'NaN', Infinity]) expect(holds(three, v), String(v)).toBe(true);
    for (const v of ['3.0', ' 3', 3.5, false, 'True', NaN, null, ABSENT, [3], { v: 3 }, ['true']]) expect(holds(three, v), String(v)).toBe(false);
    expect(holds(c({ in: ['false', ''] }), false)).toBe(true);
    expect(holds(c({ in: ['false', ''] }), '')).toBe(true);
    expect(holds(c({ in: ['false', ''] }), 0)).toBe(false);
  });

  it('bounds: a finite number within every bound given', () => {
    const r = c({ gte: 0, lt: 1 });
    for (const v of [0, 0.5, 1 - 2 ** -53]) expect(holds(r, v)).toBe(true);
    for (const v of [1, -1e-300, '0.5', true, null, NaN, ABSENT, [0.5], Infinity]) expect(holds(r, v)).toBe(false);
    expect(holds(c({ gt: 0 }), Infinity)).toBe(false); // a type mismatch, not a large number
    expect(holds(c({ lte: 0 }), -Infinity)).toBe(false);
    expect(holds(c({ gt: 0 }), 0)).toBe(false);
    expect(holds(c({ lte: 0 }), 0)).toBe(true);
    // both bounds of a side (refused at creation, still read as "every bound holds")
    expect(holds(c({ gte: 1, gt: 1 }), 1)).toBe(false);
    expect(holds(c({ gte: 2, gt: 1 }), 1.5)).toBe(false);
    expect(holds(c({ lte: 2, lt: 3 }), 2.5)).toBe(false);
  });

  it('isMissing: absent, null or NaN; a type mismatch is present', () => {
    for (const v of [ABSENT, null, NaN]) {
      expect(holds(c({ isMissing: true }), v)).toBe(true);
      expect(holds(c({ isMissing: false }), v)).toBe(false);
    }
    for (const v of [0, '', 'x', false, [], {}, Infinity]) {
      expect(holds(c({ isMissing: true }), v)).toBe(false);
      expect(holds(c({ isMissing: false }), v)).toBe(true);
    }
    expect(holds(c({ isMissing: false, gte: 1 }), 2)).toBe(true);
    expect(holds(c({ isMissing: false, gte: 1 }), 'x')).toBe(false);
  });

  it("a feature named after Object.prototype's members is absent when the event lacks it", () => {
    for (const feature of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const missing = [c({ feature, isMissing: true })];
      expect(inSegment(missing, {})).toBe(true);
      expect(compileSegment(missing)({})).toBe(true);
      const given = JSON.parse(`{"${feature}": "a"}`);
      expect(compileSegment([c({ feature, in: ['a'] })])(given)).toBe(true);
      expect(compileSegment(missing)(given)).toBe(false);
    }
  });

  it('a segment is the conjunction of its conditions', () => {
    const seg = [c({ feature: 'a', in: ['x'] }), c({ feature: 'b', gte: 1 })];
    const m = compileSegment(seg);
    expect([m({ a: 'x', b: 1 }), m({ a: 'x', b: 0 }), m({ a: 'y', b: 1 }), m({ b: 1 })]).toEqual([true, false, false, false]);
  });
});

const value = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(ABSENT, null, NaN) },
  { weight: 2, arbitrary: fc.constantFrom(Infinity, -Infinity, -0, true, false, '', 'a', 'b', '1', '1.5', '-0', 'NaN', 'true', [1], { a: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }).map(String) },
);
const number = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -3, max: 3, noNaN: true }));
const OPS = { in: fc.array(fc.constantFrom('a', 'b', '1', '-1', '0', '1.5', '-0', 'true', 'false', 'NaN', 'Infinity', ''), { minLength: 1, maxLength: 4 }), gte: number, gt: number, lte: number, lt: number, isMissing: fc.boolean() };
/** A feature and one or two operators (more would rarely hold, and say little). */
const condition: fc.Arbitrary<SegmentCondition> = fc
  .tuple(fc.constantFrom('p', 'q', 'toString'), fc.subarray(Object.keys(OPS) as Array<keyof typeof OPS>, { minLength: 1, maxLength: 2 }))
  .chain(([feature, ops]) => fc.record(Object.fromEntries(ops.map((k) => [k, OPS[k]]))).map((o) => c({ feature, ...o })));

describe('the compiled predicate', () => {
  it('answers as the plain reading on random conditions and values (and as the fixture loader, an independent reading)', () => {
    fc.assert(
      fc.property(fc.array(condition, { minLength: 1, maxLength: 3 }), fc.record({ p: value, q: value, toString: value }), (conds, vals) => {
        const features: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(vals)) if (v !== ABSENT) features[k] = v;
        const plain = inSegment(conds, features);
        expect(compileSegment(conds)(features)).toBe(plain);
        if (conds.every((x) => x.feature !== 'toString')) expect(inSegmentOfLoader([{ features }], conds).length === 1).toBe(plain);
      }),
      { numRuns: 5000 },
    );
  });
});
