// Compaction on PostgreSQL shared by replicas: two compactors running at once on one
// database (while batches keep arriving, late ones into hours already rolled up) lose and
// double nothing; a compaction whose connection dies at any statement leaves a store that
// reads the same and that the next pass finishes; and when compaction runs never changes
// an answer (property). Answers are held to SQLite's for the same events.
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactPostgres } from '../../src/store/postgres/data/compact.js';
import { newStatsCaches, PgRowCache, withPreloadedRows } from '../../src/store/postgres/data/preloaded-rows.js';
import { answerRead } from '../../src/services/answer-reads.js';
import { loadFixture, type FixtureEvent } from '../domain/metrics/load-fixture.js';
import { close } from '../services/stats-helpers.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { logBoth, pairOf, pgAnswer, pgCompact, pgPool, readsOver, sqliteAnswer, type Pair } from './pg-stats-helpers.js';

const T = (s: string) => Date.parse(s);
const admin = await testPostgres();
const EVENTS = loadFixture('penguins').events;
const NOW = T('2024-06-15T00:00:00Z');

const WINDOWS: Array<[number, number]> = [
  [T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z')],
  [T('2024-05-06T07:13:00Z'), T('2024-05-09T16:41:30Z')],
  [T('2024-05-01T00:00:00Z'), T('2024-06-01T00:00:00Z')],
];

async function sameAsSqlite(p: Pair, kinds?: string[]): Promise<void> {
  for (const [from, to] of WINDOWS)
    for (const r of readsOver(p.model, from, to)) if (!kinds || kinds.includes(r.kind)) close(sqliteAnswer(p, r), await pgAnswer(p, r), `${r.kind} [${from}, ${to})`);
}

const partialsLeft = async (p: Pair) => (await p.pool.query('SELECT count(*)::int AS n FROM stats_partial WHERE model_id = $1', [p.model.id])).rows[0].n as number;

/** Every event logged and compacted on a fresh pair, and a traffic read over a window with hour rows and day roll-ups. */
async function compactedTrafficRead(pool: pg.Pool, suffix: string) {
  const p = await pairOf(pool, 'penguins', suffix);
  await logBoth(p, EVENTS);
  await pgCompact(p, NOW);
  const [from, to] = WINDOWS[1]!; // odd hours at both ends: hour rows and day roll-ups
  return { p, from, to, read: { kind: 'traffic' as const, model: p.model, from, to } };
}

/** A pool whose connection is killed (pg_terminate_backend, as when its process dies) before its `at`-th statement. */
function dyingPool(url: string, at: number, killer: pg.Pool): pg.Pool {
  const pool = pgPool(url, 2);
  let n = 0;
  const connect = pool.connect.bind(pool) as (cb?: unknown) => Promise<pg.PoolClient>;
  // pool.query connects with a callback: those statements (listings outside a step) pass as they are
  (pool as unknown as { connect: (cb?: unknown) => Promise<pg.PoolClient> | void }).connect = (cb?: unknown) => (cb ? void connect(cb) : steps());
  const steps = async () => {
    const client = await connect();
    const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
      if (++n === at) await killer.query('SELECT pg_terminate_backend($1)', [(client as unknown as { processID: number }).processID]);
      return query(...args);
    };
    client.on('error', () => {});
    return client;
  };
  return pool;
}

