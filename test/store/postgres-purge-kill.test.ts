// A PostgreSQL purge whose connection dies between detaching a day partition and dropping
// it (pg_terminate_backend, as when the server process is killed): the day stays attached
// and counted, nothing of it is tombstoned or unkeyed, and the next run deletes exactly what
// the counts lost, tombstones every deleted event once and leaves no day before the cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import type { NewModel } from '../../src/store/ports/models.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { loadFixture } from '../domain/metrics/load-fixture.js';
import { postgresSide, prediction } from './data-twin.js';

const admin = await testPostgres();
const fx = loadFixture('penguins');
const T = (s: string) => Date.parse(s);
const NOW = T('2024-05-12T00:00:00Z');
const def: NewModel = {
  name: 'penguins-kill',
  task: fx.model.task,
  description: null,
  positiveClass: fx.model.positiveClass,
  decisionThreshold: fx.model.decisionThreshold,
  features: fx.model.features,
  retentionDays: null,
  createdAt: NOW,
};

describe.skipIf(admin === null)('PostgreSQL purge killed between detach and drop', () => {
  const db = useTempDatabase(admin);
  let a: PostgresStore;
  let watcher: PostgresStore;
  beforeAll(async () => {
    a = await openPostgres(db.url);
    watcher = await openPostgres(db.url, { migrate: false });
  });
  afterAll(async () => {
    await a?.close();
    await watcher?.close();
  });

  it('leaves the day attached and counted; the next run deletes exactly what the counts lose', async () => {
    const ev = fx.events;
    const pg = await postgresSide(a, def);
    await pg.predict(ev.map((e, i) => prediction(i, e)), NOW);
    const m = pg.model.id;
    const at = T('2024-05-11T10:30:00Z');
    const cut = T('2024-05-09T10:00:00Z');
    const day6 = ev.filter((e) => e.ts < T('2024-05-07T00:00:00Z'));
    expect(day6.length).toBeGreaterThan(5);
    const q = async (sql: string) => Number((await watcher.pool.query(sql, [m])).rows[0].n);
    const tombstones = () => q('SELECT count(*) AS n FROM purged_events WHERE model_id = $1');
    const keys = () => q('SELECT count(*) AS n FROM event_keys WHERE model_id = $1');

    // the watcher holds a tombstone of one of the first day's events: the purge, having
    // detached that day, waits on it inside its transaction and is killed right there
    const hold = await watcher.pool.connect();
    await hold.query('BEGIN');
    await hold.query('INSERT INTO purged_events (key, model_id, expires_at) VALUES (hashtextextended($2, $1), $1, 0)', [m, day6[0]!.eventId]);
    const run = pg.retain(2, at).then(
      () => 'finished',
      (err: Error) => err.message,
    );
    let victim: number | undefined;
    try {
      for (let i = 0; i < 2000 && victim === undefined; i++) {
        const r = await watcher.pool.query<{ pid: number; detached: boolean }>(
          `SELECT a.pid, NOT c.relispartition AS detached FROM pg_stat_activity a, pg_class c
            WHERE a.datname = current_database() AND a.wait_event_type = 'Lock' AND a.query LIKE 'INSERT INTO purged_events%'
              AND c.relname = 'events_m' || $1 || '_d20240506'`,
          [m],
        );
        if (r.rows[0]) {
          victim = r.rows[0].pid;
          // seen from outside the purge's transaction, the day it detached is still attached
          expect(r.rows[0].detached).toBe(false);
        } else await new Promise((res) => setTimeout(res, 5));
      }
      expect(victim).toBeDefined();
      await watcher.pool.query('SELECT pg_terminate_backend($1)', [victim]);
      expect(await run).toMatch(/terminat/i);
    } finally {
      // never leave the purge waiting on the watcher, whatever failed
      await hold.query('ROLLBACK');
      hold.release();
    }

    // the killed transaction took nothing with it: the day is attached, counted, keyed
    const left = (await pg.storedSpan())!.rawEvents;
    expect(left).toBe(ev.length);
    expect(await keys()).toBe(ev.length);
    expect(await tombstones()).toBe(0);
    expect(await q(`SELECT count(*) AS n FROM pg_class WHERE relname = 'events_m' || $1 || '_d20240506' AND relispartition`)).toBe(1);
    // the mark had moved in its own transaction before: it stays
    expect(Number((await pg.storedSpan())!.purgedBefore)).toBe(cut);

    const deleted = await pg.retain(2, at);
    const after = (await pg.storedSpan())!.rawEvents;
    expect(deleted).toBe(ev.filter((e) => e.ts < cut).length);
    expect(deleted).toBe(left - after);
    expect(await tombstones()).toBe(deleted);
    expect(await keys()).toBe(after);
    expect(await q(`SELECT count(*) AS n FROM pg_class WHERE relname LIKE 'events\\_m' || $1 || '\\_d%' AND relname < 'events_m' || $1 || '_d20240509'`)).toBe(0);
    // a third run finds nothing more
    expect(await pg.retain(2, at)).toBe(0);
  });
});
