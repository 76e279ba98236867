// Retention: deletes raw events (and their actuals) older than each model's retention,
// keeping every hour's statistics, so metrics over purged time still answer. Deleting
// must never stall ingest: each batch is its own short write transaction and the loop
// yields to the event loop between batches. Freed pages go to SQLite's freelist and are
// reused by later inserts, so once retention holds the file stops growing (docs/retention.md).
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { effectiveRetentionDays, retentionCut } from '../domain/retention.js';
import { DAY_MS } from '../domain/time.js';
import { hashEventId } from '../domain/ingest/event-id-table.js';
import type { ModelRecord } from '../domain/model.js';
import { recordAudit } from './audit.js';
import { dropEventIndex } from './ingest-index.js';
import { foldUncovered } from './stats-head.js';
import type { Actor, Deps } from './deps.js';

/** Events deleted per transaction: ~10-20 ms of write lock, so ingest batches interleave. */
export const RETENTION_BATCH = 2000;

export interface RetentionResult {
  deletedEvents: number;
  /** models that had events deleted */
  models: number;
}

export interface RetentionOptions {
  /** GLASSBOX_RETENTION_DAYS: the retention of models without their own */
  defaultDays: number;
  batchSize?: number;
  /** the run's time (the job's scheduled tick); default the clock's now */
  now?: number;
}

export interface ModelStorage {
  rawEvents: number;
  oldestRawEvent: number | null;
  newestEvent: number | null;
  retentionDays: number;
  purgedBefore: number | null;
}

interface Stmts {
  models: Database.Statement;
  anyBefore: Database.Statement;
  markPurged: Database.Statement;
  oldest: Database.Statement;
  tombstone: Database.Statement;
  deleteEvent: Database.Statement;
  noteNewest: Database.Statement;
  dropPending: Database.Statement;
  expireTombstones: Database.Statement;
  purgedBefore: Database.Statement;
  isTombstoned: Database.Statement;
  storage: Database.Statement;
}

const statements = new WeakMap<Database.Database, Stmts>();

