// Per-line validation of what a model is sent: predictions, actuals and baseline rows.
// Pure: the same checks for GraphQL items, NDJSON lines and CSV records. A feature value
// of the wrong type is not checked here on purpose: it is data about the model's inputs,
// stored as it came and counted by the integrity metrics.
import { parseAttributions, type StatsEvent } from '../metrics/stats-event.js';
import type { ModelRecord, TaskType } from '../model.js';
import { parseInstant } from './timestamp.js';
import { MAX_VALUE_DEPTH, NUL_PROBLEM, PREVIEW_CHARS, nestedDeeperThan, nulPathIn, preview, textProblem } from '../input/text.js';
import { checkAttributions, featureIndex, type FeatureIndex } from '../metrics/attributions.js';

export const MAX_EVENT_ID = 128;
/** Longest predictedLabel / actualLabel: a class name, not a document. */
export const MAX_LABEL = 256;

/** One rejected line: its 0-based index, its eventId when readable, a reason naming the field. */
export interface IngestError {
  index: number;
  eventId: string | null;
  message: string;
}

/** A prediction that passed validation, ready to store. */
export interface PredictionRow {
  index: number;
  eventId: string;
  ts: number;
  features: Record<string, unknown>;
  /** the features as they came (NDJSON), or null to serialise `features` */
  featuresText: string | null;
  score: number | null;
  predictedLabel: string | null;
  value: number | null;
  actualLabel: string | null;
  actualValue: number | null;
  /** the model version that made it (model_versions.id; resolved by the ingest service), null: none */
  versionId?: number | null;
  /** per-feature attributions as normalized JSON text, null: none */
  attributions?: string | null;
}

export interface ActualRow {
  index: number;
  eventId: string;
  actualLabel: string | null;
  actualValue: number | null;
}

/** A baseline row: a prediction without its identity or time. */
export type BaselineRowIn = Omit<PredictionRow, 'eventId' | 'ts'>;

/** A checked baseline row as the baseline profile reads it (both stores build profiles from these). */
export function profileRowOf(r: BaselineRowIn): StatsEvent {
  const { features, score, predictedLabel, value, actualLabel, actualValue } = r;
  return { features, score, predictedLabel, value, actualLabel, actualValue, attributions: parseAttributions(r.attributions ?? null) };
}

/**
 * What a prediction's `modelVersion` resolves against: the model's versions by name, and
 * the current one (absent modelVersion). Read once per ingest call.
 */
export interface VersionNames {
  byName: ReadonlyMap<string, number>;
  current: number | null;
}

/** The model's versions as of `model` alone: none by name, its current one (callers that accept modelVersion pass the real list). */
export const versionsOfModel = (model: ModelRecord): VersionNames => ({ byName: new Map(), current: model.currentVersionId ?? null });

/** The versions named in a rejection, at most this many. */
const LISTED_VERSIONS = 10;

export type Checked<T> = { ok: true; row: T } | { ok: false; error: IngestError; field: string; reason: string };

type Obj = Record<string, unknown>;

const fail = (index: number, eventId: string | null, field: string, reason: string): Checked<never> => ({
  ok: false,
  error: { index, eventId, message: `${field}: ${reason}` },
  field,
  reason,
});

/** A value for an error message: short, and never a whole line. */
export function show(v: unknown): string {
  // nesting this deep would overflow JSON.stringify and String(); lines this deep are rejected anyway
  if (nestedDeeperThan(v, MAX_VALUE_DEPTH)) return `a value nested deeper than ${MAX_VALUE_DEPTH} levels`;
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'undefined' : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first member nested deeper than MAX_VALUE_DEPTH (the line is level 1), or null.
 * Checked before anything serialises or walks the values, which would overflow the stack.
 */
function tooDeepMember(o: Obj, featuresText: string | null = null): string | null {
  for (const k in o) {
    const v = o[k];
    if (typeof v !== 'object' || v === null) continue;
    // the features of an NDJSON line: their text bounds their depth, without a walk that
    // boxes every number it reads (~300 bytes of garbage a bench line of 20 numbers)
    if (k === 'features' && featuresText !== null && atMostOpenings(featuresText, MAX_VALUE_DEPTH - 1)) continue;
    if (nestedDeeperThan(v, MAX_VALUE_DEPTH - 1)) return k;
  }
  return null;
}

/** True when `text` has at most `n` of `{` and `[` together: a JSON value so written cannot nest deeper than `n`. */
function atMostOpenings(text: string, n: number): boolean {
  let count = 0;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++count > n) return false;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) if (++count > n) return false;
  return true;
}

