// Retention on SQLite: deletes a model's raw events (and their actuals) before a cut,
// keeping every hour's statistics, so metrics over purged time still answer. Deleting
// must never stall ingest: each batch is its own short write transaction and the loop
// yields to the event loop between batches. Freed pages go to SQLite's freelist and are
// reused by later inserts, so once retention holds the file stops growing (docs/retention.md).
// Which models, which cut and the audit entry are the service's (services/retention.ts).
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { hashEventId } from '../../../domain/ingest/event-id-table.js';
import type { ModelRecord } from '../../../domain/model.js';
import type { StoredSpan } from '../../ports/data.js';
import { dropEventIndex } from './ingest-index.js';
import { foldUncovered } from './stats-head.js';
import { BEFORE, beforeParams, EVENT_BLOCK, spanSql } from './event-blocks.js';

/** Events deleted per transaction: ~10-20 ms of write lock, so ingest batches interleave. */
export const RETENTION_BATCH = 2000;

interface Stmts {
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
      anyBefore: sqlite.prepare(`SELECT 1 FROM events WHERE ${BEFORE} LIMIT 1`).pluck(),
      markPurged: sqlite.prepare('UPDATE models SET purged_before = max(coalesce(purged_before, 0), ?) WHERE id = ?'),
      // oldest blocks first, in the index's order (no sort of every row before the cut)
      oldest: sqlite.prepare(`SELECT id, event_id, ts FROM events WHERE ${BEFORE} ORDER BY ${EVENT_BLOCK} LIMIT ?`).raw(),
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
          `SELECT (SELECT count(*) FROM events WHERE model_id = m.id), ${spanSql('m.id').join(', ')},
                  m.purged_newest, m.purged_before, m.retention_days
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

/** What the model stores (`storage` combines its newest event with the newest one retention deleted). */
export function storedSpan(sqlite: Database.Database, modelId: number): StoredSpan | null {
  const r = stmts(sqlite).storage.get(modelId) as [number, number | null, number | null, number | null, number | null, number | null] | undefined;
  if (!r) return null;
  const newest = r[2] === null ? r[3] : r[3] === null ? r[2] : Math.max(r[2], r[3]);
  return { rawEvents: r[0], oldestRawEvent: r[1], newestEvent: newest, purgedBefore: r[4], ownRetentionDays: r[5] };
}

/** Runs a synchronous body once the connection is free of other callers' async transactions. */
export type Gate = <T>(body: () => T) => Promise<T>;

/**
 * Deletes one model's events before `cut`, batch by batch. `purged_before` is moved
 * first, in its own transaction: from then on predictions before the cut are refused and
 * windows there are read from the statistics only, so a crash at any point leaves a
 * consistent database and the next run finishes the job. Returns the events deleted.
 */
export async function purgeModel(sqlite: Database.Database, gate: Gate, model: ModelRecord, now: number, cut: number, tombstoneUntil: number, batch = RETENTION_BATCH): Promise<number> {
  const s = stmts(sqlite);
  const modelId = model.id;
  const step = <T>(fn: () => T) => gate(() => sqlite.transaction(fn).immediate());
  let deleted = 0;
  if (s.anyBefore.get(...beforeParams(modelId, cut)) !== undefined) {
    await step(() => {
      s.markPurged.run(cut, modelId);
      // events whose statistics an ingest call still holds in memory are folded from their rows first
      foldUncovered(sqlite, model, now, 'all');
    });
    for (;;) {
      const n = await step(() => {
        const rows = s.oldest.all(...beforeParams(modelId, cut), batch) as Array<[number, string, number]>;
        let newest = -Infinity;
        for (const [id, , ts] of rows) {
          s.deleteEvent.run(id);
          if (ts > newest) newest = ts;
        }
        // in key order: neighbouring keys share B-tree pages, so fewer pages are dirtied
        const keys = Float64Array.from(rows, (r) => tombstoneKey(modelId, r[1])).sort();
        for (const k of keys) s.tombstone.run(k, modelId, tombstoneUntil);
        if (rows.length > 0) s.noteNewest.run(newest, newest, modelId);
        return rows.length;
      });
      deleted += n;
      await yieldToLoop();
      if (n < batch) break;
    }
    // the in-memory event-id index still holds the deleted rows: rebuilt on next use
    dropEventIndex(sqlite, modelId);
  }
  // actuals that waited longer than the retention for their prediction go too
  await step(() => s.dropPending.run(modelId, cut));
  return deleted;
}

/** Drops the tombstones whose time is over (one scan a retention run). */
export function expireTombstones(sqlite: Database.Database, now: number): void {
  sqlite.transaction(() => stmts(sqlite).expireTombstones.run(now)).immediate();
}
