// kill -9 around a webhook's 200, with a real server process: a notification the channel
// confirmed is never sent again after a restart, however soon after the answer the
// process dies; one whose answer never reached the server is sent again, once, with the
// same idempotency key (what remains: receivers drop repeats by that key).
import type { ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { ROOT, spawnServer } from '../helpers/server-process.js';
import { storedRows, storedValue } from '../helpers/stored-rows.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-store.js';

const ADMIN_KEY = 'crash-admin-secret-0123456789';
/** The server's name before and after the crash: a restart releases the claims held under its own name (on PostgreSQL, only those) */
const INSTANCE = 'crash-server';
const T = Date.parse('2024-05-06T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

interface Hit {
  key: string | undefined;
  body: any;
}

/** A webhook receiver; `onHit` decides what happens to each request (answer, or kill first). */
async function receiver(onHit: (req: IncomingMessage, answer: () => void) => void) {
  const hits: Hit[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      hits.push({ key: req.headers['x-glassbox-idempotency-key'] as string | undefined, body: JSON.parse(text) });
      waiters.splice(0).forEach((w) => w());
      onHit(req, () => res.writeHead(200).end('ok'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    hits,
    firstHit: () => new Promise<void>((r) => (hits.length ? r() : waiters.push(r))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let child: ChildProcess | null = null;
const databases: TestDatabase[] = [];
afterEach(async () => {
  child?.kill('SIGKILL');
  child = null;
  for (const d of databases.splice(0)) await d.drop();
});

/** A server process with the confirm-kill hook, on a fresh database; `child` tracks it for cleanup. */
async function serveProcess(db: string, env: Record<string, string> = {}): Promise<{ url: string; exited: Promise<NodeJS.Signals | null> }> {
  const p = await spawnServer(db, { GLASSBOX_ADMIN_KEY: ADMIN_KEY, GLASSBOX_INSTANCE: INSTANCE, ...env }, [join(ROOT, 'test/helpers/kill-after-confirm.mjs')]);
  child = p.child;
  return { url: p.url, exited: p.exited };
}

/** A model, a WEBHOOK channel to `hookUrl`, a monitor on it, traffic, and an evaluation that opens an alert (one outbox row). */
async function openAlert(url: string, hookUrl: string): Promise<void> {
  const gql = async (query: string, variables?: unknown) => {
    const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify({ query, variables }) });
    const j = (await r.json()) as any;
    if (j.errors) throw new Error(JSON.stringify(j.errors));
    return j.data;
  };
  await gql(`mutation { createModel(input: { name: "m", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { name } }`);
  await gql(`mutation($u: String!) { createChannel(input: { name: "hook", kind: WEBHOOK, webhookUrl: $u }) { name } }`, { u: hookUrl });
  const m = await gql(`mutation { createMonitor(input: { model: "m", name: "volume", metric: PREDICTION_COUNT, window: "1h", schedule: "0 * * * *", comparator: GT, warningThreshold: 1, channels: ["hook"] }) { id } }`);
  const p = Array.from({ length: 5 }, (_, i) => ({ eventId: `e${i}`, timestamp: iso(T - 60_000 * (i + 1)), features: { x: i }, value: i }));
  await gql(`mutation($p: [PredictionInput!]!) { logPredictions(model: "m", predictions: $p) { accepted } }`, { p });
  await gql(`mutation($id: ID!) { evaluateMonitor(id: $id, at: "${iso(T)}") { severity } }`, { id: m.createMonitor.id });
}

/** Restarts in-process on the same database, with the clock where the outbox row is due, and drains twice. */
async function restartAndDrain(database: TestDatabase) {
  const probe = await startTestServer({ database, env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY, GLASSBOX_INSTANCE: INSTANCE } });
  const due = await storedValue(probe.deps.store, 'SELECT max(next_attempt_at) AS t FROM deliveries');
  await probe.stop();
  const again = await startTestServer({ database, now: due + 1, env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY, GLASSBOX_INSTANCE: INSTANCE } });
  try {
    const reports = [await again.gb.jobs.deliverNow(), await again.gb.jobs.deliverNow()];
    const rows = await storedRows(again.deps.store, 'SELECT type, status, attempts, idempotency_key AS key FROM deliveries');
    return { reports, rows };
  } finally {
    await again.stop();
  }
}

describe('kill -9 around a webhook delivery', () => {
  it('killed right after the receiver answered 200: the outcome was already durable, nothing is sent again', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const rx = await receiver((_req, answer) => answer());
    try {
      const { url, exited } = await serveProcess(database.db, { GLASSBOX_TEST_KILL_AFTER_2XX_FROM: rx.url });
      await openAlert(url, rx.url);
      // the server's delivery loop sends it, gets the 200, and dies on the next turn
      expect(await exited).toBe('SIGKILL');
      child = null;
      expect(rx.hits).toHaveLength(1);
      const { reports, rows } = await restartAndDrain(database);
      expect(rows).toEqual([{ type: 'alert.firing', status: 'DELIVERED', attempts: 1, key: rx.hits[0]!.key }]);
      expect(reports.map((r) => r.delivered + r.retrying + r.failed)).toEqual([0, 0]);
      expect(rx.hits).toHaveLength(1);
    } finally {
      await rx.close();
    }
  }, 60_000);

  it('killed before the answer reached it: sent again once, with the same idempotency key', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    let kill: (() => void) | null = null;
    // the first request kills the server before any answer; later ones are answered
    const rx = await receiver((_req, answer) => (kill ? (kill(), (kill = null)) : answer()));
    try {
      const { url, exited } = await serveProcess(database.db);
      const proc = child!;
      kill = () => proc.kill('SIGKILL');
      await openAlert(url, rx.url);
      expect(await exited).toBe('SIGKILL');
      child = null;
      expect(rx.hits).toHaveLength(1);
      const { reports, rows } = await restartAndDrain(database);
      expect(reports.map((r) => r.delivered)).toEqual([1, 0]);
      expect(rx.hits).toHaveLength(2);
      expect(rx.hits[1]).toEqual(rx.hits[0]);
      expect(rx.hits[1]!.body.idempotencyKey).toBe(rx.hits[0]!.key);
      expect(rows).toEqual([{ type: 'alert.firing', status: 'DELIVERED', attempts: 2, key: rx.hits[0]!.key }]);
    } finally {
      await rx.close();
    }
  }, 60_000);
});
