// kill -9 of a server process on PostgreSQL in the middle of a long NDJSON call (the
// counterpart of head-crash.test.ts, whose in-memory stats head PostgreSQL does not have:
// each batch's partials are written in the batch's transaction). After a restart and a
// compaction pass, every window answers as a fresh model fed exactly the events stored;
// resending the whole stream completes it (what was stored counted as duplicates) and
// answers as a model that got the stream uninterrupted.
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { spawnServer } from '../helpers/server-process.js';
import { connectTestStore, createTestDatabase, onSqlite, type TestDatabase } from '../helpers/test-store.js';
import { storedRows, storedValue } from '../helpers/stored-rows.js';
import { run as compact } from '../../src/jobs/compact-stats.js';
import { drift, integrity, outputDrift, performance, series, traffic } from '../../src/services/metrics.js';
import { findModel } from '../../src/services/models.js';
import { close } from '../services/stats-helpers.js';
import { HOUR_MS } from '../../src/domain/time.js';
import { ADMIN_KEY } from './support.js';

const T0 = Date.parse('2024-05-06T00:00:00Z');
const WEEK = 7 * 24 * HOUR_MS;
const N = 60_000;
const CHUNK = 200;

/** Line i: a week's timestamps in a scrambled order (every hour gets some, late and early ones mixed). */
function line(i: number): string {
  const ts = T0 + ((i * 7919) % 10_007) * Math.floor(WEEK / 10_007);
  return JSON.stringify({ eventId: `e${i}`, timestamp: new Date(ts).toISOString(), features: { x: (i * 37) % 101, zone: ['n', 's', 'w'][i % 3] }, value: i % 17 });
}
const lines = (ids: number[]) => ids.map(line).join('\n') + '\n';
const ALL = Array.from({ length: N }, (_, i) => i);
const BASELINE = Array.from({ length: 500 }, (_, i) => JSON.stringify({ eventId: `b${i}`, timestamp: new Date(T0 - HOUR_MS + i).toISOString(), features: { x: (i * 13) % 90, zone: ['n', 's'][i % 2] }, value: i % 11 })).join('\n') + '\n';

/** The N lines, CHUNK a chunk a few ms apart: long enough that a kill lands mid-stream. */
function slowStream(): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i >= N) return void this.push(null);
      setTimeout(() => {
        this.push(lines(ALL.slice(i, i + CHUNK)));
        i += CHUNK;
      }, 4);
    },
  });
}

