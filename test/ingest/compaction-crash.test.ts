// Kill -9 of a real server process while it compacts statistics (folding partials into
// hours, building roll-ups): every answer afterwards equals the answer before, nothing
// doubled or lost, the database sound; and once compaction completes, still the same.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/client.js';
import { findModel } from '../../src/services/models.js';
import { windowStats } from '../../src/services/stats-read.js';
import { gqlOk, startTestServer } from '../helpers/server.js';
import { close, summary } from '../services/stats-helpers.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { ADMIN_KEY, createModel, postNdjson } from './support.js';
import { sqliteStatsRows } from '../../src/store/sqlite/data/stats-rows.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const T = (s: string) => Date.parse(s);
const HOUR = 3_600_000;
const WINDOWS: Array<[number, number]> = [
  [T('2024-05-01T00:00:00Z'), T('2024-05-15T00:00:00Z')],
  [T('2024-05-03T05:00:00Z'), T('2024-05-04T17:00:00Z')],
  [T('2024-05-06T00:00:00Z'), T('2024-05-07T00:00:00Z')],
  [T('2020-01-01T00:00:00Z'), T('2030-01-01T00:00:00Z')],
];

async function answers(dbPath: string) {
  const store = openStore(dbPath);
  try {
    const model = await findModel({ store, clock: fixedClock(0), log: silentLogger() }, 'k');
    return WINDOWS.map(([from, to]) => {
      const { stats, ctx } = windowStats(sqliteStatsRows(store.sqlite), model!, from, to);
      return summary(stats, ctx);
    });
  } finally {
    store.close();
  }
}

const count = (dbPath: string, sql: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

function serve(dbPath: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, GLASSBOX_DB: dbPath, PORT: '0', HOST: '127.0.0.1', GLASSBOX_SCHEDULER: 'off', LOG_LEVEL: 'warn', GLASSBOX_ADMIN_KEY: ADMIN_KEY, GLASSBOX_COMPACT_INTERVAL_MS: '20' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return { child, exited: new Promise((r) => child.once('exit', () => r())) };
}

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('kill -9 during compaction', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('loses and doubles nothing: every answer equals the answer before', async () => {
    const s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY, GLASSBOX_COMPACT_INTERVAL_MS: '0' } });
    const dbPath = join(s.dir, 'glassbox.db');
    await createModel(s, 'k');
    const rnd = (i: number) => ((i * 2654435761) % 4294967296) / 4294967296;
    const base = Array.from({ length: 400 }, (_, i) => JSON.stringify({ features: { x: Math.round(rnd(i) * 1e5) / 1e3, c: `c${i % 4}` }, score: rnd(i + 7), actualLabel: i % 3 ? 'yes' : 'no' }));
    expect((await postNdjson(s, 'k', 'baseline', base.join('\n'))).status).toBe(200);
    // 8k events shuffled over two weeks, in 16 requests: thousands of partials
    const n = 8_000;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rnd(a + 99) - rnd(b + 99));
    const lines = order.map((i) =>
      JSON.stringify({
        eventId: `e${i}`,
        timestamp: new Date(T('2024-05-01T00:00:00Z') + Math.floor((i / n) * 14 * 24 * HOUR) + (i % 997)).toISOString(),
        features: { x: Math.round(rnd(i + 5) * 1e5) / 1e3, c: `c${i % 5}` },
        score: rnd(i + 3),
        ...(i % 4 ? { actualLabel: i % 3 ? 'yes' : 'no' } : {}),
      }),
    );
    // a read after each request (as a dashboard's) writes the model's head out: ~300 partials a request
    for (let b = 0; b < n; b += 500) {
      expect((await postNdjson(s, 'k', 'predictions', lines.slice(b, b + 500).join('\n'))).json).toMatchObject({ accepted: 500 });
      await gqlOk(s, `{ model(name: "k") { traffic(from: "2024-05-01T00:00:00Z", to: "2024-05-15T00:00:00Z") { predictionCount } } }`, {}, 'traffic', ADMIN_KEY);
    }
    // late actuals, some replacing earlier ones
    const actuals = order.filter((i) => i % 8 === 0 || i % 12 === 1).map((i) => JSON.stringify({ eventId: `e${i}`, actualLabel: i % 5 ? 'no' : 'yes' }));
    expect((await postNdjson(s, 'k', 'actuals', actuals.join('\n'))).status).toBe(200);
    await s.stop();
    const partials = count(dbPath, 'SELECT count(*) FROM stats_partial');
    expect(partials).toBeGreaterThan(1000);
    const before = await answers(dbPath);

    // kill while partials are being folded in, then while roll-ups are being built
    const moments = [
      () => count(dbPath, 'SELECT count(*) FROM stats_partial') < partials * 0.7,
      () => count(dbPath, 'SELECT count(*) FROM stats_partial') < partials * 0.2,
      () => count(dbPath, 'SELECT count(*) FROM stats_rollup') > 3,
    ];
    for (const moment of moments) {
      const { child, exited } = serve(dbPath);
      children.push(child);
      await until(moment, 'compaction under way');
      child.kill('SIGKILL');
      await exited;
      if (moment === moments[0]) {
        // killed midway: some partials folded in, some not
        const left = count(dbPath, 'SELECT count(*) FROM stats_partial');
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThan(partials);
      }
      const db = new Database(dbPath, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      close(before, await answers(dbPath));
    }
    // and to the end
    const { child, exited } = serve(dbPath);
    children.push(child);
    await until(() => count(dbPath, 'SELECT count(*) FROM stats_partial') === 0 && count(dbPath, 'SELECT count(*) FROM stats_rollup WHERE level = 5') === 1, 'compaction done');
    child.kill('SIGKILL');
    await exited;
    close(before, await answers(dbPath));
    rmSync(s.dir, { recursive: true, force: true });
  }, 180_000);
});
