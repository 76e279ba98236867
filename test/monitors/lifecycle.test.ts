// The alert lifecycle end to end through the services and jobs, with a real database
// file and a local webhook receiver: firing, escalation, acknowledgement, reminders,
// recovery, retries, restarts and overlapping runs.
import { incomeDriftMonitor } from '../helpers/factories.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHmac } from 'node:crypto';
import { createModel } from '../../src/services/models.js';
import { createChannel } from '../../src/services/channels.js';
import { createMonitor } from '../../src/services/monitors.js';
import { evaluateMonitor } from '../../src/services/evaluation.js';
import { acknowledgeAlert, getAlert, listAlertEvents, listAlerts, resolveAlert, snoozeAlert } from '../../src/services/alerts.js';
import { claimDueDeliveries, countDeliveries, listDeliveries } from '../../src/services/outbox.js';
import { run as deliver } from '../../src/jobs/deliver-notifications.js';
import { createWebhookNotifier } from '../../src/notify/webhook.js';
import { startJobs } from '../../src/jobs/start.js';
import { ADMIN, HOUR, T0, dispose, freshDeps, reopen, scriptedMetric, startReceiver, type TestDeps } from './helpers.js';

const SECRET = 'sekrit-sauce';
let d: TestDeps;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let metric: ReturnType<typeof scriptedMetric>;
let monitorId: number;

const notifiers = () => ({ WEBHOOK: createWebhookNotifier({ clock: d.clock }) });
const drain = (deps: TestDeps = d) => deliver(deps, deps.clock.now(), { notifiers: { WEBHOOK: createWebhookNotifier({ clock: deps.clock }) }, random: () => 0.5 });
const evaluate = (at: number, value: number | null) => {
  metric.set(value, 12_408);
  return evaluateMonitor(d, monitorId, at, { computeMetric: metric.compute });
};
const types = () => rx.received.map((r) => r.json.type);

beforeEach(async () => {
  d = await freshDeps();
  rx = await startReceiver();
  metric = scriptedMetric();
  await createModel(d, ADMIN, {
    name: 'credit-risk',
    task: 'BINARY_CLASSIFICATION',
    positiveClass: 'default',
    features: [{ name: 'income', type: 'NUMERIC' }],
  });
  await createChannel(d, ADMIN, { name: 'ops-hook', kind: 'WEBHOOK', webhookUrl: rx.url, webhookSecret: SECRET });
  const m = await createMonitor(d, ADMIN, incomeDriftMonitor());
  monitorId = m.id;
});
afterEach(async () => {
  await rx.close();
  await dispose(d);
});

