// Three real `glassbox serve` processes on one PostgreSQL database (real time, real cron):
// every scheduled tick of a monitor is evaluated once, by whichever replica claims it, and
// still every tick once one of them is killed with kill -9; the same NDJSON sent to the
// three at once is stored once, and each answers the same count.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { kill9, killAll, startMember, WAITING_FOR, type Member } from './cluster.js';
import { survivingLostConnections } from '../../src/store/postgres/client.js';

const admin = await testPostgres();
const TICK_MS = 2000;
const NAMES = ['r1', 'r2', 'r3'];

if (WAITING_FOR) console.log(`test/replicas/three-servers.test.ts skipped: waits for ${WAITING_FOR}`);

describe.skipIf(admin === null || WAITING_FOR !== null)('three servers on one PostgreSQL database', () => {
  const db = useTempDatabase(admin);
  let pool: pg.Pool;
  beforeAll(() => {
    pool = survivingLostConnections(new pg.Pool({ connectionString: db.url, max: 2 }));
    // the temporary database is dropped (its sessions ended) after the tests: not an error
    pool.on('error', () => {});
  });
  afterAll(async () => {
    await pool?.end();
  });
  afterEach(killAll, 30_000);

  const rows = async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[];

  /** The monitor's evaluated ticks, ascending, and the claims recorded for them. */
  async function ticks(monitorId: number) {
    const ats = (await rows<{ at: string }>('SELECT at FROM evaluations WHERE monitor_id = $1 ORDER BY at', [monitorId])).map((r) => Number(r.at));
    const claims = await rows<{ at: string; claimed_by: string; done: boolean }>(
      `SELECT at, claimed_by, done_at IS NOT NULL AS done FROM claims WHERE scope = $1 ORDER BY at`,
      [`monitor:${monitorId}`],
    );
    return { ats, claims: claims.map((c) => ({ at: Number(c.at), by: c.claimed_by, done: c.done })) };
  }

  /** True when `ats` holds every tick from its first to its last. */
  const contiguous = (ats: number[]) => ats.every((at, i) => i === 0 || at - ats[i - 1]! === TICK_MS);

  it('evaluate each tick once, and every tick still once after kill -9 of one of them', async () => {
    const members = await Promise.all(NAMES.map((n) => startMember(db.url, n, { GLASSBOX_SCHEDULER: 'on' })));
    const [r1] = members as [Member, Member, Member];
    await r1.gql(`mutation { createModel(input: { name: "m", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { name } }`);
    // every two seconds (node-cron's seconds field): the others pick the monitor up at their next sync (2 s)
    const m = await r1.gql(`mutation { createMonitor(input: { model: "m", name: "often", metric: PREDICTION_COUNT, window: "1h", schedule: "*/2 * * * * *", comparator: GT, warningThreshold: 1000000 }) { id } }`);
    const id = Number(m.createMonitor.id);
    await vi.waitFor(async () => expect((await ticks(id)).ats.length).toBeGreaterThanOrEqual(6), { timeout: 60_000, interval: 250 });

    // every replica counts the three by their heartbeats
    for (const x of members) expect((await x.gql(`{ server { liveInstances } }`)).server.liveInstances).toBe(3);
    // kill the replica that claimed the latest tick
    const latest = (await ticks(id)).claims.at(-1)!;
    const victim = members.find((x) => x.name === latest.by)!;
    await kill9(victim);
    const killedAt = Date.now();
    await vi.waitFor(async () => expect((await ticks(id)).ats.filter((at) => at > killedAt).length).toBeGreaterThanOrEqual(5), { timeout: 60_000, interval: 250 });

    // a tick the victim held when it died is taken over once its lease ends: then no gap anywhere
    await vi.waitFor(async () => expect(contiguous((await ticks(id)).ats)).toBe(true), { timeout: 60_000, interval: 500 });
    const { ats, claims } = await ticks(id);
    // one done claim per evaluated tick; after the kill only the survivors claim
    expect(claims.filter((c) => c.done).map((c) => c.at)).toEqual(expect.arrayContaining(ats));
    expect(claims.filter((c) => c.done).length).toBe(ats.length);
    expect(claims.filter((c) => c.at > killedAt + TICK_MS).every((c) => c.by !== victim.name)).toBe(true);
    for (const a of members.filter((x) => x !== victim)) expect((await a.gql(`{ server { store instance } }`)).server).toEqual({ store: 'postgres', instance: a.name });
  }, 240_000);

  it('store the same NDJSON sent to three replicas at once once', async () => {
    const members = await Promise.all(NAMES.map((n) => startMember(db.url, n)));
    await members[0]!.gql(`mutation { createModel(input: { name: "same", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { name } }`);
    const T = Date.parse('2026-11-02T00:00:00Z');
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ eventId: `e${i}`, timestamp: new Date(T + i * 1000).toISOString(), features: { x: i % 17 }, value: i % 5 }),
    ).join('\n');
    const answers = await Promise.all(members.map((r) => r.ingest('same', 'predictions', `${lines}\n`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(Number((await rows<{ n: string }>('SELECT count(*) AS n FROM events'))[0]!.n)).toBe(3000);
    const q = `{ model(name: "same") { traffic(from: "${new Date(T).toISOString()}", to: "${new Date(T + 3600_000).toISOString()}") { predictionCount } } }`;
    for (const r of members) expect((await r.gql(q)).model.traffic.predictionCount).toBe(3000);
  }, 120_000);
});