const tooDeep = (index: number, o: Obj, key: string): Checked<never> => {
  const id = key === 'eventId' ? null : eventIdOf(o.eventId);
  return fail(index, typeof id === 'string' ? id : null, key.length <= PREVIEW_CHARS ? key : preview(key), `nested deeper than ${MAX_VALUE_DEPTH} levels`);
};

/** An eventId as stored, or a reason. IDs may come as strings or integers (GraphQL ID). */
function eventIdOf(v: unknown): string | { reason: string } {
  if (v === undefined || v === null) return { reason: 'is required' };
  let id: string;
  if (typeof v === 'string') id = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) id = String(v);
  else return { reason: `must be a string, got ${show(v)}` };
  if (id.length === 0) return { reason: 'must not be empty' };
  // an id that cannot be stored as sent would never be recognised again: refuse it
  const problem = textProblem(id, MAX_EVENT_ID);
  return problem ? { reason: problem } : id;
}

function timeOf(v: unknown): number | null {
  if (typeof v === 'string') return parseInstant(v);
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

type Num = number | null | { reason: string };

/** An optional number: absent/null -> null; a finite number; else a reason. */
function numberOf(v: unknown): Num {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return { reason: `must be a finite number, got ${show(v)}` };
}

type Label = string | null | { reason: string };

/** An optional label: strings as they are; numbers and booleans as String() writes them. */
function labelOf(v: unknown): Label {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') {
    const problem = textProblem(v, MAX_LABEL);
    return problem ? { reason: problem } : v;
  }
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return { reason: `must be a string, got ${show(v)}` };
}

const bad = (x: unknown): x is { reason: string } => typeof x === 'object' && x !== null;

interface Outputs {
  score: number | null;
  predictedLabel: string | null;
  value: number | null;
  actualLabel: string | null;
  actualValue: number | null;
}

/** Type checks shared by predictions and baseline rows; `required` enforces the task's output. */
function outputsOf(o: Obj, task: TaskType, required: boolean): Outputs | { field: string; reason: string } {
  const score = numberOf(o.score);
  if (bad(score)) return { field: 'score', reason: score.reason };
  if (score !== null && (score < 0 || score > 1)) return { field: 'score', reason: `must be in [0, 1], got ${score}` };
  const predictedLabel = labelOf(o.predictedLabel);
  if (bad(predictedLabel)) return { field: 'predictedLabel', reason: predictedLabel.reason };
  const value = numberOf(o.value);
  if (bad(value)) return { field: 'value', reason: value.reason };
  const actualLabel = labelOf(o.actualLabel);
  if (bad(actualLabel)) return { field: 'actualLabel', reason: actualLabel.reason };
  const actualValue = numberOf(o.actualValue);
  if (bad(actualValue)) return { field: 'actualValue', reason: actualValue.reason };
  if (required) {
    if (task === 'BINARY_CLASSIFICATION' && score === null && predictedLabel === null) {
      return { field: 'score', reason: 'a binary classifier needs a score in [0, 1] or a predictedLabel' };
    }
    if (task === 'REGRESSION' && value === null) return { field: 'value', reason: 'a regression model needs a finite value' };
    if (task === 'MULTICLASS_CLASSIFICATION' && predictedLabel === null) {
      return { field: 'predictedLabel', reason: 'a multiclass classifier needs a predictedLabel' };
    }
  }
  return { score, predictedLabel, value, actualLabel, actualValue };
}

/** Each model's feature index, built once (attributions are checked against it on every line). */
const indexes = new WeakMap<readonly unknown[], FeatureIndex>();

function indexOf(model: ModelRecord): FeatureIndex {
  let index = indexes.get(model.features);
  if (!index) indexes.set(model.features, (index = featureIndex(model.features)));
  return index;
}

/** A line's attributions as stored: normalized JSON text, null when none (absent, null or `{}`); else the field at fault. */
function attributionsOf(model: ModelRecord, v: unknown): string | null | { field: string; reason: string } {
  const c = checkAttributions(indexOf(model), v);
  if (!c.ok) return { field: c.field, reason: c.reason };
  const a = c.attributions;
  if (a === null) return null;
  for (const _ in a) return JSON.stringify(a);
  return null;
}

/** The version a prediction names (its id), the current one when it names none; else why not. */
function versionOf(model: ModelRecord, v: unknown, versions: VersionNames): number | null | { reason: string } {
  if (v === undefined || v === null) return versions.current;
  if (typeof v !== 'string') return { reason: `must be a version name (a string), got ${show(v)}` };
  const id = versions.byName.get(v);
  if (id !== undefined) return id;
  const names = [...versions.byName.keys()];
  const known = names.length === 0 ? 'it has none (createModelVersion)' : `versions: ${names.slice(-LISTED_VERSIONS).join(', ')}${names.length > LISTED_VERSIONS ? ', ...' : ''}`;
  return { reason: `model ${model.name} has no version named ${preview(v)} (${known})` };
}

