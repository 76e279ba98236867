// Replicas in one test process: N PostgreSQL stores (each its own pool, as N servers have)
// on one temporary database, each with its own clock and instance name. What one replica's
// services do, the others see only through the database.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import type { Deps } from '../../src/services/deps.js';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import { useTempDatabase } from '../helpers/postgres.js';

export type Replica = Deps & { store: PostgresStore; clock: ReturnType<typeof fixedClock>; instance: string };

const EMPTY = ['models', 'audit_log', 'deliveries', 'channels', 'claims', 'instances'].map((t) => `DELETE FROM ${t};`).join(' ');

/** `n` replicas named r1..rn, every clock at `now` before each test, on an emptied database. */
export function useReplicas(admin: string | null, n: number, now: number): Replica[] {
  const db = useTempDatabase(admin);
  const replicas: Replica[] = [];
  beforeAll(async () => {
    for (let i = 1; i <= n; i++) {
      const store = await openPostgres(db.url, { migrate: i === 1 });
      // a PostgresStore is what deps.store will be once serve runs on PostgreSQL (the Store type is SQLite's for now)
      replicas.push({ store: store as unknown as Deps['store'] & PostgresStore, clock: fixedClock(now), log: silentLogger(), instance: `r${i}` } as Replica);
    }
  });
  beforeEach(async () => {
    await replicas[0]!.store.pool.query(EMPTY);
    for (const r of replicas) r.clock.set(now);
  });
  afterAll(async () => {
    for (const r of replicas.splice(0)) await r.store.close();
  });
  return replicas;
}
