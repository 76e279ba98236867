// A configuration file's text -> a checked plain object: YAML syntax (with line and
// column), `${VAR}` references, then the JSON Schema (schema/glassbox-config.schema.json),
// every problem at its path. What the schema cannot say (durations, cron, a feature the
// model lacks) is left to the services' own validation.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseDocument, type Document } from 'yaml';
import { ConfigIssues, pathOf } from './issues.js';
import { substituteEnv, type MissingMessage } from './env-refs.js';
import { MAX_CONFIG } from '../input/limits.js';
import { boundItems } from './bounds.js';
import { CONFIG_KEYS, type ConfigFile, type ConfigKey } from './file.js';

export { CONFIG_KEYS, type ConfigFile, type ConfigKey };

/** Parses YAML, keeping comments and positions; syntax problems are issues with line and column. */
export function parseYaml(text: string, issues: ConfigIssues): Document | null {
  if (text.length > MAX_CONFIG) {
    issues.add('', `the file is ${text.length} characters; the most is ${MAX_CONFIG}`);
    return null;
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  // "... at line 1, column 9:" then an excerpt: the first line says it all
  for (const e of doc.errors) issues.add('', e.message.split('\n')[0]!.replace(/:$/, ''));
  return doc.errors.length ? null : doc;
}

let compiled: { source: object; validate: ValidateFunction } | null = null;

function validatorFor(schema: object): ValidateFunction {
  if (compiled?.source !== schema) compiled = { source: schema, validate: new Ajv({ allErrors: true, strict: false }).compile(schema) };
  return compiled.validate;
}

/** ajv's instance path (/monitors/3/window) as the file's (monitors[3].window). */
function fromPointer(pointer: string): Array<string | number> {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(e: ErrorObject): { parts: Array<string | number>; message: string } | null {
  const parts = fromPointer(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { parts: [...parts, String(p.missingProperty)], message: 'is required' };
    case 'additionalProperties':
      return { parts: [...parts, String(p.additionalProperty)], message: 'is not a field here (a typo?)' };
    case 'propertyNames':
    case 'if':
      return null; // reported through the errors it wraps
    case 'enum':
      return { parts, message: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      if (parts.length === 0) return { parts, message: 'the file must be a map of models, versions, segments, channels and monitors' };
      return { parts, message: `must be ${String(p.type).replace(',null', '').replace('integer', 'a whole number').replace(/^(string|number|boolean|array|object)$/, (t) => (t === 'array' ? 'a list' : t === 'object' ? 'a map' : `a ${t}`))}` };
    default:
      return { parts, message: e.message ?? 'is invalid' };
  }
}

/**
 * Checks a parsed document against the JSON Schema, every problem into `issues`. The
 * file with every list present (items with problems included: the caller skips them, so
 * that their other problems are found too), or null when it is not a map at all.
 */
export function checkAgainstSchema(data: unknown, schema: object, issues: ConfigIssues): ConfigFile | null {
  if (data === null || data === undefined) data = {};
  const validate = validatorFor(schema);
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      // a model with delete: true may name only `name`: say so once, at the extra field
      if (e.keyword === 'enum' && e.propertyName !== undefined) {
        issues.add(pathOf([...fromPointer(e.instancePath), e.propertyName]), 'a model with delete: true takes only its name');
        continue;
      }
      const d = describe(e);
      if (d) issues.add(pathOf(d.parts), d.message);
    }
  }
  if (typeof data !== 'object' || Array.isArray(data)) return null;
  const obj = data as Record<string, unknown>;
  const file = {} as ConfigFile;
  for (const k of CONFIG_KEYS) {
    const v = obj[k];
    // an item that is not a map keeps its place (its index is its name in errors) as {}
    file[k] = Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {})) : [];
  }
  boundItems(file, issues);
  return file;
}

/**
 * Text -> file: YAML, `${VAR}` from `env` (missing ones are issues, worded by `missing`),
 * then the schema. Null when it is not YAML or not a map; otherwise the file, whose
 * items with problems (see `issues`) the caller must skip.
 */
export function parseConfig(text: string, schema: object, env: Record<string, string | undefined>, issues: ConfigIssues, missing?: MissingMessage): ConfigFile | null {
  const doc = parseYaml(text, issues);
  if (!doc) return null;
  substituteEnv(doc, env, issues, missing);
  return checkAgainstSchema(doc.toJS({ maxAliasCount: 100 }), schema, issues);
}
