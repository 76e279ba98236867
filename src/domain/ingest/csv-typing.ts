// CSV has no types: each cell is text. A record becomes the same object an NDJSON line
// would be, typed by the model's declared features, so both share one validation path.
import type { FeatureDef } from '../model.js';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMERIC_FIELDS = new Set(['score', 'value', 'actualValue']);
const TEXT_FIELDS = new Set(['eventId', 'timestamp', 'predictedLabel', 'actualLabel', 'modelVersion']);
/** `attributions.<feature>` columns: one number per feature, gathered into the line's attributions object. */
const ATTRIBUTION_PREFIX = 'attributions.';
/** Spellings of a missing number that pandas and R write. */
const MISSING = new Set(['nan', 'NaN', 'NA', 'N/A', 'null', 'NULL', 'None']);

/** A cell of a numeric column: a number where it reads as one, else the text as it came. */
function numberCell(text: string): unknown {
  const t = text.trim();
  if (t === '' || MISSING.has(t)) return undefined;
  return DECIMAL.test(t) ? Number(t) : text;
}

/**
 * The object a CSV record stands for: known columns are the input's fields (modelVersion
 * among them), `attributions.<feature>` columns make its attributions (numbers), every
 * other column (optionally prefixed `features.`) is a feature, numeric where the model
 * declares it NUMERIC. Empty cells are absent. A numeric cell that is not a number stays
 * text, so it is a type mismatch (or a rejected attribution) like it would be over JSON.
 */
export function typeCsvRecord(features: FeatureDef[], record: Record<string, string | undefined>): Record<string, unknown> {
  const types = new Map(features.map((f) => [f.name, f.type]));
  const out: Record<string, unknown> = {};
  const feats: Record<string, unknown> = {};
  let attributions: Record<string, unknown> | undefined;
  for (const [column, cell] of Object.entries(record)) {
    if (cell === undefined) continue;
    if (column.startsWith(ATTRIBUTION_PREFIX)) {
      const v = numberCell(cell);
      if (v !== undefined) (attributions ??= {})[column.slice(ATTRIBUTION_PREFIX.length)] = v;
    } else if (NUMERIC_FIELDS.has(column)) {
      const v = numberCell(cell);
      if (v !== undefined) out[column] = v;
    } else if (TEXT_FIELDS.has(column)) {
      if (cell !== '') out[column] = cell;
    } else {
      const name = column.startsWith('features.') ? column.slice(9) : column;
      const v = types.get(name) === 'NUMERIC' ? numberCell(cell) : cell === '' ? undefined : cell;
      if (v !== undefined) feats[name] = v;
    }
  }
  out.features = feats;
  if (attributions) out.attributions = attributions;
  return out;
}
