// A segment: a named conjunction of conditions on a model's features (contract 10,
// CreateSegmentInput), and the checks a definition must pass before it is stored. Each
// problem names the argument path (`input.conditions[1].gte`) and why.
import { SLUG, SLUG_RULE } from '../names.js';
import { closestNames } from '../closest-names.js';
import { MAX_LIST, MAX_STRING } from '../input/limits.js';
import { PREVIEW_CHARS, preview, textProblem } from '../input/text.js';
import type { FeatureDef } from '../model.js';

/** A condition as stored and shown (SegmentCondition): every operator, null when not given. */
export interface SegmentCondition {
  feature: string;
  in: string[] | null;
  gte: number | null;
  gt: number | null;
  lte: number | null;
  lt: number | null;
  isMissing: boolean | null;
}

export interface SegmentDef {
  name: string;
  conditions: SegmentCondition[];
}

/** CreateSegmentInput's name and conditions, as a client sent them (typed loosely: a config file may send anything). */
export interface SegmentInput {
  name: unknown;
  conditions: unknown;
}

export type SegmentCheck = { ok: true; segment: SegmentDef } | { ok: false; field: string; message: string };

/** Conditions one segment may have. */
export const MAX_CONDITIONS = MAX_LIST;
/** Values one `in` may list (a country, a product line... out of many). */
export const MAX_IN_VALUES = 1000;

const BOUNDS = ['gte', 'gt', 'lte', 'lt'] as const;
const KEYS = new Set(['feature', 'in', ...BOUNDS, 'isMissing']);

class Problem {
  constructor(
    readonly field: string,
    readonly message: string,
  ) {}
}

const shown = (v: unknown): string => {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return typeof v === 'string' ? preview(v) : String(v);
};

/** A feature as a segment needs it: its type, when known, refuses bounds that can never hold. */
type SegmentFeature = Pick<FeatureDef, 'name'> & Partial<Pick<FeatureDef, 'type'>>;

function featureOf(v: unknown, features: readonly SegmentFeature[], field: string): string {
  if (typeof v !== 'string') throw new Problem(field, `must be a feature name, got ${shown(v)}`);
  if (features.some((f) => f.name === v)) return v;
  const names = features.map((f) => f.name);
  const near = closestNames(v, names);
  const hint = near.length ? `did you mean ${near.join(' or ')}?` : `features: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`;
  throw new Problem(field, `the model has no feature named ${preview(v)} (${hint})`);
}

function valuesOf(v: unknown, field: string): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw new Problem(field, `must be a list of strings, got ${shown(v)}`);
  if (v.length === 0) throw new Problem(field, 'must list at least one value (an empty list matches no event)');
  if (v.length > MAX_IN_VALUES) throw new Problem(field, `must list at most ${MAX_IN_VALUES} values, got ${v.length}`);
  return v.map((s, j) => {
    // values are compared as String() writes the event's: "3", "true"; a number here would hide that
    if (typeof s !== 'string') throw new Problem(`${field}[${j}]`, `must be a string (values are compared as strings, e.g. "3" or "true"), got ${shown(s)}`);
    const problem = textProblem(s, MAX_STRING);
    if (problem) throw new Problem(`${field}[${j}]`, problem);
    return s;
  });
}

function boundOf(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Problem(field, `must be a finite number, got ${shown(v)}`);
  return v;
}

/** The range the bounds leave must hold a value, and each side takes one bound. */
function checkRange(c: SegmentCondition, at: string): void {
  if (c.gte !== null && c.gt !== null) throw new Problem(`${at}.gt`, 'give one lower bound, gte or gt, not both');
  if (c.lte !== null && c.lt !== null) throw new Problem(`${at}.lt`, 'give one upper bound, lte or lt, not both');
  const lo = c.gte ?? c.gt;
  const hi = c.lte ?? c.lt;
  if (lo === null || hi === null) return;
  const strict = c.gt !== null || c.lt !== null;
  if (hi > lo || (hi === lo && !strict)) return;
  const range = `${c.gte !== null ? '[' : '('}${lo}, ${hi}${c.lte !== null ? ']' : ')'}`;
  throw new Problem(`${at}.${c.lte !== null ? 'lte' : 'lt'}`, `the range ${range} holds no value: the upper bound must be above the lower`);
}

function conditionOf(v: unknown, features: readonly SegmentFeature[], at: string): SegmentCondition {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Problem(at, `must be a condition object, got ${shown(v)}`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) throw new Problem(`${at}.${k.length <= PREVIEW_CHARS ? k : preview(k)}`, `is not a condition key (feature, in, gte, gt, lte, lt, isMissing)`);
  }
  const feature = featureOf(o.feature, features, `${at}.feature`);
  const isMissing = o.isMissing ?? null;
  if (isMissing !== null && typeof isMissing !== 'boolean') throw new Problem(`${at}.isMissing`, `must be true or false, got ${shown(isMissing)}`);
  const c: SegmentCondition = {
    feature,
    in: valuesOf(o.in, `${at}.in`),
    gte: boundOf(o.gte, `${at}.gte`),
    gt: boundOf(o.gt, `${at}.gt`),
    lte: boundOf(o.lte, `${at}.lte`),
    lt: boundOf(o.lt, `${at}.lt`),
    isMissing,
  };
  const bounds = BOUNDS.filter((k) => c[k] !== null);
  // a categorical feature's values are labels: a numeric bound on them would hold for no event
  if (bounds.length > 0 && features.find((f) => f.name === feature)?.type === 'CATEGORICAL') {
    throw new Problem(`${at}.${bounds[0]}`, `${preview(feature)} is CATEGORICAL: numeric bounds apply to NUMERIC features; list its values with in`);
  }
  if (c.in === null && bounds.length === 0 && isMissing === null) {
    throw new Problem(at, `a condition on ${preview(feature)} needs at least one of in, gte, gt, lte, lt, isMissing`);
  }
  if (isMissing === true && (c.in !== null || bounds.length > 0)) {
    const with_ = c.in !== null ? 'in' : bounds[0];
    throw new Problem(`${at}.isMissing`, `true never holds together with ${with_}: a missing value is in no list and within no bound`);
  }
  checkRange(c, at);
  return c;
}

/**
 * Checks a segment definition against the model's features (fields named under `prefix`).
 * Name uniqueness within the model is the service's to check: it needs the store.
 */
export function checkSegment(features: readonly SegmentFeature[], input: SegmentInput, prefix = 'input'): SegmentCheck {
  try {
    const name = input.name;
    if (typeof name !== 'string' || !SLUG.test(name)) {
      throw new Problem(
        `${prefix}.name`,
        `${shown(name)} is not a valid segment name: ${SLUG_RULE}`,
      );
    }
    const list = input.conditions;
    if (!Array.isArray(list)) throw new Problem(`${prefix}.conditions`, `must be a list of conditions, got ${shown(list)}`);
    if (list.length === 0) throw new Problem(`${prefix}.conditions`, 'a segment needs at least one condition');
    if (list.length > MAX_CONDITIONS) throw new Problem(`${prefix}.conditions`, `must have at most ${MAX_CONDITIONS} conditions, got ${list.length}`);
    const conditions = list.map((c, i) => conditionOf(c, features, `${prefix}.conditions[${i}]`));
    return { ok: true, segment: { name, conditions } };
  } catch (e) {
    if (e instanceof Problem) return { ok: false, field: e.field, message: e.message };
    throw e;
  }
}

/** A segment as the registry stores it. */
export interface SegmentRecord extends SegmentDef {
  id: number;
  modelId: number;
  createdAt: number;
}
