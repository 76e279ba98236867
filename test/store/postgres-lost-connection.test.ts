// The database ends a connection while the store holds it (a failover, a restart,
// pg_terminate_backend): the transaction on it fails, the process goes on, and the store
// keeps answering on fresh connections. pg emits the backend's FATAL message as 'error' on
// the client, and pg-pool listens only while a client is idle: on a checked-out one, without
// the store's listener (survivingLostConnections, client.ts), it was uncaught and ended the
// whole server (checked: this test fails with that listener removed). The test waits for
// the connection's end before its next statement, so the message always meets a client
// with no query running (racing the two made the old test pass or fail by timing).
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
      const ended = new Promise((r) => client.once('end', r));
      const terminated = await killer.pool.query('SELECT pg_terminate_backend($1) AS ok', [pid]);
      expect(terminated.rows[0].ok).toBe(true);
      await ended;
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
