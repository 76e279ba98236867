// kill -9 of the replica delivering, with three real servers on one PostgreSQL database and
// a real webhook receiver: each notification is received once, except exactly the ones the
// killed replica had in flight and not recorded, which are received once more (same
// idempotency key) after it restarts under its name (it releases its own claims at once);
// the two others never take them while its lease runs, and a confirmed one is never resent.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { kill9, killAll, startMember, WAITING_FOR, type Member } from './cluster.js';
import { survivingLostConnections } from '../../src/store/postgres/client.js';

const admin = await testPostgres();
const T = Date.parse('2024-05-06T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString();
const MONITORS = 6;

if (WAITING_FOR) console.log(`test/replicas/delivery-kill.test.ts skipped: waits for ${WAITING_FOR}`);

/** A receiver that leaves the first request unanswered (the delivery in flight) and answers the rest 200. */
async function receiver() {
  const hits: string[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      hits.push(JSON.parse(text).idempotencyKey as string);
      if (hits.length === 1) held.push(res);
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits,
    close: () => {
      for (const res of held) res.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const countOf = (xs: string[]) => xs.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());

describe.skipIf(admin === null || WAITING_FOR !== null)('kill -9 of the delivering replica', () => {
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

  const deliveries = async () =>
    (await pool.query<{ key: string; status: string; claimed_by: string | null }>('SELECT idempotency_key AS key, status, claimed_by FROM deliveries ORDER BY id')).rows;

  it('resends exactly its unconfirmed notifications, once, after it restarts; nothing else twice', async () => {
    const rx = await receiver();
    try {
      const members = await Promise.all(['r1', 'r2', 'r3'].map((n) => startMember(db.url, n)));
      const [r1] = members as [Member, Member, Member];
      await r1.gql(`mutation { createModel(input: { name: "m", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { name } }`);
      await r1.gql(`mutation($u: String!) { createChannel(input: { name: "hook", kind: WEBHOOK, webhookUrl: $u }) { name } }`, { u: rx.url });
      const p = Array.from({ length: 5 }, (_, i) => ({ eventId: `e${i}`, timestamp: iso(T - 60_000 * (i + 1)), features: { x: i }, value: i }));
      await r1.gql(`mutation($p: [PredictionInput!]!) { logPredictions(model: "m", predictions: $p) { accepted } }`, { p });
      for (let i = 0; i < MONITORS; i++) {
        const m = await r1.gql(
          `mutation { createMonitor(input: { model: "m", name: "v${i}", metric: PREDICTION_COUNT, window: "1h", schedule: "0 * * * *", comparator: GT, warningThreshold: 1, forEvaluations: 1, channels: ["hook"] }) { id } }`,
        );
        // evaluated on the three replicas in turn: FIRING, one notification each
        await members[i % 3]!.gql(`mutation($id: ID!) { evaluateMonitor(id: $id, at: "${iso(T)}") { severity } }`, { id: m.createMonitor.id });
      }
      // the delivery loops (every 2 s) take the rows; the first request is left hanging
      await vi.waitFor(() => expect(rx.hits.length).toBeGreaterThanOrEqual(1), { timeout: 30_000, interval: 50 });
      const hung = rx.hits[0]!;
      const holder = (await deliveries()).find((d) => d.key === hung)!.claimed_by!;
      const victim = members.find((m) => m.name === holder)!;
      await kill9(victim);

      // the survivors deliver everything else; the victim's unrecorded rows stay its own (lease 60 s)
      await vi.waitFor(async () => expect((await deliveries()).filter((d) => d.status === 'PENDING').every((d) => d.claimed_by === holder)).toBe(true), { timeout: 30_000, interval: 100 });
      const atKill = await deliveries();
      const unconfirmed = atKill.filter((d) => d.status === 'PENDING').map((d) => d.key);
      expect(unconfirmed).toContain(hung);
      const before = countOf(rx.hits);
      expect([...before.values()].every((n) => n === 1)).toBe(true);

      // restarted under its name, it releases its own claims at start and sends them again
      await startMember(db.url, holder);
      await vi.waitFor(async () => expect((await deliveries()).every((d) => d.status === 'DELIVERED')).toBe(true), { timeout: 30_000, interval: 100 });
      expect((await deliveries()).length).toBe(MONITORS);
      const after = countOf(rx.hits);
      expect([...after.keys()].sort()).toEqual(atKill.map((d) => d.key).sort());
      for (const d of atKill) {
        // confirmed ones: never again; unconfirmed ones: once more (or once, if never sent before the kill)
        expect(after.get(d.key), d.key).toBe(d.status === 'DELIVERED' ? 1 : (before.get(d.key) ?? 0) + 1);
      }
    } finally {
      await rx.close();
    }
  }, 180_000);
});
