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
 * Retention: drops the model's day partitions that end at or before `cutoff`. Each is
 * detached, its events' idempotency keys deleted and it is dropped in one transaction, so a
 * process killed at any statement leaves the partition either attached, counted and whole,
 * or gone: never detached, out of every count yet not deleted (the next run would then
 * report as deleted rows no count had left). `lock` runs first in each transaction (the
 * model's data lock, taken before any table lock as every writer takes it: no deadlock with
 * ingest); `beforeDrop` runs after the detach (e.g. tombstones of its events). Rows older
 * than the cutoff in the partition that straddles it are left to a DELETE by the caller. A
 * partition found detached (left by an older version, which detached in its own statement)
 * is finished the same way. Returns the number of events dropped.
 */
export async function dropEventPartitionsBefore(
  pool: pg.Pool,
  modelId: number,
  cutoff: number,
  beforeDrop?: (client: pg.PoolClient, partition: string) => Promise<void>,
  lock?: (client: pg.PoolClient) => Promise<void>,
): Promise<number> {
  let dropped = 0;
  for (const p of await eventPartitions(pool, modelId)) {
    if (p.day + DAY_MS > cutoff) break;
    knownOf(pool).delete(`${modelId}:${p.day}`);
    const client = await pool.connect();
    // a checked-out client's connection lost (backend terminated) must fail the query, not crash the process
    const lost = (): void => {};
    client.on('error', lost);
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      await lock?.(client);
      if (p.attached) await client.query(`ALTER TABLE "events_m${modelId}" DETACH PARTITION "${p.name}"`);
      await beforeDrop?.(client, p.name);
      const keys = await client.query(
        `DELETE FROM event_keys k USING "${p.name}" e WHERE k.model_id = $1 AND k.event_id = e.event_id`,
        [modelId],
      );
      await client.query(`DROP TABLE "${p.name}"`);
      await client.query('COMMIT');
      dropped += keys.rowCount ?? 0;
    } catch (err) {
      failure = err as Error;
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      // a connection that failed mid-transaction (e.g. its backend was terminated) is not reused
      client.removeListener('error', lost);
      client.release(failure);
    }
  }
  return dropped;
}
