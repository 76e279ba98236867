// How the data family's transactions of one model take turns on PostgreSQL, where they run
// at once (READ COMMITTED) instead of one at a time as on SQLite. Each takes the model's
// transaction-scoped advisory lock first: prediction batches share it (they may run
// together: the database decides duplicate eventIds), and what must see every committed
// batch and keep new ones out while it runs holds it alone: an actual batch parking actuals
// as pending (else a prediction committing meanwhile would never join them), moving the
// purge mark, rebuilding the statistics, replacing the baseline. Advisory locks queue
// fairly (a waiting holder is not starved by new sharers) and write nothing.
import type pg from 'pg';

/** The lock space of these locks: "gbdx" (a class id of the two-int4 advisory lock form). */
const DATA_LOCK = 0x67626478;

/** Something to run a statement on: the transaction's connection, or the pool outside one. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Takes the model's data lock shared, until the transaction ends. */
export async function shareModel(client: pg.PoolClient, modelId: number): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock_shared($1, $2)', [DATA_LOCK, modelId]);
}

/** The statement taking the model's data lock shared (ids inlined: for a multi-statement round trip). */
export function shareModelSql(modelId: number): string {
  return `SELECT pg_advisory_xact_lock_shared(${DATA_LOCK}, ${Math.trunc(modelId)})`;
}

/** Takes the model's data lock shared if nobody holds it alone, until the transaction ends (compaction: never waits). */
export async function tryShareModel(client: Queryable, modelId: number): Promise<boolean> {
  const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock_shared($1, $2) AS ok', [DATA_LOCK, modelId]);
  return r.rows[0]!.ok;
}

/** Takes the model's data lock alone, until the transaction ends. */
export async function holdModel(client: pg.PoolClient, modelId: number): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, $2)', [DATA_LOCK, modelId]);
}

/** 40P01 deadlock (two writers' lock orders crossed), 23514 a row for a partition dropped meanwhile: worth one more try. */
export const RETRYABLE = new Set(['40P01', '23514']);

export const codeOf = (err: unknown): string => (err as { code?: string }).code ?? '';