describe('lifecycle over a webhook', () => {
  it('drift -> FIRING delivered once, signed; escalation; ack stops reminders; recovery -> RESOLVED', async () => {
    const e = await evaluate(T0 + HOUR, 0.15);
    expect(e).toMatchObject({ severity: 'WARNING', from: T0 + HOUR - 24 * HOUR, to: T0 + HOUR, sampleSize: 12_408 });
    expect(metric.calls[0]).toEqual({ metric: 'PSI', feature: 'income', attribute: null, from: T0 - 23 * HOUR, to: T0 + HOUR, version: null, segment: null });
    await drain();
    await drain();
    expect(types()).toEqual(['alert.firing']);
    const first = rx.received[0]!;
    expect(first.headers['x-glassbox-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(first.body).digest('hex')}`);
    expect(first.json).toMatchObject({
      type: 'alert.firing',
      alert: {
        model: 'credit-risk',
        monitor: { id: String(monitorId), name: 'income drift' },
        metric: 'PSI',
        feature: 'income',
        severity: 'WARNING',
        status: 'FIRING',
        value: 0.15,
        threshold: 0.1,
        message: 'WARNING: PSI of income on credit-risk is 0.15 (threshold 0.1) over the last 24h (n=12,408)',
        openedAt: new Date(T0 + HOUR).toISOString(),
        resolvedAt: null,
      },
    });
    expect(first.json.idempotencyKey).toEqual(expect.any(String));

    await evaluate(T0 + 2 * HOUR, 0.31);
    await drain();
    expect(types()).toEqual(['alert.firing', 'alert.escalated']);
    expect(rx.received[1]!.json.alert).toMatchObject({ severity: 'CRITICAL', threshold: 0.2, message: 'CRITICAL: PSI of income on credit-risk is 0.31 (threshold 0.2) over the last 24h (n=12,408)' });

    // Unacknowledged and still breaching four hours after the last notice: a reminder.
    await evaluate(T0 + 6 * HOUR, 0.3);
    await drain();
    expect(types()).toEqual(['alert.firing', 'alert.escalated', 'alert.reminder']);

    const [alert] = await listAlerts(d, { model: 'credit-risk' });
    await acknowledgeAlert(d, ADMIN, alert!.id, 'on it');
    for (const h of [10, 14, 18]) await evaluate(T0 + h * HOUR, 0.3);
    await drain();
    expect(types()).toEqual(['alert.firing', 'alert.escalated', 'alert.reminder', 'alert.acknowledged']);

    await evaluate(T0 + 19 * HOUR, 0.02);
    await drain();
    expect(types().at(-1)).toBe('alert.resolved');
    expect(rx.received.at(-1)!.json.alert).toMatchObject({ status: 'RESOLVED', resolvedAt: new Date(T0 + 19 * HOUR).toISOString() });

    const after = await getAlert(d, alert!.id);
    expect(after).toMatchObject({ status: 'RESOLVED', severity: 'CRITICAL', value: 0.3, acknowledgedBy: 'ann' });
    expect((await listAlertEvents(d, alert!.id)).map((e) => [e.kind, e.actor, e.note])).toEqual([
      ['opened', null, null],
      ['escalated', null, null],
      ['reminded', null, null],
      ['acknowledged', 'ann', 'on it'],
      ['resolved', null, null],
    ]);
    // Every notification a distinct key, each delivered on its first attempt.
    expect(new Set(rx.received.map((r) => r.json.idempotencyKey)).size).toBe(rx.received.length);
    expect((await listDeliveries(d, alert!.id)).every((x) => x.status === 'DELIVERED' && x.attempts === 1)).toBe(true);
  });

  it('a receiver failing 3 times then healthy gets it once, after 4 attempts', async () => {
    rx.answer(503, { status: 429, headers: { 'retry-after': '30' } }, 500);
    await evaluate(T0 + HOUR, 0.5);
    const r1 = await drain();
    expect(r1).toMatchObject({ delivered: 0, retrying: 1 });
    // Nothing is due before the backoff: 10 s base, half fixed and half jittered (0.5) -> 7.5 s.
    d.clock.advance(7_000);
    expect((await drain()).retrying).toBe(0);
    d.clock.advance(500);
    await drain();
    // Retry-After: 30 wins over the backoff.
    d.clock.advance(29_000);
    expect((await drain()).retrying).toBe(0);
    d.clock.advance(1_000);
    await drain();
    d.clock.advance(3_600_000);
    const r4 = await drain();
    expect(r4.delivered).toBe(1);
    await drain();
    expect(rx.received).toHaveLength(4);
    expect(new Set(rx.received.map((r) => r.json.idempotencyKey)).size).toBe(1);
    const [delivery] = await listDeliveries(d, (await listAlerts(d))[0]!.id);
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 4, lastError: null, deliveredAt: d.clock.now() });
  });

  it('a 4xx is not retried: FAILED with its reason', async () => {
    rx.answer(404);
    await evaluate(T0 + HOUR, 0.5);
    expect(await drain()).toMatchObject({ failed: 1 });
    d.clock.advance(10 * HOUR);
    await drain();
    expect(rx.received).toHaveLength(1);
    const [delivery] = await listDeliveries(d, (await listAlerts(d))[0]!.id);
    expect(delivery).toMatchObject({ status: 'FAILED', attempts: 1, nextAttemptAt: null });
    expect(delivery!.lastError).toMatch(/HTTP 404: receiver says no/);
  });

  it('gives up after 8 attempts with the reason', async () => {
    rx.answer(...Array(10).fill(502));
    await evaluate(T0 + HOUR, 0.5);
    for (let i = 0; i < 12; i++) {
      await drain();
      d.clock.advance(2 * HOUR);
    }
    expect(rx.received).toHaveLength(8);
    const [delivery] = await listDeliveries(d, (await listAlerts(d))[0]!.id);
    expect(delivery).toMatchObject({ status: 'FAILED', attempts: 8 });
    expect(delivery!.lastError).toMatch(/^gave up after 8 attempts: .* HTTP 502/);
  });

  it('killed between decision and delivery: delivered once after restart, never twice once confirmed', async () => {
    await evaluate(T0 + HOUR, 0.5);
    const after = await reopen(d); // the process dies with the outbox row written, nothing sent
    await deliver(after, after.clock.now(), { notifiers: notifiers() });
    await deliver(after, after.clock.now(), { notifiers: notifiers() });
    const again = await reopen(after);
    await deliver(again, again.clock.now() + HOUR, { notifiers: notifiers() });
    expect(types()).toEqual(['alert.firing']);
    d = again;
  });

  it('killed while an attempt was in flight: tried again after restart, same idempotency key', async () => {
    await evaluate(T0 + HOUR, 0.5);
    expect(await claimDueDeliveries(d, d.clock.now(), 10, 60_000)).toHaveLength(1); // claimed, then the process dies
    const after = await reopen(d);
    d = after;
    // Within the lease nothing is retried; a new process releases the dead one's claims first.
    expect((await drain(after)).delivered).toBe(0);
    const { releaseClaims } = await import('../../src/services/outbox.js');
    expect(await releaseClaims(after)).toBe(1);
    expect((await drain(after)).delivered).toBe(1);
    expect(types()).toEqual(['alert.firing']);
    const [delivery] = await listDeliveries(after, (await listAlerts(after))[0]!.id);
    expect(delivery!.attempts).toBe(2);
  });

  it('the jobs of a restarted server release the dead claims and deliver on their own loop', async () => {
    await evaluate(T0 + HOUR, 0.5);
    await claimDueDeliveries(d, d.clock.now(), 10, 60_000);
    d = await reopen(d);
    const jobs = startJobs(d, { scheduler: false, notifiers: notifiers(), deliveryIntervalMs: 10 });
    try {
      await vi.waitFor(async () => expect(await countDeliveries(d)).toMatchObject({ DELIVERED: 1, PENDING: 0 }), { timeout: 5_000, interval: 10 });
    } finally {
      await jobs.stop();
    }
    expect(types()).toEqual(['alert.firing']);
  });

  it('two overlapping runs of one tick record one evaluation and notify once', async () => {
    metric.set(0.5);
    const [a, b] = await Promise.all([
      evaluateMonitor(d, monitorId, T0 + HOUR, { computeMetric: metric.compute }),
      evaluateMonitor(d, monitorId, T0 + HOUR, { computeMetric: metric.compute }),
    ]);
    expect(a).toEqual(b);
    expect(await d.store.evaluations.list(monitorId, 10)).toHaveLength(1);
    expect(await countDeliveries(d)).toMatchObject({ PENDING: 1 });
    // The same tick again later is the recorded evaluation, not a new decision.
    metric.set(0.01);
    expect(await evaluateMonitor(d, monitorId, T0 + HOUR, { computeMetric: metric.compute })).toEqual(a);
    expect((await listAlerts(d))[0]!.status).toBe('FIRING');
  });

  it('snooze: notified once, silent until it ends, then FIRING again', async () => {
    await evaluate(T0 + HOUR, 0.15);
    const [alert] = await listAlerts(d);
    await expect(snoozeAlert(d, ADMIN, alert!.id, T0 - 1)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'until' });
    await snoozeAlert(d, ADMIN, alert!.id, T0 + 10 * HOUR);
    await evaluate(T0 + 6 * HOUR, 0.5); // escalation while snoozed: recorded, not notified
    await drain();
    expect(types()).toEqual(['alert.firing', 'alert.snoozed']);
    d.clock.set(T0 + 10 * HOUR);
    expect((await drain()).unsnoozed).toBe(1);
    expect(types()).toEqual(['alert.firing', 'alert.snoozed', 'alert.firing']);
    expect(await getAlert(d, alert!.id)).toMatchObject({ status: 'FIRING', severity: 'CRITICAL', snoozedUntil: null });
    expect((await listAlertEvents(d, alert!.id)).map((e) => e.kind)).toEqual(['opened', 'snoozed', 'escalated', 'unsnoozed']);
  });

  it('manual resolve: RESOLVED at once, notified; a new alert needs new breaches', async () => {
    await evaluate(T0 + HOUR, 0.5);
    const [alert] = await listAlerts(d);
    const r = await resolveAlert(d, ADMIN, alert!.id, 'false alarm');
    expect(r).toMatchObject({ status: 'RESOLVED', resolvedAt: T0 });
    expect(r.message).toMatch(/^RESOLVED by ann: PSI of income on credit-risk is 0.5/);
    expect(await resolveAlert(d, ADMIN, alert!.id)).toMatchObject({ status: 'RESOLVED' });
    await expect(acknowledgeAlert(d, ADMIN, alert!.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(acknowledgeAlert(d, ADMIN, 999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await drain();
    await evaluate(T0 + 2 * HOUR, 0.5);
    await drain();
    expect(types()).toEqual(['alert.firing', 'alert.resolved', 'alert.firing']);
    expect((await listAlerts(d)).map((a) => a.status)).toEqual(['FIRING', 'RESOLVED']);
  });

  it('NO_DATA leaves the alert as it is', async () => {
    await evaluate(T0 + HOUR, 0.5);
    metric.set(0.01, 0);
    expect((await evaluateMonitor(d, monitorId, T0 + 2 * HOUR, { computeMetric: metric.compute })).severity).toBe('NO_DATA');
    expect((await listAlerts(d))[0]).toMatchObject({ status: 'FIRING', value: 0.5 });
  });
});
