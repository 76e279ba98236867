// The repository contract (repos.contract.ts) on PostgreSQL: one temporary database for the
// file, emptied before each test, reached through two pools (two replicas).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import { appendEvents } from '../../src/store/postgres/append-events.js';
import { ensureEventPartitions } from '../../src/store/postgres/partitions.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { describeRepos } from './repos.contract.js';
import { newModel, T0 } from './contract/support.js';
import { LIVE_WITHIN_MS } from '../../src/store/ports/liveness.js';

const admin = await testPostgres();

/**
 * Empties every table a test of the contract writes (models cascade to theirs). DELETE, not
 * TRUNCATE: 3 ms against 640 ms for eight of these tables on a loaded machine.
 */
const EMPTY = ['models', 'api_keys', 'audit_log', 'slack_seen', 'deliveries', 'channels', 'event_keys', 'events', 'instances', 'claims'].map((t) => `DELETE FROM ${t};`).join(' ');

describe.skipIf(admin === null)('PostgreSQL', () => {
  const db = useTempDatabase(admin);
  let a: PostgresStore;
  let b: PostgresStore;
  beforeAll(async () => {
    a = await openPostgres(db.url);
    b = await openPostgres(db.url, { migrate: false });
  });

  /** Polls (no sleep: one query a round trip) until a backend of this database waits for a lock. */
  async function lockWaited(): Promise<void> {
    for (let i = 0; i < 5000; i++) {
      const r = await a.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (r.rows[0].n > 0) return;
    }
    throw new Error('no backend ever waited for a lock');
  }
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  afterEach(() => {
    // every transaction gave its connection back, committed or rolled back
    for (const p of [a.pool, b.pool]) expect(p.totalCount - p.idleCount).toBe(0);
  });

  describeRepos('PostgreSQL', async () => {
    await a.pool.query(EMPTY);
    return {
      store: a,
      second: b,
      replica: b,
      outsideWaits: false,
      lockWaited,
      query: async (sql) => (await a.pool.query(sql)).rows as Array<Record<string, unknown>>,
      addEvent: async (modelId, eventId, ts) => {
        const row = { eventId, ts, features: '{}', score: null, predictedLabel: null, value: null, actualLabel: null, actualValue: null, actualAt: null };
        expect((await appendEvents(a.pool, modelId, [row])).stored).toEqual([eventId]);
      },
    };
  });

  it('drops a removed model’s event partitions and idempotency keys (they have no foreign key)', async () => {
    await a.pool.query(EMPTY);
    const m = (await a.models.create(newModel('gone')))!;
    const row = { eventId: 'e', ts: T0, features: '{}', score: null, predictedLabel: null, value: null, actualLabel: null, actualValue: null, actualAt: null };
    await appendEvents(a.pool, m.id, [row]);
    const partitions = `SELECT count(*)::int AS n FROM pg_class WHERE relkind IN ('r', 'p') AND relname LIKE 'events\\_m${m.id}%'`;
    expect((await a.pool.query(partitions)).rows[0].n).toBe(2);
    expect(await a.models.remove(m.id)).toBe(true);
    expect((await a.pool.query(partitions)).rows[0].n).toBe(0);
    expect((await a.pool.query('SELECT count(*)::int AS n FROM event_keys')).rows[0].n).toBe(0);
  });

  it('removes the keys of an ingest of the model that was in flight when the removal began', async () => {
    await a.pool.query(EMPTY);
    const m = (await a.models.create(newModel('busy')))!;
    await ensureEventPartitions(a.pool, m.id, [T0]);
    const ingest = await b.pool.connect();
    try {
      await ingest.query('BEGIN');
      await ingest.query(`INSERT INTO event_keys (model_id, event_id, ts) VALUES (${m.id}, 'late', ${T0})`);
      await ingest.query(`INSERT INTO events (model_id, event_id, ts, features) VALUES (${m.id}, 'late', ${T0}, '{}')`);
      const removed = a.models.remove(m.id);
      await lockWaited(); // the removal waits for the ingest's partition
      await ingest.query('COMMIT');
      expect(await removed).toBe(true);
    } finally {
      ingest.release();
    }
    expect((await a.pool.query('SELECT count(*)::int AS n FROM event_keys')).rows[0].n).toBe(0);
  });

  it('locks the models byNames asks for in name order, whatever the order asked (as a configuration apply does)', async () => {
    await a.pool.query(EMPTY);
    for (const n of ['a', 'b', 'c']) await a.models.create(newModel(n));
    const holder = await b.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM models WHERE name = 'b' FOR UPDATE`);
      const locking = a.transaction(() => a.models.byNames(['c', 'b', 'a']));
      await lockWaited(); // holding a, waiting for b; c not locked yet
      const nowait = (n: string) => b.pool.query(`SELECT 1 FROM models WHERE name = '${n}' FOR UPDATE NOWAIT`);
      await expect(nowait('a')).rejects.toThrow(/could not obtain lock/);
      await expect(nowait('c')).resolves.toMatchObject({ rowCount: 1 });
      await holder.query('COMMIT');
      expect((await locking).map((m) => m.name)).toEqual(['a', 'b', 'c']);
    } finally {
      holder.release();
    }
  });

  it('lets two applies of overlapping files in opposite orders both commit, on two pools, round after round', async () => {
    await a.pool.query(EMPTY);
    const all = ['m1', 'm2', 'm3', 'm4'];
    for (const n of all) await a.models.create(newModel(n));
    // the model kind's order: lock the file's models, then update them in file order
    const apply = (s: PostgresStore, file: string[], round: number) =>
      s.transaction(async () => {
        const locked = new Map((await s.models.byNames(file)).map((m) => [m.name, m]));
        for (const n of file) await s.models.update(locked.get(n)!.id, { description: `r${round}`, updatedAt: T0 + round });
      });
    for (let round = 0; round < 20; round++) {
      const results = await Promise.allSettled([apply(a, ['m1', 'm2', 'm3'], round), apply(b, ['m4', 'm3', 'm2'], round)]);
      expect(results.map((r) => r.status), `round ${round}`).toEqual(['fulfilled', 'fulfilled']);
    }
    expect((await a.models.list()).map((m) => m.description)).toEqual(['r19', 'r19', 'r19', 'r19']);
  });

  it('lists models by code point where the name column collates linguistically (a managed database’s default)', async () => {
    await a.pool.query(EMPTY);
    await a.pool.query(`ALTER TABLE models ALTER COLUMN name TYPE text COLLATE "en-x-icu"`);
    try {
      for (const n of ['b', 'B', 'a', '_x']) await a.models.create(newModel(n));
      expect((await a.models.list()).map((m) => m.name)).toEqual(['B', '_x', 'a', 'b']);
    } finally {
      await a.pool.query(`ALTER TABLE models ALTER COLUMN name TYPE text COLLATE "default"`);
    }
  });

  it('counts the servers that beat within LIVE_WITHIN_MS, through any pool; one that leaves stops counting at once', async () => {
    await a.pool.query(EMPTY);
    await a.liveness.beat('r1', T0);
    await b.liveness.beat('r2', T0 + 1000);
    await b.liveness.beat('r3', T0 + 2000);
    expect(await a.liveness.live(T0 + 2000)).toBe(3);
    expect(await b.liveness.live(T0 + 2000)).toBe(3);
    await a.liveness.leave('r3');
    expect(await b.liveness.live(T0 + 2000)).toBe(2);
    // r1 killed (no more beats): it stops counting LIVE_WITHIN_MS after its last beat
    await b.liveness.beat('r2', T0 + LIVE_WITHIN_MS);
    expect(await a.liveness.live(T0 + LIVE_WITHIN_MS - 1)).toBe(2);
    expect(await a.liveness.live(T0 + LIVE_WITHIN_MS)).toBe(1);
    await a.liveness.leave('never-beat');
  });

  it('keeps a server’s start across beats, and deletes rows not beaten for a day on the next beat', async () => {
    await a.pool.query(EMPTY);
    await a.liveness.beat('old', T0);
    await a.liveness.beat('r', T0 + 5);
    await a.liveness.beat('r', T0 + 10);
    const rows = async () => (await a.pool.query('SELECT name, started_at::float8 AS s, beat_at::float8 AS b FROM instances ORDER BY name')).rows;
    expect(await rows()).toEqual([{ name: 'old', s: T0, b: T0 }, { name: 'r', s: T0 + 5, b: T0 + 10 }]);
    await a.liveness.beat('r', T0 + 86_400_000);
    expect(await rows()).toEqual([{ name: 'old', s: T0, b: T0 }, { name: 'r', s: T0 + 5, b: T0 + 86_400_000 }]);
    await a.liveness.beat('r', T0 + 86_400_001);
    expect(await rows()).toEqual([{ name: 'r', s: T0 + 5, b: T0 + 86_400_001 }]);
  });
});
