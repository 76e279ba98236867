// The same sizes as the GraphQL inputs the items stand for (docs/limits.md): a string in
// a file is bounded as the argument it would be, so a file can hold nothing that
// createModel, createModelVersion, createSegment, createChannel or createMonitor would
// refuse for its size.
import * as L from '../input/limits.js';
import { textProblem } from '../input/text.js';
import { MAX_IN_VALUES } from '../segments/segment.js';
import type { ConfigFile } from './file.js';
import type { ConfigIssues } from './issues.js';

/** Field -> most characters, as src/graphql/input-limits.ts bounds the inputs' fields. */
const STRING: Record<string, number> = {
  name: L.MAX_NAME,
  model: L.MAX_NAME,
  feature: L.MAX_FEATURE_NAME,
  attribute: L.MAX_FEATURE_NAME,
  description: L.MAX_DESCRIPTION,
  webhookUrl: L.MAX_URL,
};
const LIST: Record<string, number> = { features: L.MAX_FEATURES, in: MAX_IN_VALUES };

function check(value: unknown, key: string, path: string, issues: ConfigIssues, inFeature: boolean): void {
  if (typeof value === 'string') {
    const max = inFeature && key === 'name' ? L.MAX_FEATURE_NAME : (STRING[key] ?? L.MAX_STRING);
    const problem = textProblem(value, max);
    if (problem) issues.add(path, problem);
  } else if (Array.isArray(value)) {
    const max = LIST[key] ?? L.MAX_LIST;
    if (value.length > max) issues.add(path, `at most ${max} items, got ${value.length}`);
    else value.forEach((v, i) => check(v, key, `${path}[${i}]`, issues, key === 'features'));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) check(v, k, `${path}.${k}`, issues, inFeature);
  }
}

/** Adds an issue for each string or list of an item over its input's bound. */
export function boundItems(file: ConfigFile, issues: ConfigIssues): void {
  for (const [key, items] of Object.entries(file)) items.forEach((item, i) => check(item, '', `${key}[${i}]`, issues, false));
}