describe.skipIf(admin === null)('compaction on PostgreSQL', () => {
  const db = useTempDatabase(admin);
  let pool: pg.Pool;
  let other: pg.Pool;
  beforeAll(() => {
    pool = pgPool(db.url);
    other = pgPool(db.url);
  });
  afterAll(async () => {
    await pool?.end();
    await other?.end();
  });

  it('two compactors at once, while batches arrive, lose and double nothing', async () => {
    const p = await pairOf(pool, 'penguins', '-two');
    const batches = Array.from({ length: 8 }, (_, k) => EVENTS.filter((_e, i) => i % 8 === k));
    await logBoth(p, batches[0]!);
    await pgCompact(p, NOW); // roll-ups exist: later folds carry into them, concurrently
    const reports = [];
    for (const b of batches.slice(1)) {
      const [a, c] = await Promise.all([pgCompact(p, NOW), pgCompact(p, NOW, other), logBoth(p, b)]);
      reports.push(a, c);
      await sameAsSqlite(p, ['traffic', 'performance', 'integrity']);
    }
    // both replicas did fold something (they shared the work, not took turns at nothing)
    expect(reports.filter((r, i) => i % 2 === 0).some((r) => r.partials > 0)).toBe(true);
    expect(reports.filter((r, i) => i % 2 === 1).some((r) => r.partials > 0)).toBe(true);
    await Promise.all([pgCompact(p, NOW), pgCompact(p, NOW, other)]);
    await pgCompact(p, NOW);
    expect(await partialsLeft(p)).toBe(0);
    const again = await Promise.all([pgCompact(p, NOW), pgCompact(p, NOW, other)]);
    expect(again.map((r) => r.partials + r.rollups)).toEqual([0, 0]);
    await sameAsSqlite(p);
  });

  it('reads while two compactors fold and roll up see every hour once', async () => {
    const p = await pairOf(pool, 'penguins', '-during');
    for (const k of [0, 1, 2, 3]) await logBoth(p, EVENTS.filter((_e, i) => i % 4 === k));
    const want = WINDOWS.map(([from, to]) => sqliteAnswer(p, { kind: 'traffic', model: p.model, from, to }));
    let done = false;
    const compacting = Promise.all([pgCompact(p, NOW), pgCompact(p, NOW, other)]).finally(() => (done = true));
    let reads = 0;
    while (!done || reads < 10) {
      const i = reads++ % WINDOWS.length;
      const [from, to] = WINDOWS[i]!;
      close(want[i], await pgAnswer(p, { kind: 'traffic', model: p.model, from, to }), `read ${reads}`);
    }
    await compacting;
    expect(await partialsLeft(p)).toBeLessThan(EVENTS.length);
  });

  it('a compaction killed at any statement leaves the same answers, and the next pass finishes it', async () => {
    const p = await pairOf(pool, 'penguins', '-killed');
    const halves = [EVENTS.filter((_e, i) => i % 2 === 0), EVENTS.filter((_e, i) => i % 2 === 1)];
    await logBoth(p, halves[0]!);
    await pgCompact(p, NOW);
    await logBoth(p, halves[1]!); // partials over roll-ups: the kill may land in a fold that carries into them
    let died = 0;
    for (let at = 3; at < 400; at += 17) {
      const dying = dyingPool(db.url, at, pool);
      try {
        await compactPostgres({ pool: dying, caches: newStatsCaches(dying), modelById: async (id) => (id === p.model.id ? p.model : null) }, NOW);
      } catch {
        died++;
      } finally {
        await dying.end().catch(() => {});
      }
      await sameAsSqlite(p, ['traffic', 'performance']);
      if ((await partialsLeft(p)) === 0) break;
    }
    expect(died).toBeGreaterThan(5);

    await pgCompact(p, NOW);
    expect(await partialsLeft(p)).toBe(0);
    await sameAsSqlite(p);
  });

  it('a listing outdated between rounds (a row rewritten at READ COMMITTED, as beside a compaction step) is taken again', async () => {
    const { p, from, to, read } = await compactedTrafficRead(pool, '-relist');
    // every row the first round asks for is rewritten (same data, new rev) just before its fill reads it
    let rewrites = 0;
    const q = {
      query: async (...args: Parameters<pg.Pool['query']>) => {
        const sql = String(args[0]);
        if (rewrites === 0 && /FROM stats_(hourly WHERE .* hour = ANY|rollup r JOIN unnest)/s.test(sql)) {
          rewrites++;
          await other.query('UPDATE stats_hourly SET rev = rev + 1 WHERE model_id = $1', [p.model.id]);
          await other.query('UPDATE stats_rollup SET rev = rev + 1 WHERE model_id = $1', [p.model.id]);
        }
        return (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    } as unknown as pg.Pool;
    const got = await withPreloadedRows(q, newStatsCaches(pool), p.model, 0, from, to, (rows) => answerRead(rows, read));
    expect(rewrites).toBe(1);
    close(sqliteAnswer(p, read), got, 'traffic after the rewrite');
  });

  it('rows a round took from the shared cache stay the read\'s while other work evicts them between rounds', async () => {
    const { p, from, to, read } = await compactedTrafficRead(pool, '-evicted');
    // the process's cache, shared with other reads and compactions: each of their queries
    // evicts one more of the rows it held (as a busy replica's do, 48 rows at most)
    class Evicting extends PgRowCache {
      held: string[] = [];
      gone = new Set<string>();
      evicted = 0;
      override get(...a: Parameters<PgRowCache['get']>) {
        return this.gone.has(a[0]) ? null : super.get(...a);
      }
      override put(key: string, row: Parameters<PgRowCache['put']>[1]) {
        if (!this.held.includes(key)) this.held.push(key);
        this.gone.delete(key); // put back by this read: held again
        super.put(key, row);
      }
      evictOne() {
        if (this.evicted < this.held.length) this.gone.add(this.held[this.evicted++]!);
      }
    }
    const cache = new Evicting();
    const caches = { pool, rows: cache };
    const direct = (sql: unknown, ...rest: unknown[]) => (pool.query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
    await withPreloadedRows({ query: direct } as unknown as pg.Pool, caches, p.model, 0, from, to, (rows) => answerRead(rows, read));
    expect(cache.held.length).toBeGreaterThan(10); // enough rows that one lost a round outlasts the rounds allowed
    const q = { query: (sql: unknown, ...rest: unknown[]) => (cache.evictOne(), direct(sql, ...rest)) } as unknown as pg.Pool;
    const got = await withPreloadedRows(q, caches, p.model, 0, from, to, (rows) => answerRead(rows, read));
    close(sqliteAnswer(p, read), got, 'traffic with the cache evicted under it');
  });

  it('when compaction runs never changes an answer (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          order: fc.shuffledSubarray(Array.from({ length: 40 }, (_, i) => i), { minLength: 40, maxLength: 40 }),
          cuts: fc.array(fc.nat(40), { maxLength: 6 }),
          compactions: fc.array(fc.record({ after: fc.nat(7), at: fc.integer({ min: T('2024-05-06T00:00:00Z'), max: T('2025-03-01T00:00:00Z') }) }), { maxLength: 4 }),
        }),
        async (plan) => {
          const p = await pairOf(pool, 'penguins', `-prop${run++}`);
          const sample = EVENTS.filter((_e, i) => i % 5 === 0).slice(0, 40);
          const ordered = plan.order.map((i) => sample[i]!);
          const cuts = [...new Set(plan.cuts)].sort((a, b) => a - b);
          const batches: FixtureEvent[][] = [];
          let at = 0;
          for (const c of [...cuts, ordered.length]) {
            if (c > at) batches.push(ordered.slice(at, c));
            at = Math.max(at, c);
          }
          for (let i = 0; i < batches.length; i++) {
            await logBoth(p, batches[i]!);
            for (const c of plan.compactions) if (c.after === i) await pgCompact(p, c.at);
          }
          // SQLite never compacted: the reference is the plain merge of partials
          await sameAsSqlite(p, ['drift', 'integrity', 'performance', 'traffic', 'fairness']);
        },
      ),
      { numRuns: 6 },
    );
  });
});
