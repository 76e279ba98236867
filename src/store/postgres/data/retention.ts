// Retention on PostgreSQL, the same steps and results as SQLite's (services/retention.ts):
// the purge mark moves first, in its own transaction (from then on predictions before it
// are refused, and a crash at any later point leaves a consistent store that the next run
// finishes); then whole day partitions before the cut are each detached, tombstoned, noted
// (the newest instant purged), stripped of their idempotency keys and dropped in one
// transaction under the data lock (partitions.ts: killed midway, the day stays attached and
// counted, so the next run's count is exactly what it deletes); then the day the cut falls in loses its rows before the cut
// in batches (each one statement: rows, keys, tombstones and that instant together);
// pending actuals older than the cut go last. Ingest gets the event loop between steps.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type pg from 'pg';
import type { ModelRecord } from '../../../domain/model.js';
import { DAY_MS } from '../../../domain/time.js';
import type { StoredSpan } from '../../ports/data.js';
import type { PgContext } from '../context.js';
import { dropEventPartitionsBefore, eventPartitions } from '../partitions.js';
import { holdModel, type Queryable } from './locks.js';
import { tombstoneInsert } from './tombstones.js';

/** Rows deleted per statement in the day the cut falls in: short enough that ingest interleaves. */
export const PURGE_BATCH = 5000;

const NOTE_NEWEST = (source: string) =>
  `UPDATE models SET purged_newest = greatest(coalesce(purged_newest, x.m), x.m)
     FROM (SELECT max(ts) AS m FROM ${source}) AS x WHERE id = $1 AND x.m IS NOT NULL`;

/** The instant before which the model's events may have been deleted, or null. */
export async function purgedBeforeOf(q: Queryable, modelId: number): Promise<number | null> {
  const r = await q.query<{ purged_before: number | null }>('SELECT purged_before FROM models WHERE id = $1', [modelId]);
  return r.rows[0]?.purged_before ?? null;
}

/** What the model stores, or null when it does not exist. */
export async function storedSpanOf(q: Queryable, modelId: number): Promise<StoredSpan | null> {
  const r = await q.query<{ n: number; lo: number | null; hi: number | null; purged_newest: number | null; purged_before: number | null; retention_days: number | null }>(
    `SELECT s.n, s.lo, s.hi, m.purged_newest, m.purged_before, m.retention_days FROM models m,
       LATERAL (SELECT count(*) AS n, min(ts) AS lo, max(ts) AS hi FROM events WHERE model_id = m.id) AS s
      WHERE m.id = $1`,
    [modelId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const newest = row.hi === null ? row.purged_newest : row.purged_newest === null ? row.hi : Math.max(row.hi, row.purged_newest);
  return { rawEvents: row.n, oldestRawEvent: row.lo, newestEvent: newest, purgedBefore: row.purged_before, ownRetentionDays: row.retention_days };
}

/** Deletes up to `batch` of the partition's rows before `cut` with their keys and tombstones; returns how many. */
async function deleteBatch(pool: pg.Pool, modelId: number, partition: string, cut: number, tombstoneUntil: number, batch: number): Promise<number> {
  const r = await pool.query<{ n: number }>(
    `WITH d AS (
       DELETE FROM "${partition}" WHERE ctid = ANY(ARRAY(SELECT ctid FROM "${partition}" WHERE model_id = $1 AND ts < $3 ORDER BY ts LIMIT $4))
       RETURNING event_id, ts),
     k AS (DELETE FROM event_keys WHERE model_id = $1 AND event_id IN (SELECT event_id FROM d)),
     t AS (${tombstoneInsert('SELECT event_id FROM d')}),
     n AS (${NOTE_NEWEST('d')})
     SELECT count(*)::int AS n FROM d`,
    [modelId, tombstoneUntil, cut, batch],
  );
  return r.rows[0]!.n;
}

/** Deletes the model's events before `cut` (see the file's comment); returns how many. */
export async function purgeModel(ctx: PgContext, model: ModelRecord, cut: number, tombstoneUntil: number, batch = PURGE_BATCH): Promise<number> {
  const { pool } = ctx;
  const modelId = model.id;
  let deleted = 0;
  const parts = (await eventPartitions(pool, modelId)).filter((p) => p.day < cut);
  const anyBefore = (await pool.query('SELECT 1 FROM events WHERE model_id = $1 AND ts < $2 LIMIT 1', [modelId, cut])).rowCount! > 0;
  // an older version's run that died between detaching and dropping left a partition no query sees
  if (anyBefore || parts.some((p) => !p.attached)) {
    await ctx.tx.run(async () => {
      const client = ctx.tx.client()!;
      // waits for the prediction batches under way: later ones see the mark
      await holdModel(client, modelId);
      await client.query('UPDATE models SET purged_before = greatest(coalesce(purged_before, 0), $2) WHERE id = $1', [modelId, cut]);
    });
    deleted += await dropEventPartitionsBefore(pool, modelId, cut, async (client, partition) => {
      await client.query(tombstoneInsert(`SELECT event_id FROM "${partition}"`), [modelId, tombstoneUntil]);
      await client.query(NOTE_NEWEST(`"${partition}"`), [modelId]);
    }, (client) => holdModel(client, modelId));
    const straddling = parts.find((p) => p.attached && p.day + DAY_MS > cut);
    if (straddling) {
      for (;;) {
        const n = await deleteBatch(pool, modelId, straddling.name, cut, tombstoneUntil, batch);
        deleted += n;
        await yieldToLoop();
        if (n < batch) break;
      }
    }
  }
  // actuals that waited longer than the retention for their prediction go too
  await pool.query('DELETE FROM pending_actuals WHERE model_id = $1 AND received_at < $2', [modelId, cut]);
  return deleted;
}

/** Drops tombstones whose time is over. */
export async function expireTombstonesAt(q: Queryable, now: number): Promise<void> {
  await q.query('DELETE FROM purged_events WHERE expires_at <= $1', [now]);
}

/**
 * After a retention run: makes the space of the rows it deleted from the unpartitioned
 * tables (idempotency keys, tombstones, pending actuals) reusable at once. Autovacuum would
 * get there later; until then each day's purged keys added ~23% of a day's events to
 * event_keys (test/retention/file-size-postgres.test.ts). Plain VACUUM takes no lock that
 * ingest waits for; it cannot run inside a transaction, so a caller inside one skips it.
 */
export async function reclaimPurgedSpace(pool: Queryable): Promise<void> {
  await pool.query('VACUUM (ANALYZE) event_keys, purged_events, pending_actuals');
}