/**
 * Checks one prediction against the model; `featuresText` is the raw features text, if
 * known; `versions` resolves its modelVersion (default: the model's current version only).
 */
export function checkPrediction(
  model: ModelRecord,
  input: unknown,
  index: number,
  featuresText: string | null = null,
  versions: VersionNames = versionsOfModel(model),
): Checked<PredictionRow> {
  if (!isObject(input)) return fail(index, null, 'line', `must be a JSON object, got ${show(input)}`);
  const deep = tooDeepMember(input, featuresText);
  if (deep !== null) return tooDeep(index, input, deep);
  const id = eventIdOf(input.eventId);
  if (typeof id !== 'string') return fail(index, null, 'eventId', id.reason);
  if (input.timestamp === undefined || input.timestamp === null) return fail(index, id, 'timestamp', 'is required');
  const ts = timeOf(input.timestamp);
  if (ts === null) {
    return fail(index, id, 'timestamp', `${show(input.timestamp)} is not an ISO-8601 instant with a zone, such as 2024-05-06T12:00:00Z`);
  }
  const features = input.features;
  if (!isObject(features)) return fail(index, id, 'features', `must be an object of feature values, got ${show(features)}`);
  const nul = nulPathIn(features, 'features', featuresText);
  if (nul !== null) return fail(index, id, nul, NUL_PROBLEM);
  const out = outputsOf(input, model.task, true);
  if ('field' in out) return fail(index, id, out.field, out.reason);
  const versionId = versionOf(model, input.modelVersion, versions);
  if (bad(versionId)) return fail(index, id, 'modelVersion', versionId.reason);
  const attributions = attributionsOf(model, input.attributions);
  if (bad(attributions)) return fail(index, id, attributions.field, attributions.reason);
  // written out, not spread: one allocation of one shape a line
  const row: PredictionRow = {
    index,
    eventId: id,
    ts,
    features,
    featuresText,
    score: out.score,
    predictedLabel: out.predictedLabel,
    value: out.value,
    actualLabel: out.actualLabel,
    actualValue: out.actualValue,
    versionId,
    attributions,
  };
  return { ok: true, row };
}

/** Checks one actual: an eventId and the label (classifiers) or value (regression). */
export function checkActual(model: ModelRecord, input: unknown, index: number): Checked<ActualRow> {
  if (!isObject(input)) return fail(index, null, 'line', `must be a JSON object, got ${show(input)}`);
  const deep = tooDeepMember(input);
  if (deep !== null) return tooDeep(index, input, deep);
  const id = eventIdOf(input.eventId);
  if (typeof id !== 'string') return fail(index, null, 'eventId', id.reason);
  const actualLabel = labelOf(input.actualLabel);
  if (bad(actualLabel)) return fail(index, id, 'actualLabel', actualLabel.reason);
  const actualValue = numberOf(input.actualValue);
  if (bad(actualValue)) return fail(index, id, 'actualValue', actualValue.reason);
  if (model.task === 'REGRESSION') {
    if (actualValue === null) return fail(index, id, 'actualValue', 'a regression model needs a finite actualValue');
  } else if (actualLabel === null) {
    return fail(index, id, 'actualLabel', 'a classifier needs an actualLabel');
  }
  return { ok: true, row: { index, eventId: id, actualLabel, actualValue } };
}

/** Checks one baseline row: features an object; outputs, where given, of the right type. */
export function checkBaselineRow(model: ModelRecord, input: unknown, index: number, featuresText: string | null = null): Checked<BaselineRowIn> {
  if (!isObject(input)) return fail(index, null, 'line', `must be a JSON object, got ${show(input)}`);
  const deep = tooDeepMember(input, featuresText);
  if (deep !== null) return tooDeep(index, input, deep);
  const features = input.features;
  if (!isObject(features)) return fail(index, null, 'features', `must be an object of feature values, got ${show(features)}`);
  const nul = nulPathIn(features, 'features', featuresText);
  if (nul !== null) return fail(index, null, nul, NUL_PROBLEM);
  const out = outputsOf(input, model.task, false);
  if ('field' in out) return fail(index, null, out.field, out.reason);
  const attributions = attributionsOf(model, input.attributions);
  if (bad(attributions)) return fail(index, null, attributions.field, attributions.reason);
  return { ok: true, row: { index, features, featuresText, ...out, attributions } };
}
