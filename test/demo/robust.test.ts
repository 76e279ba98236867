// The demo shares its database with a running server and may be interrupted: it retries a busy
// write, never leaves a half-built demo looking complete, and the next run rebuilds a partial one.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { DEMO_MODELS, DEMO_UNFINISHED } from '../../src/demo/run.js';
import { silentLogger } from '../../src/log.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectTestStore, createTestDatabase, type TestDatabase } from '../helpers/test-store.js';

const NOW = Date.parse('2024-05-20T10:37:00Z');
const made: TestDatabase[] = [];
const tempDb = async () => {
  const d = await createTestDatabase();
  made.push(d);
  return d.db;
};
afterAll(async () => {
  for (const d of made) await d.drop();
});

/** `glassbox demo` in its own process; `killAt` kills it (SIGKILL) when its output shows that text. */
function demoProcess(dbPath: string, killAt?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'demo'], { env: { ...process.env, GLASSBOX_DB: dbPath, LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (killAt && stdout.includes(killAt)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function demoHere(dbPath: string): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  await runDemo({ dbPath, reset: false, out, now: NOW, progress: false, log: silentLogger() });
  return text;
}

async function descriptions(dbPath: string): Promise<Array<string | null>> {
  const store = await connectTestStore(dbPath);
  try {
    return await Promise.all(DEMO_MODELS.map(async (n) => (await store.models.byName(n))?.description ?? null));
  } finally {
    await store.close();
  }
}

describe('the demo, interrupted or beside a server', () => {
  it('a demo killed midway is seen as partial and built again by the next run', async () => {
    const dbPath = await tempDb();
    const killed = await demoProcess(dbPath, 'simulating day 3 of');
    expect(killed.code).toBeNull(); // killed, not finished
    expect(await descriptions(dbPath)).toContain(DEMO_UNFINISHED);

    const again = await demoHere(dbPath);
    expect(again).toContain('Found a partial demo');
    expect(again).toContain('Demo ready');
    expect((await descriptions(dbPath)).every((d) => d !== null && d !== DEMO_UNFINISHED)).toBe(true);
    expect(await demoHere(dbPath)).toContain('); nothing changed.');
  }, 120_000);

  it('runs to the end while the server writes to the same file, and so does the server', async () => {
    const dbPath = await tempDb();
    let server: TestServer | undefined;
    try {
      server = await startTestServer({ database: made.at(-1)!, now: NOW });
      const s = server;
      await s.gql(`mutation { createModel(input: { name: "busy", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { name } }`);
      const demo = demoProcess(dbPath);
      let done = false;
      void demo.then(() => (done = true));
      const answers: Array<{ status: number; accepted?: number }> = [];
      for (let batch = 0; !done; batch++) {
        const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ eventId: `b${batch}-${i}`, timestamp: '2024-05-20T09:00:00Z', features: { x: i }, value: i }));
        const r = await s.post('/v1/models/busy/predictions', lines.join('\n'), { 'content-type': 'application/x-ndjson' });
        answers.push({ status: r.status, accepted: r.json?.accepted });
      }
      const result = await demo;
      expect(result.stderr).not.toMatch(/locked|busy/i);
      expect(result.code, result.stderr.slice(-2000)).toBe(0); // its error, if it failed
      expect(result.stdout).toContain('Demo ready');
      expect(answers.length).toBeGreaterThan(3); // the two really overlapped
      expect(answers.filter((a) => a.status !== 200 || a.accepted !== 500)).toEqual([]);
      const models = (await s.gql('{ models { name description } }')).data.models as Array<{ name: string; description: string }>;
      expect(models.map((m) => m.name).sort()).toEqual(['busy', ...DEMO_MODELS].sort());
      expect(models.every((m) => m.description !== DEMO_UNFINISHED)).toBe(true);
    } finally {
      await server?.stop();
    }
  }, 180_000);
});
