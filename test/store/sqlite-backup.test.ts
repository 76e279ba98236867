// `glassbox backup FILE` against a real server process that keeps ingesting meanwhile: the
// copy opens as a Glassbox database holding every event acknowledged before the backup
// began, only whole ingest transactions, and it refuses, fails and exits as it says.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, ROOT, type ServerProcess } from '../helpers/server-process.js';
import { startTestServer } from '../helpers/server.js';
import { openStore } from '../../src/db/client.js';
import { BackupError, backupSqlite } from '../../src/store/sqlite/backup.js';

const ADMIN_KEY = 'backup-test-admin-key-0123456789';
const BATCH = 500; // under the ingest batch, so one request is one transaction
const run = promisify(execFile);

/** Runs `glassbox backup ARGS` as its own process; never throws on a non-zero exit. */
async function backup(dbPath: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'backup', ...args], { cwd: ROOT, env: { ...process.env, GLASSBOX_DB: dbPath, LOG_LEVEL: 'silent' } });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const line = (b: number, i: number) =>
  JSON.stringify({ eventId: `b${b}-${i}`, timestamp: new Date(Date.UTC(2024, 4, 6) + (b * BATCH + i) * 1000).toISOString(), features: { x: i % 97 }, value: i });

let dir: string;
let server: ServerProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-backup-'));
  server = await spawnServer(join(dir, 'live.db'), { GLASSBOX_ADMIN_KEY: ADMIN_KEY, GLASSBOX_COMPACT_INTERVAL_MS: '200' });
  const r = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query: `mutation { createModel(input: { name: "k", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { name } }` }),
  });
  expect(r.status).toBe(200);
}, 60_000);
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe('glassbox backup while the server ingests', () => {
  it('copies every acknowledged event, whole transactions only, into a database Glassbox opens', async () => {
    const acked: number[] = []; // batch numbers, in the order the server acknowledged them
    let stop = false;
    let next = 0;
    const writer = async () => {
      while (!stop) {
        const b = next++;
        const body = Array.from({ length: BATCH }, (_, i) => line(b, i)).join('\n') + '\n';
        const r = await fetch(`${server.url}/v1/models/k/predictions`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN_KEY}` } });
        expect(((await r.json()) as { accepted: number }).accepted).toBe(BATCH);
        acked.push(b);
      }
    };
    const writing = writer();
    while (acked.length < 20) await new Promise((r) => setTimeout(r, 20));

    const before = [...acked];
    const copyDir = join(dir, 'copy');
    const result = await backup(join(dir, 'live.db'), join(copyDir, 'glassbox.db'));
    const after = acked.length;
    await new Promise((r) => setTimeout(r, 200)); // the server keeps writing after the copy too
    stop = true;
    await writing;

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^backed up .*live\.db to .*glassbox\.db: [\d.]+ MB, 1 models, [\d,]+ events, in [\d.]+ s\n$/);
    expect(after).toBeGreaterThan(before.length); // acknowledged while the backup process ran
    expect(acked.length).toBeGreaterThan(after);
    expect(readdirSync(copyDir)).toEqual(['glassbox.db']); // no partial file left beside it

    const copy = new Database(join(copyDir, 'glassbox.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const perBatch = new Map<number, number>();
    for (const { id } of copy.prepare('SELECT event_id AS id FROM events').all() as Array<{ id: string }>) {
      const b = Number(/^b(\d+)-/.exec(id)![1]);
      perBatch.set(b, (perBatch.get(b) ?? 0) + 1);
    }
    copy.close();
    for (const b of before) expect(perBatch.get(b), `batch ${b}, acknowledged before the backup`).toBe(BATCH);
    for (const [b, n] of perBatch) expect(n, `batch ${b} is whole`).toBe(BATCH);
    expect(perBatch.size).toBeLessThan(acked.length); // a snapshot, not what came later
    expect(readFileSync(join(copyDir, 'glassbox.db')).subarray(0, 16).toString()).toBe('SQLite format 3\0');
    expect(result.stdout).toContain(`${(perBatch.size * BATCH).toLocaleString("en")} events`);

    // a server on the copy: migrations already applied, events and idempotency intact
    const restored = await startTestServer({ dir: copyDir, env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
    try {
      const q = await restored.gql(`{ model(name: "k") { storage { rawEvents } } }`, {}, ADMIN_KEY);
      expect(q.data.model.storage.rawEvents).toBe(perBatch.size * BATCH);
      const again = await restored.post('/v1/models/k/predictions', Array.from({ length: BATCH }, (_, i) => line(before[0]!, i)).join('\n') + '\n', {
        'content-type': 'application/x-ndjson',
        authorization: `Bearer ${ADMIN_KEY}`,
      });
      expect(again.json).toMatchObject({ accepted: 0, duplicates: BATCH });
    } finally {
      await restored.stop();
    }
  }, 120_000);
});

describe('glassbox backup refuses and fails clearly', () => {
  it('refuses an existing FILE (exit 2, file untouched) unless --force, which replaces it', async () => {
    const target = join(dir, 'existing.db');
    writeFileSync(target, 'an older backup');
    const refused = await backup(join(dir, 'live.db'), target);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`glassbox backup: ${target} already exists; pass --force to replace it, or name a new file\n`);
    expect(readFileSync(target, 'utf8')).toBe('an older backup');

    const forced = await backup(join(dir, 'live.db'), target, '--force');
    expect(forced.code).toBe(0);
    const store = openStore(target, { migrate: false });
    try {
      expect((store.sqlite.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n).toBe(1);
    } finally {
      store.close();
    }
  }, 30_000);

  it('names the problem: no database, not a database, not Glassbox, itself, PostgreSQL', async () => {
    const target = join(dir, 'never.db');
    const missing = await backup(join(dir, 'absent.db'), target);
    expect([missing.code, missing.stderr]).toEqual([1, `glassbox backup: GLASSBOX_DB=${join(dir, 'absent.db')}: no such file; set GLASSBOX_DB to the server's database file\n`]);
    const pg = await backup('postgres://glassbox@127.0.0.1:5432/glassbox', target);
    expect(pg.code).toBe(2);
    expect(pg.stderr).toContain('back it up with pg_dump');
    // the rest in this process: the CLI maps a refusal to 2 and a failure to 1, as above
    const why = (source: string, to = target) => {
      try {
        backupSqlite(source, to);
        return 'written';
      } catch (e) {
        return `${(e as BackupError).kind}: ${(e as Error).message}`;
      }
    };
    writeFileSync(join(dir, 'text.db'), 'not sqlite at all, just text long enough to be read as a header');
    expect(why(join(dir, 'text.db'))).toBe(`failed: GLASSBOX_DB=${join(dir, 'text.db')} is not a SQLite database`);
    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    expect(why(join(dir, 'other.db'))).toMatch(/^failed: .*other\.db is a SQLite database, but not a Glassbox one/);
    expect(why(join(dir, 'live.db'), join(dir, 'live.db'))).toBe(`refused: ${join(dir, 'live.db')} is GLASSBOX_DB itself; name another file`);
    expect(why(join(dir, 'live.db'), dir)).toBe(`refused: ${dir} is a folder; name a file in it`);
    expect(existsSync(target)).toBe(false);
  }, 60_000);

  it('says in --help what it guarantees, its exit codes, and pg_dump for PostgreSQL', async () => {
    const r = await backup(':memory:', '--help');
    expect(r.code).toBe(0);
    for (const words of ['consistent snapshot', 'Exit codes: 0 written; 1 failed', '--force', 'pg_dump']) expect(r.stdout).toContain(words);
  }, 30_000);

  it('creates the target folder when missing', () => {
    const target = join(dir, 'a', 'b', 'c.db');
    expect(backupSqlite(join(dir, 'live.db'), target).models).toBe(1);
    expect(existsSync(target)).toBe(true);
  });
});
