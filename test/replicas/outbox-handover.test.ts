// Three delivery loops on one PostgreSQL database and a real webhook receiver: every
// notification is received once; a replica that dies between claiming and recording leaves
// exactly its unconfirmed rows, to the others once the lease is over, or to itself at once
// when it restarts under the same GLASSBOX_INSTANCE (a restart releases only its own claims).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChannel } from '../../src/services/channels.js';
import { createModel } from '../../src/services/models.js';
import { createMonitor } from '../../src/services/monitors.js';
import { evaluateMonitor } from '../../src/services/evaluation.js';
import { claimDueDeliveries, releaseClaims } from '../../src/services/outbox.js';
import { run as deliver } from '../../src/jobs/deliver-notifications.js';
import { createWebhookNotifier } from '../../src/notify/webhook.js';
import { testPostgres } from '../helpers/postgres.js';
import { startReceiver } from '../monitors/helpers.js';
import { useReplicas, type Replica } from './support.js';

const admin = await testPostgres();
const T0 = Date.parse('2026-11-02T00:00:00Z');
const LEASE = 60_000;
const ADMIN = { name: 'ann', role: 'ADMIN' as const };
const metric = { computeMetric: async () => ({ value: 5, sampleSize: 100 }) };

describe.skipIf(admin === null)('three delivery loops on one PostgreSQL database', () => {
  const rs = useReplicas(admin, 3, T0);
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    rx = await startReceiver();
  });
  afterEach(async () => {
    await rx.close();
  });

  /** `n` monitors notifying one webhook channel, each evaluated into FIRING: n outbox rows. */
  async function firing(n: number): Promise<void> {
    const r = rs[0]!;
    await createModel(r, ADMIN, { name: 'm', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] });
    await createChannel(r, ADMIN, { name: 'hook', kind: 'WEBHOOK', webhookUrl: rx.url });
    for (let i = 0; i < n; i++) {
      const m = await createMonitor(r, ADMIN, { model: 'm', name: `v${i}`, metric: 'PREDICTION_COUNT', window: '1h', schedule: '0 * * * *', comparator: 'GT', warningThreshold: 1, forEvaluations: 1, channels: ['hook'] });
      await evaluateMonitor(rs[i % rs.length]!, m.id, T0, metric);
    }
  }
  const drain = (r: Replica, batch = 2) => deliver(r, r.clock.now(), { notifiers: { WEBHOOK: createWebhookNotifier({ clock: r.clock }) }, batch, leaseMs: LEASE });
  const keys = () => rx.received.map((x) => x.json.idempotencyKey as string);

  it('deliver each notification once, whichever loop claims it', async () => {
    await firing(9);
    const reports = await Promise.all(rs.map((r) => drain(r)));
    expect(reports.reduce((n, x) => n + x.delivered, 0)).toBe(9);
    expect(keys()).toHaveLength(9);
    expect(new Set(keys()).size).toBe(9);
    expect(await Promise.all(rs.map((r) => drain(r)))).toEqual(rs.map(() => ({ unsnoozed: 0, delivered: 0, retrying: 0, failed: 0 })));
  });

  it('a replica killed between claim and answer: its rows go to another once the lease is over, and only they', async () => {
    await firing(6);
    const [r1, r2, r3] = rs as [Replica, Replica, Replica];
    // r1 claims three rows and dies before recording anything (kill -9 mid-delivery)
    const lost = await claimDueDeliveries(r1, T0, 3, LEASE);
    expect(lost).toHaveLength(3);
    // r2 starting up does not release r1's claims: r1 might be delivering them right now
    expect(await releaseClaims(r2)).toBe(0);
    expect((await drain(r2)).delivered).toBe(3);
    r3.clock.set(T0 + LEASE - 1);
    expect((await drain(r3)).delivered).toBe(0);
    const before = new Set(keys());
    r3.clock.set(T0 + LEASE);
    expect((await drain(r3)).delivered).toBe(3);
    const again = keys().filter((k) => !before.has(k));
    expect(again.sort()).toEqual(lost.map((d) => d.idempotencyKey).sort());
    expect(new Set(keys()).size).toBe(6);
    expect(keys()).toHaveLength(6);
  });

  it('a replica restarted under its name releases its own claims at once, not another’s', async () => {
    await firing(4);
    const [r1, r2] = rs as [Replica, Replica];
    const lost = await claimDueDeliveries(r1, T0, 2, LEASE); // then r1 is killed
    const other = await claimDueDeliveries(r2, T0, 1, LEASE); // r2 is alive, mid-delivery
    expect(await releaseClaims(r1)).toBe(2);
    // the restarted r1 sends its two lost rows and the one nobody had claimed, not r2's
    expect((await drain(r1)).delivered).toBe(3);
    const all = await r1.store.pool.query<{ k: string }>(`SELECT idempotency_key AS k FROM deliveries ORDER BY id`);
    const expected = all.rows.map((r) => r.k).filter((k) => k !== other[0]!.idempotencyKey);
    expect(keys().sort()).toEqual(expected.sort());
    expect(expected).toEqual(expect.arrayContaining(lost.map((d) => d.idempotencyKey)));
  });
});