function stmts(sqlite: Database.Database): Stmts {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      models: sqlite.prepare('SELECT id, name, retention_days FROM models ORDER BY id').raw(),
      anyBefore: sqlite.prepare('SELECT 1 FROM events WHERE model_id = ? AND ts < ? LIMIT 1').pluck(),
      markPurged: sqlite.prepare('UPDATE models SET purged_before = max(coalesce(purged_before, 0), ?) WHERE id = ?'),
      oldest: sqlite.prepare('SELECT id, event_id, ts FROM events WHERE model_id = ? AND ts < ? ORDER BY ts LIMIT ?').raw(),
      tombstone: sqlite.prepare(`INSERT INTO purged_events (key, model_id, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET model_id = excluded.model_id, expires_at = excluded.expires_at`),
      deleteEvent: sqlite.prepare('DELETE FROM events WHERE id = ?'),
      noteNewest: sqlite.prepare('UPDATE models SET purged_newest = max(coalesce(purged_newest, ?), ?) WHERE id = ?'),
      dropPending: sqlite.prepare('DELETE FROM pending_actuals WHERE model_id = ? AND received_at < ?'),
      expireTombstones: sqlite.prepare('DELETE FROM purged_events WHERE expires_at <= ?'),
      purgedBefore: sqlite.prepare('SELECT purged_before FROM models WHERE id = ?').pluck(),
      isTombstoned: sqlite.prepare('SELECT 1 FROM purged_events WHERE key = ? AND model_id = ?').pluck(),
      storage: sqlite
        .prepare(
          `SELECT (SELECT count(*) FROM events WHERE model_id = m.id), (SELECT min(ts) FROM events WHERE model_id = m.id),
                  (SELECT max(ts) FROM events WHERE model_id = m.id), m.purged_newest, m.purged_before, m.retention_days
           FROM models m WHERE m.id = ?`,
        )
        .raw(),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/** The instant before which the model's events may have been deleted (read fresh: a purge may have just run). */
export function purgedBefore(sqlite: Database.Database, modelId: number): number | null {
  return (stmts(sqlite).purgedBefore.get(modelId) as number | null | undefined) ?? null;
}

/** The tombstone key of an event: one 53-bit hash over model and eventId, used as the rowid. */
const tombstoneKey = (modelId: number, eventId: string) => hashEventId(`${modelId}\u0000${eventId}`);

/** True when an event of this id was deleted by retention (for rejecting its late actual). */
export function wasPurged(sqlite: Database.Database, modelId: number, eventId: string): boolean {
  return stmts(sqlite).isTombstoned.get(tombstoneKey(modelId, eventId), modelId) !== undefined;
}

/** When retention last ran (its audit entry), or null. */
export function lastRetentionRun(deps: Deps): number | null {
  const at = deps.store.sqlite.prepare(`SELECT max(at) FROM audit_log WHERE action = 'applyRetention'`).pluck().get() as number | null;
  return at ?? null;
}

/** What the model keeps, and for how long. */
export function modelStorage(deps: Deps, model: ModelRecord, defaultDays: number): ModelStorage {
  const r = stmts(deps.store.sqlite).storage.get(model.id) as [number, number | null, number | null, number | null, number | null, number | null] | undefined;
  if (!r) return { rawEvents: 0, oldestRawEvent: null, newestEvent: null, retentionDays: effectiveRetentionDays(model.retentionDays ?? null, defaultDays), purgedBefore: null };
  const newest = r[2] === null ? r[3] : r[3] === null ? r[2] : Math.max(r[2], r[3]);
  return { rawEvents: r[0], oldestRawEvent: r[1], newestEvent: newest, retentionDays: effectiveRetentionDays(r[5], defaultDays), purgedBefore: r[4] };
}

/**
 * Deletes one model's events before `cut`, batch by batch. `purged_before` is moved
 * first, in its own transaction: from then on predictions before the cut are refused and
 * windows there are read from the statistics only, so a crash at any point leaves a
 * consistent database and the next run finishes the job. Returns the events deleted.
 */
async function purgeModel(sqlite: Database.Database, model: ModelRecord, now: number, cut: number, days: number, batch: number): Promise<number> {
  const s = stmts(sqlite);
  const modelId = model.id;
  let deleted = 0;
  if (s.anyBefore.get(modelId, cut) !== undefined) {
    sqlite
      .transaction(() => {
        s.markPurged.run(cut, modelId);
        // events whose statistics an ingest call still holds in memory are folded from their rows first
        foldUncovered(sqlite, model, now, 'all');
      })
      .immediate();
    for (;;) {
      const n = sqlite
        .transaction(() => {
          const rows = s.oldest.all(modelId, cut, batch) as Array<[number, string, number]>;
          let newest = -Infinity;
          for (const [id, , ts] of rows) {
            s.deleteEvent.run(id);
            if (ts > newest) newest = ts;
          }
          // in key order: neighbouring keys share B-tree pages, so fewer pages are dirtied
          const keys = Float64Array.from(rows, (r) => tombstoneKey(modelId, r[1])).sort();
          for (const k of keys) s.tombstone.run(k, modelId, now + days * DAY_MS);
          if (rows.length > 0) s.noteNewest.run(newest, newest, modelId);
          return rows.length;
        })
        .immediate();
      deleted += n;
      await yieldToLoop();
      if (n < batch) break;
    }
    // the in-memory event-id index still holds the deleted rows: rebuilt on next use
    dropEventIndex(sqlite, modelId);
  }
  sqlite
    .transaction(() => {
      // actuals that waited longer than the retention for their prediction go too
      s.dropPending.run(modelId, cut);
    })
    .immediate();
  return deleted;
}

/**
 * Applies every model's retention at `now` (the daily job and the applyRetention
 * mutation) and writes one audit entry for the run (for a scheduled run, only when it
 * deleted something). Idempotent: running it again at the
 * same `now` deletes nothing more.
 */
export async function applyRetention(deps: Deps, actor: Actor | string, opts: RetentionOptions): Promise<RetentionResult> {
  const sqlite = deps.store.sqlite;
  const now = opts.now ?? deps.clock.now();
  const batch = Math.max(1, opts.batchSize ?? RETENTION_BATCH);
  const perModel: Array<{ model: string; before: string; deleted: number }> = [];
  let deletedEvents = 0;
  for (const [id, name, own] of stmts(sqlite).models.all() as Array<[number, string, number | null]>) {
    const days = effectiveRetentionDays(own, opts.defaultDays);
    const cut = retentionCut(now, days);
    if (cut === null) continue;
    const model = await deps.store.models.byId(id);
    if (!model) continue;
    const deleted = await purgeModel(sqlite, model, now, cut, days, batch);
    deletedEvents += deleted;
    if (deleted > 0) perModel.push({ model: name, before: new Date(cut).toISOString(), deleted });
  }
  // a tombstone answers late actuals for one retention period after its purge (one scan a run)
  sqlite.transaction(() => stmts(sqlite).expireTombstones.run(now)).immediate();
  // a scheduled run that deleted nothing leaves no entry (it would be one a day, saying nothing)
  if (deletedEvents > 0 || typeof actor !== 'string') {
    sqlite.transaction(() => recordAudit(deps.store.db, now, actor, 'applyRetention', null, { deletedEvents, models: perModel })).immediate();
  }
  if (deletedEvents > 0) deps.log.info({ deletedEvents, models: perModel.length }, 'retention applied');
  return { deletedEvents, models: perModel.length };
}
