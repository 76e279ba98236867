// Metric reads on PostgreSQL answer as on SQLite for the same events: every kind of read,
// over windows cut inside hours, across day and month edges, over years, before and after
// compaction (partials, hour rows, roll-ups, late partials on top of roll-ups), and over
// time purged by retention (its hours known only by their statistics).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { run as compactSqlite } from '../../src/jobs/compact-stats.js';
import { loadFixture, type FixtureEvent } from '../domain/metrics/load-fixture.js';
import { close } from '../services/stats-helpers.js';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from '../../src/store/postgres/schema/index.js';
import { pgContext } from '../../src/store/postgres/context.js';
import { pgDataReads } from '../../src/store/postgres/data/repo.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { logBoth, pairOf, pgAnswer, pgCompact, pgPool, purgeBoth, readsOver, sqliteAnswer, type Pair } from './pg-stats-helpers.js';

const T = (s: string) => Date.parse(s);
const admin = await testPostgres();

/** The batches: every `n`-th event by a stride, so each batch spreads over the whole span. */
const batchesOf = (events: FixtureEvent[], n: number) => Array.from({ length: n }, (_, k) => events.filter((_e, i) => i % n === k));

async function sameAnswers(p: Pair, windows: Array<[string, string]>): Promise<number> {
  let compared = 0;
  for (const [from, to] of windows) {
    for (const r of readsOver(p.model, T(from), T(to))) {
      const want = sqliteAnswer(p, r);
      const got = await pgAnswer(p, r);
      close(want, got, `${r.kind} [${from}, ${to})`);
      compared++;
    }
  }
  return compared;
}

describe.skipIf(admin === null)('metric reads on PostgreSQL', () => {
  const db = useTempDatabase(admin);
  let pool: pg.Pool;
  beforeAll(() => {
    pool = pgPool(db.url);
  });
  afterAll(async () => {
    await pool?.end();
  });

  const PENGUIN_WINDOWS: Array<[string, string]> = [
    ['2024-05-06T00:00:00Z', '2024-05-12T00:00:00Z'],
    ['2024-05-06T07:13:00Z', '2024-05-09T16:41:30Z'],
    ['2024-05-07T00:00:00Z', '2024-05-08T00:00:00Z'],
    ['2024-05-07T10:30:00Z', '2024-05-07T11:15:00Z'],
    ['2024-05-01T00:00:00Z', '2024-06-01T00:00:00Z'],
    ['2022-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
  ];

  it('answers as SQLite from partials, from hour rows and roll-ups, and with late partials over roll-ups', async () => {
    const p = await pairOf(pool, 'penguins', '-reads');
    const [first, ...rest] = batchesOf(loadFixture('penguins').events, 5);
    for (const b of rest) await logBoth(p, b);
    expect(await sameAnswers(p, PENGUIN_WINDOWS)).toBeGreaterThan(50);
    // compacted after May ended: hour rows, days, thirds and the month as roll-ups
    const now = T('2024-06-15T00:00:00Z');
    await compactSqlite(p.deps, now);
    const report = await pgCompact(p, now);
    expect(report.partials).toBeGreaterThan(0);
    expect(report.rollups).toBeGreaterThan(6);
    const rollups = await pool.query('SELECT level, count(*)::int AS n FROM stats_rollup WHERE model_id = $1 GROUP BY level ORDER BY level', [p.model.id]);
    expect(rollups.rows.map((r) => r.level)).toEqual([1, 2, 3]);
    await sameAnswers(p, PENGUIN_WINDOWS);
    // a late batch: partials of hours inside roll-ups, read before and after they are folded in
    await logBoth(p, first!);
    await sameAnswers(p, PENGUIN_WINDOWS);
    await compactSqlite(p.deps, now);
    expect((await pgCompact(p, now)).partials).toBeGreaterThan(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM stats_partial WHERE model_id = $1', [p.model.id])).rows[0].n).toBe(0);
    await sameAnswers(p, PENGUIN_WINDOWS);
    // through the store's data family: many reads at once, two at a time
    const data = pgDataReads(pgContext(pool, drizzle({ client: pool, schema })));
    const log = { warn: () => {}, error: () => {} };
    const reader = data.openReader({ workers: 2, log });
    const reads = PENGUIN_WINDOWS.flatMap(([from, to]) => readsOver(p.model, T(from), T(to)));
    const got = await Promise.all(reads.map((r) => reader.read(r)));
    reads.forEach((r, i) => close(sqliteAnswer(p, r), got[i], r.kind));
    await reader.close();
    expect(await data.compact(now)).toEqual({ partials: 0, hours: 0, rollups: 0 });
  });

  it('answers as SQLite over years of roll-ups and over time purged by retention', async () => {
    const p = await pairOf(pool, 'seattle-weather', '-years');
    // four days a month (a day partition each on PostgreSQL) over three years
    const events = loadFixture('seattle-weather').events.filter((e) => [1, 2, 15, 28].includes(new Date(e.ts).getUTCDate()));
    for (const b of batchesOf(events, 3)) await logBoth(p, b);
    const now = T('2016-02-01T00:00:00Z');
    await compactSqlite(p.deps, now);
    await pgCompact(p, now);
    const levels = await pool.query('SELECT DISTINCT level FROM stats_rollup WHERE model_id = $1 ORDER BY level', [p.model.id]);
    expect(levels.rows.map((r) => r.level)).toEqual([1, 2, 3, 4, 5]);
    const windows: Array<[string, string]> = [
      ['2013-01-01T00:00:00Z', '2016-01-01T00:00:00Z'],
      ['2013-02-17T05:00:00Z', '2015-11-03T18:30:00Z'],
      ['2014-03-01T00:00:00Z', '2014-04-01T00:00:00Z'],
      ['2014-06-01T11:59:00Z', '2014-06-02T12:00:00.001Z'],
    ];
    await sameAnswers(p, windows);
    // retention: events before mid-2014 deleted, their hours read from the statistics only
    await purgeBoth(p, T('2014-06-01T00:00:00Z'));
    await sameAnswers(p, [...windows, ['2014-05-20T07:45:00Z', '2014-06-03T12:20:00Z'], ['2013-05-01T05:05:00Z', '2013-05-02T12:00:00Z'], ['2014-05-28T12:00:00Z', '2014-06-01T12:00:00Z']]);
  });
});
