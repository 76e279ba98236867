// Bounds every argument before a resolver sees it: each string and ID (length, valid
// Unicode), each list (items) and each `limit`, walked by the argument's declared type,
// so that a field added later is bounded by default. Ingest items (PredictionInput...)
// are left to the ingest validation, which rejects one item with its index instead of
// failing the whole call.
import {
  defaultFieldResolver,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { badInput } from '../errors.js';
import { textProblem } from '../domain/input/text.js';
import * as L from '../domain/input/limits.js';
import { MAX_IN_VALUES } from '../domain/segments/segment.js';

/** Per-coordinate string limits (`Type.field` of an input, `Type.field.arg` of an argument, or `*.name` for any). */
const STRING_LIMITS: Record<string, number> = {
  '*.name': L.MAX_NAME,
  '*.model': L.MAX_NAME,
  '*.version': L.MAX_NAME,
  '*.segment': L.MAX_NAME,
  '*.feature': L.MAX_FEATURE_NAME,
  '*.attribute': L.MAX_FEATURE_NAME,
  'FeatureInput.name': L.MAX_FEATURE_NAME,
  '*.description': L.MAX_DESCRIPTION,
  '*.note': L.MAX_NOTE,
  '*.webhookUrl': L.MAX_URL,
  'Mutation.applyConfig.yaml': L.MAX_CONFIG,
};

const LIST_LIMITS: Record<string, number> = {
  'CreateModelInput.features': L.MAX_FEATURES,
  'Mutation.logPredictions.predictions': L.MAX_INGEST_ITEMS,
  'Mutation.logActuals.actuals': L.MAX_INGEST_ITEMS,
  'Mutation.setBaseline.rows': L.MAX_INGEST_ITEMS,
  'Mutation.setVersionBaseline.rows': L.MAX_INGEST_ITEMS,
  'SegmentConditionInput.in': MAX_IN_VALUES,
};

/** Input types checked item by item by the ingest validation (a bad item is rejected, not the call). */
const ITEM_TYPES = new Set(['PredictionInput', 'ActualInput', 'BaselineRowInput']);

const lastPart = (coordinate: string) => coordinate.slice(coordinate.lastIndexOf('.') + 1);
const limitOf = (table: Record<string, number>, coordinate: string, fallback: number) =>
  table[coordinate] ?? table[`*.${lastPart(coordinate)}`] ?? fallback;

/** Throws BAD_USER_INPUT naming `path` when `value` (of `type`) exceeds a limit. */
function check(type: GraphQLInputType, value: unknown, coordinate: string, path: string): void {
  if (value === null || value === undefined) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    if (!Array.isArray(value)) return;
    const max = limitOf(LIST_LIMITS, coordinate, L.MAX_LIST);
    if (value.length > max) throw badInput(path, `at most ${max} items, got ${value.length}`);
    for (let i = 0; i < value.length; i++) check(t.ofType, value[i], coordinate, `${path}[${i}]`);
    return;
  }
  if (isInputObjectType(t)) {
    if (ITEM_TYPES.has(t.name) || typeof value !== 'object') return;
    for (const f of Object.values(t.getFields())) {
      check(f.type, (value as Record<string, unknown>)[f.name], `${t.name}.${f.name}`, `${path}.${f.name}`);
    }
    return;
  }
  if (isScalarType(t) && (t.name === 'String' || t.name === 'ID') && typeof value === 'string') {
    const problem = textProblem(value, limitOf(STRING_LIMITS, coordinate, L.MAX_STRING));
    if (problem) throw badInput(path, problem);
    return;
  }
  if (isScalarType(t) && t.name === 'Int' && lastPart(coordinate) === 'limit' && typeof value === 'number') {
    if (value < 1 || value > L.MAX_PAGE) throw badInput(path, `must be between 1 and ${L.MAX_PAGE}, got ${value}`);
  }
}

/** Wraps the resolver of every field that takes arguments with the bounds check (mutates `schema`). */
export function boundArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const args = field.args.map((a) => ({ name: a.name, type: a.type, coordinate: `${type.name}.${field.name}.${a.name}` }));
      field.resolve = (source, values, ctx, info) => {
        for (const a of args) check(a.type, values[a.name], a.coordinate, a.name);
        return resolve(source, values, ctx, info);
      };
    }
  }
  return schema;
}
