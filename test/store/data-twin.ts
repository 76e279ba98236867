// The same model on SQLite and on PostgreSQL, fed the same calls, so that a test can hold
// the PostgreSQL data adapter to SQLite's results: stored events, pending actuals, the
// statistics rows byte for byte (partials, rebuilt hours), counts and spans. Both sides
// go through their DataRepo, but for SQLite's predictions, written without the stats head
// an ingest call keeps (its partials would cover several batches: the same statistics,
// other rows), one transaction a batch as on PostgreSQL.
import { openStore } from '../../src/db/client.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import type { ActualRow, BaselineRowIn, PredictionRow } from '../../src/domain/ingest/validate.js';
import type { ModelRecord } from '../../src/domain/model.js';
import { DAY_MS } from '../../src/domain/time.js';
import { retentionCut } from '../../src/domain/retention.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import type { Deps } from '../../src/services/deps.js';
import { writePredictions } from '../../src/store/sqlite/data/ingest-writer.js';
import { purgedBefore, purgeModel as sqlitePurgeModel } from '../../src/store/sqlite/data/retention.js';
import type { NewModel } from '../../src/store/ports/models.js';
import type { PostgresStore } from '../../src/store/postgres/client.js';
import type { StoredSpan } from '../../src/store/ports/data.js';
import { pgContext } from '../../src/store/postgres/context.js';
import { purgeModel } from '../../src/store/postgres/data/retention.js';

/** What both sides answer for the same call. */
export interface Side {
  model: ModelRecord;
  predict(rows: PredictionRow[], now: number, audit?: AuditRecord): Promise<{ accepted: number; duplicates: number; refused: number }>;
  actuals(rows: ActualRow[], now: number): Promise<{ accepted: number; purged: string[] }>;
  replaceBaseline(rows: BaselineRowIn[], audit: AuditRecord): Promise<void>;
  /** applies a retention of `days` at `now` (deleting `batch` rows a statement); returns the events deleted */
  retain(days: number, now: number, batch?: number): Promise<number>;
  storedSpan(): Promise<StoredSpan | null>;
  /** rows of a query with `?` for the model id, values as each driver gives them */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
}

export const EVENTS = 'SELECT event_id, ts, features, score, predicted_label, value, actual_label, actual_value, actual_at FROM events WHERE model_id = ? ORDER BY ts, id';
export const PARTIALS = 'SELECT hour, data, hists FROM stats_partial WHERE model_id = ? ORDER BY id';
export const HOURS = 'SELECT hour, data, hists FROM stats_hourly WHERE model_id = ? ORDER BY hour';
export const PENDING = 'SELECT event_id, actual_label, actual_value, received_at FROM pending_actuals WHERE model_id = ? ORDER BY event_id';

export async function sqliteSide(def: NewModel, now: number): Promise<Side & { deps: Deps }> {
  const store = openStore(':memory:');
  const deps: Deps = { store, clock: fixedClock(now), log: silentLogger() };
  const model = (await deps.store.models.create(def))!;
  const { sqlite } = store;
  return {
    deps,
    model,
    predict: async (rows, at) =>
      sqlite.transaction(() => {
        // what the SQLite writer does first: rows before the purge are refused
        const before = purgedBefore(sqlite, model.id);
        const kept = before === null ? rows : rows.filter((r) => r.ts >= before);
        return { ...writePredictions(sqlite, model, kept, at), refused: rows.length - kept.length };
      })(),
    actuals: async (rows, at) => {
      const r = await deps.store.data.actualWriter(model).write(rows, at);
      return { accepted: r.accepted, purged: r.purged.map((p) => p.eventId) };
    },
    replaceBaseline: async (rows, audit) => {
      await deps.store.data.replaceBaseline(model, rows, audit);
    },
    retain: async (days, at, batch) => {
      await deps.store.models.update(model.id, { retentionDays: days, updatedAt: model.updatedAt });
      const cut = retentionCut(at, days)!;
      if (batch === undefined) return deps.store.data.purge(model, cut, at, at + days * DAY_MS);
      return sqlitePurgeModel(sqlite, async (body) => body(), model, at, cut, at + days * DAY_MS, batch);
    },
    storedSpan: () => deps.store.data.storedSpan(model.id),
    rows: async (sql) => sqlite.prepare(sql).all(model.id) as Array<Record<string, unknown>>,
  };
}

export async function postgresSide(store: PostgresStore, def: NewModel): Promise<Side> {
  const model = (await store.models.create(def))!;
  return {
    model,
    predict: async (rows, at, audit) => {
      const r = await store.data.predictionWriter(model).write(rows, at, true, audit && (() => audit));
      return { accepted: r.accepted, duplicates: r.duplicates, refused: r.beforePurge.length };
    },
    actuals: async (rows, at) => {
      const r = await store.data.actualWriter(model).write(rows, at);
      return { accepted: r.accepted, purged: r.purged.map((p) => p.eventId) };
    },
    replaceBaseline: async (rows, audit) => {
      await store.data.replaceBaseline(model, rows, audit);
    },
    retain: async (days, at, batch) => {
      await store.models.update(model.id, { retentionDays: days, updatedAt: model.updatedAt });
      const cut = retentionCut(at, days)!;
      if (batch === undefined) return store.data.purge(model, cut, at, at + days * DAY_MS);
      return purgeModel(pgContext(store.pool, store.db), model, cut, at + days * DAY_MS, batch);
    },
    storedSpan: () => store.data.storedSpan(model.id),
    rows: async (sql) => (await store.pool.query(sql.replace(/\?/g, () => "$1"), [model.id])).rows,
  };
}

/** A prediction row as validation gives it. */
export function prediction(index: number, e: { eventId: string; ts: number; features: Record<string, unknown>; score: number | null; predictedLabel: string | null; value?: number | null }, actual: { label?: string | null; value?: number | null } = {}): PredictionRow {
  return {
    index,
    eventId: e.eventId,
    ts: e.ts,
    features: e.features,
    featuresText: null,
    score: e.score,
    predictedLabel: e.predictedLabel,
    value: e.value ?? null,
    actualLabel: actual.label ?? null,
    actualValue: actual.value ?? null,
  };
}

export const actual = (index: number, eventId: string, label: string | null, value: number | null = null): ActualRow => ({ index, eventId, actualLabel: label, actualValue: value });
