// The database ends a connection while the store holds it (a failover, a restart,
// pg_terminate_backend): the transaction on it fails, the process goes on, and the store
// keeps answering on fresh connections. pg-pool hands a client's 'error' to the pool's, idle
// or checked out: without the store's pool listener (client.ts) it is uncaught and ends the
// whole server (checked: this test fails with that listener removed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';

const admin = await testPostgres();

describe.skipIf(admin === null)('PostgreSQL: a connection lost mid-transaction', () => {
  const db = useTempDatabase(admin);
  let store: PostgresStore;
  let killer: PostgresStore;
  beforeAll(async () => {
    store = await openPostgres(db.url);
    killer = await openPostgres(db.url, { migrate: false });
  });
  afterAll(async () => {
    await store?.close();
    await killer?.close();
  });

  it('fails that transaction only; the store answers on', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await store.pool.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await client.query('BEGIN');
      const terminated = await killer.pool.query('SELECT pg_terminate_backend($1) AS ok', [pid]);
      expect(terminated.rows[0].ok).toBe(true);
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      // let pg deliver the connection's end to its listeners
      await new Promise((r) => setImmediate(r));
      expect(uncaught).toEqual([]);
      await expect(store.transaction(async () => store.models.list())).resolves.toEqual([]);
      const one = await store.db.execute(sql`SELECT 1 AS one`);
      expect(one.rows[0]).toEqual({ one: 1 });
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
