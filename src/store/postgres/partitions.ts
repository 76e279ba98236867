// Partitions of `events`: one per model (LIST), under it one per UTC day of `ts` (RANGE).
// Created ahead or on demand by the SQL function glassbox_event_partition (migration 0001);
// retention drops a model's whole day partitions, deleting their idempotency keys with them.
import type pg from 'pg';
import { DAY_MS } from '../../domain/time.js';

/** Day partitions this process knows exist, per pool ("model:day"). */
const known = new WeakMap<pg.Pool, Set<string>>();

function knownOf(pool: pg.Pool): Set<string> {
  let k = known.get(pool);
  if (!k) known.set(pool, (k = new Set()));
  return k;
}

/** The UTC day (start, epoch ms) of each timestamp, deduplicated. */
export function daysOf(timestamps: Iterable<number>): number[] {
  const days = new Set<number>();
  for (const ts of timestamps) days.add(Math.floor(ts / DAY_MS) * DAY_MS);
  return [...days];
}

/**
 * Makes sure the model's partitions for these UTC days exist. Run it outside any
 * transaction that writes events: creating a partition locks its parent exclusively.
 */
export async function ensureEventPartitions(pool: pg.Pool, modelId: number, days: number[]): Promise<void> {
  const k = knownOf(pool);
  const missing = days.filter((d) => !k.has(`${modelId}:${d}`));
  if (missing.length === 0) return;
  await pool.query('SELECT glassbox_event_partition($1, d) FROM unnest($2::bigint[]) AS d', [modelId, missing]);
  for (const d of missing) k.add(`${modelId}:${d}`);
}

/** Creates the model's day partitions from `from` to `to` ahead of time (e.g. the next days). */
export async function createEventPartitionsAhead(pool: pg.Pool, modelId: number, from: number, to: number): Promise<void> {
  const days: number[] = [];
  for (let d = Math.floor(from / DAY_MS) * DAY_MS; d < to; d += DAY_MS) days.push(d);
  await ensureEventPartitions(pool, modelId, days);
}

/** Forgets what this process knows of the pool's partitions (after a failed insert: one may have been dropped). */
export function forgetEventPartitions(pool: pg.Pool): void {
  known.delete(pool);
}

/**
 * The model's day partitions, oldest first, attached or not (a retention run that died
 * between detaching and dropping one leaves it detached). The day comes from the name.
 */
export async function eventPartitions(pool: pg.Pool, modelId: number): Promise<Array<{ name: string; day: number; attached: boolean }>> {
  const r = await pool.query<{ name: string; attached: boolean }>(
    `SELECT c.relname AS name, c.relispartition AS attached FROM pg_class c
      WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname LIKE $1`,
    [`events\\_m${modelId}\\_d%`],
  );
  const out: Array<{ name: string; day: number; attached: boolean }> = [];
  for (const { name, attached } of r.rows) {
    const m = /_d(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (m) out.push({ name, day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])), attached });
  }
  return out.sort((a, b) => a.day - b.day);
}

/**
 * Retention: drops the model's day partitions that end at or before `cutoff`. Each is first
 * detached (a short exclusive lock on the model's partition, taken in the same order as
 * ingest takes its locks), so no insert can reach it, then its events' idempotency keys are
 * deleted and it is dropped, in one transaction. Rows older than the cutoff in the partition
 * that straddles it are left to a DELETE by the caller. `beforeDrop` runs in each drop's
 * transaction first (e.g. tombstones of its events). Returns the number of events dropped.
 */
export async function dropEventPartitionsBefore(
  pool: pg.Pool,
  modelId: number,
  cutoff: number,
  beforeDrop?: (client: pg.PoolClient, partition: string) => Promise<void>,
): Promise<number> {
  let dropped = 0;
  for (const p of await eventPartitions(pool, modelId)) {
    if (p.day + DAY_MS > cutoff) break;
    knownOf(pool).delete(`${modelId}:${p.day}`);
    if (p.attached) await pool.query(`ALTER TABLE "events_m${modelId}" DETACH PARTITION "${p.name}"`);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await beforeDrop?.(client, p.name);
      const keys = await client.query(
        `DELETE FROM event_keys k USING "${p.name}" e WHERE k.model_id = $1 AND k.event_id = e.event_id`,
        [modelId],
      );
      await client.query(`DROP TABLE "${p.name}"`);
      await client.query('COMMIT');
      dropped += keys.rowCount ?? 0;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
  return dropped;
}
