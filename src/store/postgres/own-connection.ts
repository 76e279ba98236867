// A transaction on a connection of its own, outside the store's AsyncLocalStorage
// transactions (transaction.ts): what a read snapshot or a compaction step needs, since
// neither may join the caller's transaction.
import type pg from 'pg';

/**
 * Runs `fn` between `begin` (e.g. 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY') and
 * COMMIT on one pooled connection; ROLLBACK and rethrow when it throws. A connection that
 * failed is closed, not given back (it may be dead: a killed backend).
 */
export async function onOwnConnection<T>(pool: pg.Pool, begin: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    await client.query(begin);
    try {
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      failed = err instanceof Error ? err : new Error(String(err));
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    client.release(failed);
  }
}

/** Runs `fn` in BEGIN .. COMMIT on `client`, which stays the caller's (ROLLBACK and rethrow when it throws). */
export async function inTransaction<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
