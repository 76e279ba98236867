// One model's events stored on SQLite (the reference: the services' own write path) and on
// PostgreSQL (through the store's prediction writer: events and per batch the partial
// statistics of each hour as rows), then the same reads on both.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { TempDatabase } from '../helpers/postgres.js';
import type { ModelRecord } from '../../src/domain/model.js';
import type { MetricRead, ReadAnswer, ReadKind } from '../../src/domain/metrics/reads.js';
import { DAY_MS } from '../../src/domain/time.js';
import { answerRead } from '../../src/services/answer-reads.js';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from '../../src/store/postgres/schema/index.js';
import { pgContext } from '../../src/store/postgres/context.js';
import { survivingLostConnections } from '../../src/store/postgres/client.js';
import { pgData } from '../../src/store/postgres/data/repo.js';
import { compactPostgres } from '../../src/store/postgres/data/compact.js';
import { newStatsCaches, type PgStatsCaches } from '../../src/store/postgres/data/preloaded-rows.js';
import { answerOnPostgres } from '../../src/store/postgres/data/reader.js';
import { sqliteStatsRows } from '../../src/store/sqlite/data/stats-rows.js';
import type { FixtureEvent } from '../domain/metrics/load-fixture.js';
import { fixtureModel, freshDeps, logEvents, setBaseline } from '../services/stats-helpers.js';

type Deps = Awaited<ReturnType<typeof freshDeps>>;

/** int8 as numbers, as openPostgres parses them */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function pgPool(url: string, max = 4): pg.Pool {
  // a connection closed by the database's drop at the end, idle or checked out, fails quietly
  return survivingLostConnections(new pg.Pool({ connectionString: url, max, types }));
}

/** A pool on the file's temporary database for its tests (call inside its describe), ended after them. */
export function usePgPool(db: TempDatabase): () => pg.Pool {
  let pool: pg.Pool | undefined;
  beforeAll(() => {
    pool = pgPool(db.url);
  });
  afterAll(async () => {
    await pool?.end();
  });
  return () => pool!;
}

export interface Pair {
  deps: Deps;
  model: ModelRecord;
  pool: pg.Pool;
  caches: PgStatsCaches;
}

/** The fixture's model (with its baseline) on a fresh SQLite store and on the PostgreSQL database of `pool`. */
export async function pairOf(pool: pg.Pool, fixture: string, suffix: string): Promise<Pair> {
  const deps = await freshDeps();
  const { model: made, fx } = await fixtureModel(deps, fixture);
  setBaseline(deps, made, fx);
  // the same record on both (its updatedAt too: the statistics context is stamped with it)
  const ids = await pool.query<{ id: number }>(
    `INSERT INTO models (name, task, positive_class, decision_threshold, features, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [`${made.name}${suffix}`, made.task, made.positiveClass, made.decisionThreshold, JSON.stringify(made.features), made.createdAt, made.updatedAt],
  );
  const model: ModelRecord = { ...made, id: ids.rows[0]!.id };
  // SQLite answers for its own id: the records differ by id only
  const b = deps.store.sqlite.prepare('SELECT row_count, updated_at, profile FROM baselines WHERE model_id = ?').get(made.id) as { row_count: number; updated_at: number; profile: string };
  await pool.query('INSERT INTO baselines (model_id, row_count, updated_at, profile) VALUES ($1, $2, $3, $4::jsonb)', [model.id, b.row_count, b.updated_at, b.profile]);
  sqliteIds.set(model, made.id);
  return { deps, model, pool, caches: newStatsCaches(pool) };
}

const sqliteIds = new WeakMap<ModelRecord, number>();
const onSqlite = (p: Pair): ModelRecord => ({ ...p.model, id: sqliteIds.get(p.model)! });

/** One batch on PostgreSQL, through the store's prediction writer (events and their hours' partials in one transaction). */
export async function pgLogEvents(p: Pair, events: FixtureEvent[], pool = p.pool): Promise<void> {
  const data = pgData(pgContext(pool, drizzle({ client: pool, schema })));
  const rows = events.map((e, index) => ({ index, eventId: e.eventId, ts: e.ts, features: e.features, featuresText: null, score: e.score, predictedLabel: e.predictedLabel, value: e.value, actualLabel: e.actualLabel, actualValue: e.actualValue }));
  const r = await data.predictionWriter(p.model).write(rows, Date.parse('2024-05-12T00:00:00Z'), true);
  if (r.accepted + r.duplicates !== events.length) throw new Error(`stored ${r.accepted} of ${events.length}`);
}

/** The batch on both stores. */
export async function logBoth(p: Pair, events: FixtureEvent[]): Promise<void> {
  logEvents(p.deps, onSqlite(p), events, true);
  await pgLogEvents(p, events);
}

/** Retention's effect on both: the purge mark at `cut`, the events before it deleted. */
export async function purgeBoth(p: Pair, cut: number): Promise<void> {
  const id = sqliteIds.get(p.model)!;
  p.deps.store.sqlite.prepare('UPDATE models SET purged_before = ? WHERE id = ?').run(cut, id);
  p.deps.store.sqlite.prepare('DELETE FROM events WHERE model_id = ? AND ts < ?').run(id, cut);
  await p.pool.query('UPDATE models SET purged_before = $2 WHERE id = $1', [p.model.id, cut]);
  await p.pool.query('DELETE FROM events WHERE model_id = $1 AND ts < $2', [p.model.id, cut]);
}

/** A read's answer on SQLite (the reference). */
export function sqliteAnswer<K extends ReadKind>(p: Pair, r: MetricRead<K>): ReadAnswer<K> {
  return answerRead(sqliteStatsRows(p.deps.store.sqlite), { ...r, model: onSqlite(p) });
}

/** The same read on PostgreSQL. */
export function pgAnswer<K extends ReadKind>(p: Pair, r: MetricRead<K>): Promise<ReadAnswer<K>> {
  return answerOnPostgres(p.pool, p.caches, { ...r, model: p.model });
}

/** One compaction pass on PostgreSQL (`pool`: another replica's). */
export function pgCompact(p: Pair, now: number, pool = p.pool) {
  const caches = pool === p.pool ? p.caches : newStatsCaches(pool);
  return compactPostgres({ pool, caches, modelById: async (id) => (id === p.model.id ? p.model : null) }, now);
}

/** Every kind of read over [from, to) (fairness on the first protected attribute). */
export function readsOver(model: ModelRecord, from: number, to: number): MetricRead[] {
  const w = { model, from, to };
  const attr = model.features.find((f) => f.protected)?.name;
  const out: MetricRead[] = [
    { kind: 'drift', ...w },
    { kind: 'outputDrift', ...w },
    { kind: 'integrity', ...w },
    { kind: 'performance', ...w },
    { kind: 'traffic', ...w },
    { kind: 'health', ...w },
    { kind: 'metric', ...w, metric: 'PSI', feature: model.features[0]!.name },
  ];
  // series of short enough windows (a point is a window of its own)
  if (to - from <= 400 * DAY_MS) out.push({ kind: 'series', ...w, metric: 'PSI', feature: model.features[0]!.name, granularity: 'DAY' });
  if (to - from <= 8 * DAY_MS) out.push({ kind: 'series', ...w, metric: 'ACCURACY', granularity: 'HOUR' });
  if (attr) out.push({ kind: 'fairness', ...w, attribute: attr });
  return out;
}
