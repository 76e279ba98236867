// What a backup of a live SQLite database costs, and which way survives writers: VACUUM INTO
// (what `glassbox backup` runs) against better-sqlite3's backup API, in 100-page steps (its
// default) and in one step, on a database of BENCH_BACKUP_GB (default 1) GB, idle and with
// another process committing 100 events every 5 ms, then once retention has deleted half the
// events (free pages stay in the file: no auto_vacuum). Prints seconds, ratios to VACUUM
// INTO, restarts of the stepped API, the copy's size and the writer's commit latency.
// `npm run bench -- backup`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openStore } from '../src/db/client.js';

const ROW_FEATURES = JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f${j}`, j * 37.5])));
/** Abandons a stepped backup that has not ended after this long. */
const GIVE_UP_MS = 30_000;

/** A migrated Glassbox database of about `bytes`, filled with raw events. */
function build(path: string, bytes: number): number {
  openStore(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.prepare(`INSERT INTO models (name, task, features, created_at, updated_at) VALUES ('bench', 'REGRESSION', '[]', 0, 0)`).run();
  const ins = db.prepare(`INSERT INTO events (model_id, event_id, ts, features, value) VALUES (1, ?, ?, ?, ?)`);
  let n = 0;
  const batch = db.transaction(() => {
    for (let i = 0; i < 100_000; i++, n++) ins.run(`e-${n}`, n * 1000, ROW_FEATURES, n % 100);
  });
  while (db.pragma('page_count', { simple: true }) as number * (db.pragma('page_size', { simple: true }) as number) < bytes) batch();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return n;
}

const WRITER = `
import Database from 'better-sqlite3';
const db = new Database(process.argv[1]);
db.pragma('journal_mode = WAL'); db.pragma('synchronous = FULL'); db.pragma('busy_timeout = 5000');
const ins = db.prepare("INSERT INTO events (model_id, event_id, ts, features, value) VALUES (1, ?, 0, '{}', 1)");
let n = 0; const lat = [];
const tx = db.transaction(() => { for (let i = 0; i < 100; i++) ins.run('w-' + n++); });
const loop = () => { const t = performance.now(); tx.immediate(); lat.push(performance.now() - t); timer = setTimeout(loop, 5); };
let timer = setTimeout(loop, 0);
process.stdin.on('data', () => {
  clearTimeout(timer); lat.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ commits: lat.length, p99: lat[Math.floor(lat.length * 0.99)] ?? 0 }));
  db.prepare("DELETE FROM events WHERE event_id LIKE 'w-%'").run(); db.close(); process.exit(0);
});`;

/** Another process committing meanwhile; stop() returns its commit count and p99 latency. */
function startWriter(path: string): { stop(): Promise<{ commits: number; p99: number }> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, path], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve(JSON.parse(out)));
        child.stdin.write('stop\n');
      }),
  };
}

type Way = 'vacuum-into' | 'api-one-step' | 'api-100-pages';

/** One copy of `src` to `dest` the given way; seconds, or null when it gave up. */
async function copy(src: string, dest: string, way: Way): Promise<{ s: number | null; restarts: number; bytes: number }> {
  rmSync(dest, { force: true });
  const db = new Database(src, { readonly: true });
  const t0 = performance.now();
  let restarts = 0;
  let last = Infinity;
  try {
    if (way === 'vacuum-into') db.prepare('VACUUM INTO ?').run(dest);
    else
      await db.backup(dest, {
        progress: ({ remainingPages }) => {
          if (remainingPages > last) restarts++;
          last = remainingPages;
          if (performance.now() - t0 > GIVE_UP_MS) throw new Error('gave up');
          return way === 'api-one-step' ? 0x7fffffff : 100;
        },
      });
    return { s: (performance.now() - t0) / 1000, restarts, bytes: statSync(dest).size };
  } catch {
    return { s: null, restarts, bytes: 0 };
  } finally {
    db.close();
    rmSync(dest, { force: true });
  }
}

/** Runs the backup benchmark and prints its table. */
export async function runBackupBench(opts: { gb?: number } = {}): Promise<void> {
  const gb = opts.gb ?? Number(process.env.BENCH_BACKUP_GB ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-backup-'));
  try {
    const src = join(dir, 'live.db');
    const events = build(src, gb * 1024 ** 3);
    console.log(`backup: ${(statSync(src).size / 1024 ** 2).toFixed(0)} MB, ${events.toLocaleString('en')} events`);
    console.log('| way | case | seconds | ratio to VACUUM INTO | restarts | copy MB | writer commits, p99 ms |');
    console.log('|---|---|---|---|---|---|---|');
    for (const phase of ['idle', 'writer', 'half deleted'] as const) {
      const writer = phase === 'writer';
      if (phase === 'half deleted') {
        const db = new Database(src);
        db.prepare('DELETE FROM events WHERE id % 2 = 0').run();
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      }
      let base = 0;
      for (const way of ['vacuum-into', 'api-one-step', 'api-100-pages'] as Way[]) {
        if (phase === 'half deleted' && way === 'api-100-pages') continue;
        const w = writer ? startWriter(src) : null;
        if (w) await new Promise((r) => setTimeout(r, 300));
        const r = await copy(src, join(dir, 'copy.db'), way);
        const ws = w ? await w.stop() : null;
        if (way === 'vacuum-into') base = r.s ?? 0;
        const secs = r.s === null ? `gave up after ${GIVE_UP_MS / 1000}` : r.s.toFixed(2);
        const ratio = r.s === null ? '' : (r.s / base).toFixed(2);
        console.log(`| ${way} | ${phase} | ${secs} | ${ratio} | ${r.restarts} | ${r.bytes ? (r.bytes / 1024 ** 2).toFixed(0) : ''} | ${ws ? `${ws.commits}, ${ws.p99.toFixed(1)}` : ''} |`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
