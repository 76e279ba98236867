// The outbox: queuing (idempotency keys), claims (due order, one alert and channel at a
// time, leases that end), confirmations, retries, failures, and two replicas claiming at
// once never getting the same row.
import { expect, it } from 'vitest';
import type { NewDelivery } from '../../../src/store/ports/outbox.js';
import type { WebhookBody } from '../../../src/domain/monitoring/notification.js';
import type { RepoHarness } from '../repos.contract.js';
import { gate, newModel, newMonitor, T0 } from './support.js';

const LEASE = 60_000;

/** The outbox part of the contract. */
export function outboxContract(h: RepoHarness): void {
  const outbox = () => h.store.outbox;
  const setup = async () => {
    const model = (await h.store.models.create(newModel('fraud')))!;
    const m = await h.store.monitors.create(newMonitor(model.id, 'm'));
    const alertId = await h.store.alerts.open({
      monitorId: m.id, modelId: model.id, severity: 'WARNING', status: 'FIRING', value: 1, threshold: 0.5, sampleSize: 9, message: 'x', openedAt: T0, updatedAt: T0, lastNotifiedAt: T0,
    });
    const ch = await h.store.channels.create({ name: 'hook', kind: 'WEBHOOK', config: { webhookUrl: 'https://h' } }, T0);
    const ch2 = await h.store.channels.create({ name: 'slack', kind: 'SLACK', config: { slackChannel: '#a' } }, T0);
    return { alertId, ch: ch.id, ch2: ch2.id };
  };
  // keys in the contract's order, not sorted: they must come back in it
  const body = (key: string): WebhookBody => ({ type: 'alert.firing', idempotencyKey: key, alert: null });
  const row = (alertId: number | null, channelId: number, key: string, createdAt = T0): NewDelivery => ({ alertId, channelId, type: 'alert.firing', idempotencyKey: key, payload: body(key), createdAt });
  const keys = (rows: Array<{ idempotencyKey: string }>) => rows.map((r) => r.idempotencyKey);

  it('queues rows once per idempotency key and claims the due ones in due order, one alert and channel at a time', async () => {
    const { alertId, ch, ch2 } = await setup();
    await outbox().enqueue([row(alertId, ch, 'a1', T0 + 1), row(alertId, ch, 'a2'), row(alertId, ch2, 'b1', T0 + 2), row(null, ch, 't1', T0 + 5)]);
    await outbox().enqueue([row(alertId, ch2, 'a1', T0 - 9), row(null, ch, 't2', T0)]);
    await outbox().enqueue([]);
    expect(await outbox().countByStatus()).toEqual({ PENDING: 5, DELIVERED: 0, FAILED: 0 });
    expect(await outbox().claimDue(T0 - 1, 10, LEASE, 'r1')).toEqual([]);
    const claimed = await outbox().claimDue(T0 + 2, 10, LEASE, 'r1');
    // a2 waits for a1 (same alert and channel); t1 is not due yet
    expect(keys(claimed)).toEqual(['t2', 'a1', 'b1']);
    expect(claimed[1]).toEqual({
      id: expect.any(Number), alertId, channelId: ch, type: 'alert.firing', idempotencyKey: 'a1', status: 'PENDING', attempts: 1,
      lastError: null, createdAt: T0 + 1, nextAttemptAt: T0 + 1, deliveredAt: null, refChannel: null, refTs: null,
    });
    expect(await outbox().claimDue(T0 + 5, 10, LEASE, 'r1')).toEqual([expect.objectContaining({ idempotencyKey: 't1' })]);
    expect(JSON.stringify(await outbox().payload(claimed[1]!.id))).toBe(JSON.stringify(body('a1')));
    expect(await outbox().payload(claimed[1]!.id + 1000)).toBeNull();
    expect(await outbox().confirm(claimed[1]!.id, T0 + 6, { channel: 'C1', ts: '17.1' })).toBe(true);
    expect(await outbox().confirm(claimed[1]!.id, T0 + 7)).toBe(false);
    // a1 delivered: a2 is next for the channel
    expect(keys(await outbox().claimDue(T0 + 6, 10, LEASE, 'r1'))).toEqual(['a2']);
    expect(await outbox().thread(alertId, ch)).toEqual({ channel: 'C1', ts: '17.1' });
    expect(await outbox().thread(alertId, ch2)).toBeUndefined();
    const all = await outbox().ofAlert(alertId);
    expect(keys(all)).toEqual(['a1', 'a2', 'b1']);
    expect(all[0]).toMatchObject({ status: 'DELIVERED', deliveredAt: T0 + 6, nextAttemptAt: null, refChannel: 'C1', refTs: '17.1', attempts: 1 });
  });

  it('retries later, fails for good, and claims again once a lease is over', async () => {
    const { alertId, ch, ch2 } = await setup();
    await outbox().enqueue([row(alertId, ch, 'a'), row(alertId, ch2, 'b')]);
    const [a, b] = await outbox().claimDue(T0, 10, LEASE, 'r1');
    expect(await outbox().claimDue(T0 + LEASE - 1, 10, LEASE, 'r1')).toEqual([]);
    await outbox().retryLater(a!.id, T0 + 10, 'HTTP 503');
    expect(await outbox().claimDue(T0 + 9, 10, LEASE, 'r1')).toEqual([]);
    expect(await outbox().claimDue(T0 + 10, 10, LEASE, 'r1')).toEqual([{ ...a, attempts: 2, lastError: 'HTTP 503', nextAttemptAt: T0 + 10 }]);
    // b's claimer died: its lease ends LEASE after the claim
    expect(await outbox().claimDue(T0 + LEASE, 10, LEASE, 'r1')).toEqual([{ ...b, attempts: 2 }]);
    await outbox().fail(b!.id, 'HTTP 404');
    await outbox().retryLater(b!.id, T0, 'too late');
    expect(await outbox().confirm(b!.id, T0)).toBe(false);
    expect((await outbox().ofAlert(alertId))[1]).toMatchObject({ status: 'FAILED', lastError: 'HTTP 404', nextAttemptAt: null });
    expect(await outbox().countByStatus()).toEqual({ PENDING: 1, DELIVERED: 0, FAILED: 1 });
    expect(await outbox().releaseClaims('r1')).toBe(1);
    expect(await outbox().releaseClaims('r1')).toBe(0);
    expect(keys(await outbox().claimDue(T0 + 11, 10, LEASE, 'r1'))).toEqual(['a']);
  });

  it('inserts a row already claimed by its creator, and deletes a channel’s rows with it', async () => {
    const { ch } = await setup();
    const id = await outbox().insertClaimed(row(null, ch, 'test-1'), 'r1');
    expect(await outbox().claimDue(T0 + LEASE - 1, 10, LEASE, 'r1')).toEqual([]);
    expect(JSON.stringify(await outbox().payload(id))).toBe(JSON.stringify(body('test-1')));
    expect(await outbox().confirm(id, T0 + 1)).toBe(true);
    expect(await outbox().countByStatus()).toEqual({ PENDING: 0, DELIVERED: 1, FAILED: 0 });
    await h.store.channels.delete(ch);
    expect(await outbox().payload(id)).toBeNull();
  });

  it('never gives two replicas claiming at once the same row', async () => {
    const { ch } = await setup();
    const wanted = Array.from({ length: 40 }, (_, i) => `k${i}`);
    await outbox().enqueue(wanted.map((k, i) => row(null, ch, k, T0 + (i % 7))));
    const drain = async (store: typeof h.store) => {
      const got: string[] = [];
      for (let n = 1; n; ) {
        const c = await store.outbox.claimDue(T0 + 10, 3, LEASE, 'r1');
        got.push(...keys(c));
        n = c.length;
      }
      return got;
    };
    // two claimers on each pool (PostgreSQL: four connections at once)
    const got = await Promise.all([drain(h.store), drain(h.second), drain(h.store), drain(h.second)]);
    expect(got.flat().sort()).toEqual([...wanted].sort());
  });

  it('passes over the rows another replica’s open claim holds instead of waiting for them', async () => {
    const { ch } = await setup();
    await outbox().enqueue(['a', 'b', 'c', 'd'].map((k, i) => row(null, ch, k, T0 + i)));
    const claimed = gate();
    const end = gate();
    const first = h.store.transaction(async () => {
      const c = await h.store.outbox.claimDue(T0 + 5, 2, LEASE, 'r1');
      claimed.open();
      await end.wait;
      return c;
    });
    await claimed.wait;
    const other = h.replica.outbox.claimDue(T0 + 5, 10, LEASE, 'r1');
    if (!h.outsideWaits) expect(keys(await other)).toEqual(['c', 'd']); // answered while the first is open
    end.open();
    expect(keys(await first)).toEqual(['a', 'b']);
    expect(keys(await other)).toEqual(['c', 'd']);
  });

  it('records who claimed a row; a restart releases its own claims (every one on SQLite), another replica’s end by their lease', async () => {
    const { ch } = await setup();
    await outbox().enqueue(['a', 'b', 'c'].map((k, i) => row(null, ch, k, T0 + i)));
    expect(keys(await outbox().claimDue(T0 + 5, 1, LEASE, 'r1'))).toEqual(['a']);
    expect(keys(await h.second.outbox.claimDue(T0 + 5, 1, LEASE, 'r2'))).toEqual(['b']);
    const claimers = `SELECT idempotency_key AS k, claimed_by AS claimer FROM deliveries ORDER BY id`;
    expect(await h.query(claimers)).toEqual([{ k: 'a', claimer: 'r1' }, { k: 'b', claimer: 'r2' }, { k: 'c', claimer: null }]);
    const single = h.store.kind === 'sqlite';
    // SQLite: one process per file, so r2's attempt cannot be in flight either
    expect(await outbox().releaseClaims('r1')).toBe(single ? 2 : 1);
    const again = await outbox().claimDue(T0 + 6, 10, LEASE, 'r3');
    expect(keys(again)).toEqual(single ? ['a', 'b', 'c'] : ['a', 'c']);
    expect(keys(await outbox().claimDue(T0 + 5 + LEASE, 10, LEASE, 'r3'))).toEqual(single ? [] : ['b']);
    // an outcome ends the claim
    await outbox().confirm(again[0]!.id, T0 + 7);
    await outbox().retryLater(again[1]!.id, T0 + 8, 'HTTP 503');
    expect((await h.query(claimers)).map((r) => r.claimer)).toEqual(single ? [null, null, 'r3'] : [null, 'r3', null]);
  });
}