async function post(url: string, path: string, body: string): Promise<any> {
  const r = await fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': path.startsWith('/graphql') ? 'application/json' : 'application/x-ndjson', authorization: `Bearer ${ADMIN_KEY}` } });
  const json = (await r.json()) as any;
  if (r.status !== 200 || json.errors?.length) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function createModel(url: string, name: string): Promise<void> {
  await post(url, '/graphql', JSON.stringify({ query: `mutation { createModel(input: { name: "${name}", task: REGRESSION, features: [{ name: "x", type: NUMERIC }, { name: "zone", type: CATEGORICAL }] }) { name } }` }));
  await post(url, `/v1/models/${name}/baseline`, BASELINE);
}

// whole days, hours cut in the middle, a window inside one hour, hour edges exactly
const WINDOWS: Array<[number, number]> = [
  [T0, T0 + WEEK],
  [T0 + 7.5 * HOUR_MS, T0 + 50 * HOUR_MS],
  [T0 + 24 * HOUR_MS, T0 + 48 * HOUR_MS],
  [T0 + 30 * HOUR_MS + 60_000, T0 + 30 * HOUR_MS + 1_800_000],
  [T0 + 99 * HOUR_MS, T0 + 100 * HOUR_MS],
];

/** Every window's drift, integrity, performance and traffic (and an hourly series) of `a` and `b` are the same. */
async function sameAnswers(s: TestServer, a: string, b: string): Promise<void> {
  const [ma, mb] = [(await findModel(s.deps, a))!, (await findModel(s.deps, b))!];
  for (const [from, to] of WINDOWS) {
    const both = async <T>(f: (m: typeof ma) => Promise<T>) => [await f(ma), await f(mb)] as const;
    const w = `[${new Date(from).toISOString()}, ${new Date(to).toISOString()})`;
    const t = await both((m) => traffic(s.deps, m, from, to));
    expect(t[0].predictionCount, w).toBeGreaterThan(0);
    close(t[1], t[0], `traffic ${w}`);
    close(...(await both((m) => drift(s.deps, m, from, to))), `drift ${w}`);
    close(...(await both((m) => outputDrift(s.deps, m, from, to))), `outputDrift ${w}`);
    close(...(await both((m) => integrity(s.deps, m, from, to))), `integrity ${w}`);
    close(...(await both((m) => performance(s.deps, m, from, to))), `performance ${w}`);
  }
  const q = { metric: 'MAE', from: T0, to: T0 + 2 * 24 * HOUR_MS, granularity: 'HOUR' as const };
  close(await series(s.deps, ma, q), await series(s.deps, mb, q), 'MAE by hour');
}

// the SQLite side is head-crash.test.ts (its stats head)
describe.skipIf(onSqlite)('kill -9 of a PostgreSQL server mid-stream', () => {
  let child: ChildProcess | null = null;
  let database: TestDatabase | null = null;
  let again: TestServer | null = null;
  afterAll(async () => {
    child?.kill('SIGKILL');
    if (again) await again.stop();
    else await database?.drop();
  });

  it('loses and doubles nothing; resending the stream completes it', async () => {
    database = await createTestDatabase();
    const proc = await spawnServer(database.db, { GLASSBOX_ADMIN_KEY: ADMIN_KEY });
    child = proc.child;
    await createModel(proc.url, 'h');
    const req = request(`${proc.url}/v1/models/h/predictions`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN_KEY}` } });
    req.on('error', () => undefined);
    slowStream().pipe(req);

    // a second connection watches the batches commit; the kill lands after a few of them
    const watcher = await connectTestStore(database.db);
    const stored = () => storedValue(watcher, `SELECT count(*)::int FROM events e JOIN models m ON m.id = e.model_id WHERE m.name = 'h'`);
    const end = Date.now() + 30_000;
    while ((await stored()) < 5000) {
      if (Date.now() > end) throw new Error('no batches committed');
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await proc.exited;
    await watcher.close();

    again = await startTestServer({ database, ownsDatabase: true, now: T0 + 3 * WEEK, env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
    const s = again;
    await compact(s.deps, s.clock.now());
    const rows = await storedRows<{ event_id: string; ts: number }>(s.deps.store, `SELECT e.event_id, e.ts FROM events e JOIN models m ON m.id = e.model_id WHERE m.name = 'h' ORDER BY e.id`);
    // mid-stream: some batches in, not all
    expect(rows.length).toBeGreaterThanOrEqual(5000);
    expect(rows.length).toBeLessThan(N);
    const ids = rows.map((r) => Number(r.event_id.slice(1)));
    expect(new Set(ids).size).toBe(ids.length);
    // what is stored is what was sent (the reference below is fed these lines)
    for (const r of rows.slice(0, 50)) expect(Number(r.ts)).toBe(Date.parse(JSON.parse(line(Number(r.event_id.slice(1)))).timestamp));

    // a fresh model fed exactly the stored events, in one uninterrupted call
    await createModel(s.url, 'stored');
    expect((await post(s.url, '/v1/models/stored/predictions', lines(ids))).accepted).toBe(ids.length);
    await compact(s.deps, s.clock.now());
    const t = await traffic(s.deps, (await findModel(s.deps, 'h'))!, T0, T0 + WEEK);
    expect(t.predictionCount).toBe(ids.length);
    await sameAnswers(s, 'h', 'stored');

    // the whole stream again, shuffled so that every batch mixes stored lines with new ones:
    // what was stored is a duplicate, the rest completes it
    const r = await post(s.url, '/v1/models/h/predictions', lines(ALL.map((i) => (i * 7) % N)));
    expect({ accepted: r.accepted, duplicates: r.duplicates }).toEqual({ accepted: N - ids.length, duplicates: ids.length });
    await createModel(s.url, 'whole');
    expect((await post(s.url, '/v1/models/whole/predictions', lines(ALL))).accepted).toBe(N);
    await compact(s.deps, s.clock.now());
    expect((await traffic(s.deps, (await findModel(s.deps, 'h'))!, T0, T0 + WEEK)).predictionCount).toBe(N);
    await sameAnswers(s, 'h', 'whole');
  }, 120_000);
});
