// kill -9 while an NDJSON call holds the statistics of its committed batches in memory
// (stats-head.ts): after a restart, every committed event is in the statistics once.
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { startTestServer } from '../helpers/server.js';
import { spawnServer } from '../helpers/server-process.js';
import { windowStats } from '../../src/services/stats-read.js';
import { statsContext, statsFromEvents } from '../../src/store/sqlite/data/stats-store.js';
import { findModel } from '../../src/services/models.js';
import { summary, close } from '../services/stats-helpers.js';
import { ADMIN_KEY } from './support.js';
import { onSqlite, sqliteOf } from '../helpers/test-store.js';
import { sqliteStatsRows } from '../../src/store/sqlite/data/stats-rows.js';

const T0 = Date.parse('2024-05-06T00:00:00Z');
const WEEK = 7 * 24 * 3_600_000;

function peek(dbPath: string, sql: string): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Prediction lines over a week in a scrambled order, 300 a chunk, a few ms apart, until the server dies. */
function endless(): Readable {
  let i = 0;
  return new Readable({
    read() {
      setTimeout(() => {
        const lines: string[] = [];
        for (let k = 0; k < 300; k++, i++) {
          const ts = T0 + ((i * 7919) % 10_007) * Math.floor(WEEK / 10_007);
          lines.push(JSON.stringify({ eventId: `e${i}`, timestamp: new Date(ts).toISOString(), features: { x: (i * 37) % 101, zone: ['n', 's'][i % 2] }, value: i % 17 }));
        }
        this.push(lines.join('\n') + '\n');
      }, 3);
    },
  });
}

// SQLite's stats head (statistics held in memory across a call's batches); PostgreSQL writes each batch's partials in its transaction
describe.runIf(onSqlite)('kill -9 while an ingest call holds statistics in memory', () => {
  let child: ChildProcess | null = null;
  afterAll(() => child?.kill('SIGKILL'));

  it('folds the committed batches once at the next start: every window answers as its raw events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-head-kill-'));
    const dbPath = join(dir, 'glassbox.db');
    const proc = await spawnServer(dbPath, { GLASSBOX_ADMIN_KEY: ADMIN_KEY });
    child = proc.child;
    const created = await fetch(`${proc.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({
        query: `mutation { createModel(input: { name: "h", task: REGRESSION, features: [{ name: "x", type: NUMERIC }, { name: "zone", type: CATEGORICAL }] }) { name } }`,
      }),
    });
    expect(created.status).toBe(200);
    const req = request(`${proc.url}/v1/models/h/predictions`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN_KEY}` } });
    req.on('error', () => undefined);
    endless().pipe(req);
    const end = performance.now() + 30_000;
    while (peek(dbPath, 'SELECT count(*) FROM stats_uncovered') < 2) {
      if (performance.now() > end) throw new Error('no uncovered batches seen');
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await proc.exited;

    const again = await startTestServer({ dir, env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
    try {
      const { sqlite } = sqliteOf(again.deps.store);
      expect(sqlite.prepare('SELECT count(*) FROM stats_uncovered').pluck().get()).toBe(0);
      expect(sqlite.prepare('SELECT count(*) FROM events').pluck().get()).toBeGreaterThanOrEqual(4000);
      const model = (await findModel(again.deps, 'h'))!;
      const ctx = statsContext(sqlite, model);
      for (const [from, to] of [[T0, T0 + WEEK], [T0 + 3_600_000 * 7.5, T0 + 3_600_000 * 50]] as const) {
        const s = windowStats(sqliteStatsRows(sqlite), model, from, to).stats;
        expect(s.count).toBeGreaterThan(0);
        close(summary(statsFromEvents(sqlite, ctx, model.id, 0, from, to), ctx), summary(s, ctx));
      }
    } finally {
      await again.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
