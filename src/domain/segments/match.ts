// Whether an event (or a baseline row) is in a segment, as METRICS.md "Segments and
// versions" defines it: every condition holds. `conditionHolds` is that definition read
// plainly; `compileSegment` is the same predicate built once per segment for ingest, which
// tests dozens of segments per row (the two are property-tested against each other).
import { categoryOf } from '../metrics/values.js';
import type { SegmentCondition } from './segment.js';

/** Missing: absent, null, or NaN (METRICS.md "Windows and events"). */
export function isMissingValue(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && v !== v);
}

/**
 * A feature's value in an event's features: an own member only (a feature named
 * `toString` or `__proto__` that the event lacks is absent, not Object.prototype's).
 */
export function featureValue(features: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(features, name) ? features[name] : undefined;
}

const hasBounds = (c: SegmentCondition): boolean => c.gte !== null || c.gt !== null || c.lte !== null || c.lt !== null;

/** One condition on one value, read straight from the definition. */
export function conditionHolds(c: SegmentCondition, v: unknown): boolean {
  if (c.isMissing !== null && c.isMissing !== isMissingValue(v)) return false;
  if (c.in !== null) {
    // String() of a string, number or boolean; a missing value or a type mismatch never matches
    const s = categoryOf(v);
    if (typeof s !== 'string' || !c.in.includes(s)) return false;
  }
  if (hasBounds(c)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    if (c.gte !== null && !(v >= c.gte)) return false;
    if (c.gt !== null && !(v > c.gt)) return false;
    if (c.lte !== null && !(v <= c.lte)) return false;
    if (c.lt !== null && !(v < c.lt)) return false;
  }
  return true;
}

/** In the segment: every condition holds on the event's features. */
export function inSegment(conditions: readonly SegmentCondition[], features: Readonly<Record<string, unknown>>): boolean {
  return conditions.every((c) => conditionHolds(c, featureValue(features, c.feature)));
}

type ValueTest = (v: unknown) => boolean;

/**
 * `in` without String() per row: a number v has String(v) listed exactly when v is one of
 * the listed strings that a number writes back as itself ("3", "0.5", "1e+21"; not "3.0",
 * "-0" or "NaN", which no number's String() gives; a Set finds -0 as 0, and String(-0) is "0").
 */
function inTest(values: readonly string[]): ValueTest {
  const strings = new Set(values);
  const numbers = new Set<number>();
  for (const s of values) {
    const x = Number(s);
    if (x === x && String(x) === s) numbers.add(x);
  }
  const t = strings.has('true');
  const f = strings.has('false');
  return (v) => {
    if (typeof v === 'string') return strings.has(v);
    if (typeof v === 'number') return numbers.has(v);
    if (typeof v === 'boolean') return v ? t : f;
    return false;
  };
}

function rangeTest(c: SegmentCondition): ValueTest {
  const lo = c.gte ?? c.gt ?? -Infinity;
  const hi = c.lte ?? c.lt ?? Infinity;
  // both kinds of one side may be given: every bound must hold, so keep the tighter
  const loOpen = c.gt !== null && (c.gte === null || c.gt >= c.gte);
  const hiOpen = c.lt !== null && (c.lte === null || c.lt <= c.lte);
  const l = loOpen ? c.gt! : lo;
  const h = hiOpen ? c.lt! : hi;
  // v - v === 0: finite (NaN and ±Infinity give NaN)
  return (v) => typeof v === 'number' && v - v === 0 && (loOpen ? v > l : v >= l) && (hiOpen ? v < h : v <= h);
}

function valueTest(c: SegmentCondition): ValueTest {
  const tests: ValueTest[] = [];
  if (c.isMissing === true) tests.push(isMissingValue);
  if (c.isMissing === false) tests.push((v) => !isMissingValue(v));
  if (c.in !== null) tests.push(inTest(c.in));
  if (hasBounds(c)) tests.push(rangeTest(c));
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (v) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(v)) return false;
    return true;
  };
}

export type FeaturesPredicate = (features: Readonly<Record<string, unknown>>) => boolean;

/** The segment's predicate on an event's features, built once: the same answers as inSegment. */
export function compileSegment(conditions: readonly SegmentCondition[]): FeaturesPredicate {
  const names = conditions.map((c) => c.feature);
  const tests = conditions.map(valueTest);
  // names Object.prototype answers for need the own-member check; the rest a plain read
  const own = names.map((n) => n in Object.prototype);
  const n = names.length;
  return (features) => {
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      const v = own[i] ? featureValue(features, name) : features[name];
      if (!tests[i]!(v)) return false;
    }
    return true;
  };
}
