// Slices in tests: versions and segments inserted directly (their registry and GraphQL are
// another part's), their slices made by the store (syncSlices), a reference model that
// receives only some of a fixture's rows through the API, and every metric of a window
// read through services/metrics.ts, narrowed or not.
import type { Deps } from '../../src/services/deps.js';
import type { ModelRecord } from '../../src/domain/model.js';
import { drift, fairness, integrity, outputDrift, performance, traffic, type StatsScope } from '../../src/services/metrics.js';
import type { SegmentCondition } from '../../src/domain/segments/segment.js';
import { storedRows, storedValue } from './stored-rows.js';
import { fixtureJson, fixtureLines } from './fixture-files.js';
import { gqlOk as gqlData, type TestServer } from './server.js';

/** A condition as next.json writes it (absent operators) in the stored form (every operator, null when absent). */
export function condition(c: Partial<SegmentCondition> & { feature: string }): SegmentCondition {
  return { feature: c.feature, in: c.in ?? null, gte: c.gte ?? null, gt: c.gt ?? null, lte: c.lte ?? null, lt: c.lt ?? null, isMissing: c.isMissing ?? null };
}

/** Inserts a segment of the model and syncs its slices; returns its id. */
export async function addSegment(deps: Deps, model: ModelRecord, name: string, conditions: SegmentCondition[], at = 0): Promise<number> {
  await storedRows(deps.store, 'INSERT INTO segments (model_id, name, conditions, created_at) VALUES (?, ?, ?, ?)', model.id, name, JSON.stringify(conditions), at);
  await deps.store.data.syncSlices(model);
  return storedValue(deps.store, 'SELECT id FROM segments WHERE model_id = ? AND name = ?', model.id, name);
}

/** Inserts a version of the model and syncs its slices; returns its id. */
export async function addVersion(deps: Deps, model: ModelRecord, name: string, at = 0): Promise<number> {
  await storedRows(deps.store, 'INSERT INTO model_versions (model_id, name, created_at) VALUES (?, ?, ?)', model.id, name, at);
  await deps.store.data.syncSlices(model);
  return storedValue(deps.store, 'SELECT id FROM model_versions WHERE model_id = ? AND name = ?', model.id, name);
}

/** Runs compaction passes until no slice of the model is being built; returns how many passes. */
export async function finishBackfill(deps: Deps, model: ModelRecord, now: number): Promise<number> {
  for (let pass = 1; pass <= 50; pass++) {
    await deps.store.data.compact(now);
    if ((await deps.store.data.slices(model.id)).every((s) => s.readyAt !== null)) return pass;
  }
  throw new Error('the backfill did not finish in 50 passes');
}

const gqlOk = (s: TestServer, what: string, query: string, variables: Record<string, unknown>) => gqlData(s, query, variables, what);

/** Creates `name` from the fixture's model.json with the baseline rows and events (and their actuals) that `keep` keeps, through the API. */
export async function loadSome(s: TestServer, fixture: string, name: string, keep: { baseline: (r: any, i: number) => boolean; event: (r: any) => boolean }, events?: any[]): Promise<ModelRecord> {
  const model = fixtureJson(fixture, 'model.json');
  await gqlOk(s, 'createModel', 'mutation($input: CreateModelInput!) { createModel(input: $input) { name } }', { input: { ...model, name } });
  const baseline = fixtureLines(fixture, 'baseline.ndjson').filter((r, i) => keep.baseline(r, i));
  if (baseline.length > 0) await gqlOk(s, 'setBaseline', 'mutation($m: String!, $rows: [BaselineRowInput!]!) { setBaseline(model: $m, rows: $rows) { rowCount } }', { m: name, rows: baseline });
  const kept = (events ?? fixtureLines(fixture, 'events.ndjson')).filter(keep.event);
  const ids = new Set(kept.map((e) => e.eventId));
  const actuals = fixtureLines(fixture, 'actuals.ndjson').filter((a) => ids.has(a.eventId));
  for (const [rows, field, arg, type] of [
    [kept, 'logPredictions', 'predictions', 'PredictionInput'],
    [actuals, 'logActuals', 'actuals', 'ActualInput'],
  ] as const) {
    for (let i = 0; i < rows.length; i += 500) {
      const q = `mutation($m: String!, $x: [${type}!]!) { ${field}(model: $m, ${arg}: $x) { accepted rejected } }`;
      const r = (await gqlOk(s, field, q, { m: name, x: rows.slice(i, i + 500) }))[field];
      if (r.rejected !== 0) throw new Error(`${field}: ${JSON.stringify(r)}`);
    }
  }
  return (await s.deps.store.models.byName(name))!;
}

/** Every metric of [from, to) (fairness of each protected attribute), narrowed by `scope`. */
export async function allMetrics(deps: Deps, model: ModelRecord, from: number, to: number, scope?: StatsScope) {
  const protectedOnes = model.features.filter((f) => f.protected).map((f) => f.name);
  return {
    drift: await drift(deps, model, from, to, scope),
    outputDrift: await outputDrift(deps, model, from, to, scope),
    integrity: await integrity(deps, model, from, to, scope),
    performance: await performance(deps, model, from, to, scope),
    traffic: await traffic(deps, model, from, to, scope),
    fairness: await Promise.all(protectedOnes.map((a) => fairness(deps, model, a, from, to, scope))),
  };
}

/**
 * Every difference between two answers beyond the float noise of summing in another order
 * (stored hours merged vs one pass over raw events): relative 1e-12; anything else exact.
 */
export function differences(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)) || (Number.isNaN(a) && Number.isNaN(b)) ? [] : [`${at}: ${a} vs ${b}`];
  if (Array.isArray(a) && Array.isArray(b)) return a.length !== b.length ? [`${at}: ${a.length} items vs ${b.length}`] : a.flatMap((x, i) => differences(x, b[i], `${at}[${i}]`));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as any)[k], (b as any)[k], `${at}.${k}`));
  }
  return a === b ? [] : [`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}
