// The webhook notifier's reading of every kind of answer, and backtests that replay a
// schedule while recording and notifying nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookNotifier, parseRetryAfter, signBody } from '../../src/notify/webhook.js';
import { fixedClock } from '../../src/clock.js';
import type { Notification } from '../../src/services/notifier.js';
import { createModel } from '../../src/services/models.js';
import { backtestMonitor, type ComputeMetric } from '../../src/services/evaluation.js';
import { countDeliveries } from '../../src/services/outbox.js';
import { ADMIN, HOUR, MIN, T0, dispose, freshDeps, startReceiver, type TestDeps } from './helpers.js';

const clock = fixedClock(T0);
const note = (url: string, secret: string | null = 's3cret-key'): Notification => ({
  type: 'alert.firing',
  idempotencyKey: 'k-1',
  channel: { id: 1, name: 'hook', kind: 'WEBHOOK', slackChannel: null, webhookUrl: url, config: { webhookUrl: url, ...(secret !== null ? { webhookSecret: secret } : {}) }, createdAt: T0 },
  payload: { type: 'alert.firing', idempotencyKey: 'k-1', alert: null },
  current: null,
  attempt: 1,
});

describe('webhook notifier', () => {
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  const wh = createWebhookNotifier({ clock });
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(() => rx.close());

  it('posts the body signed, with the idempotency key; any 2xx confirms', async () => {
    rx.answer(204);
    expect(await wh.deliver(note(rx.url))).toEqual({ ok: true });
    const r = rx.received.at(-1)!;
    expect(r.json).toEqual({ type: 'alert.firing', idempotencyKey: 'k-1', alert: null });
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-glassbox-signature']).toBe(signBody('s3cret-key', r.body));
    expect(r.headers['x-glassbox-idempotency-key']).toBe('k-1');
    await wh.deliver(note(rx.url, null));
    expect(rx.received.at(-1)!.headers['x-glassbox-signature']).toBeUndefined();
  });

  it.each([
    [503, {}, { retryable: true }],
    [500, { 'retry-after': '120' }, { retryable: true, retryAfterMs: 120_000 }],
    [429, { 'retry-after': new Date(T0 + 90_000).toUTCString() }, { retryable: true, retryAfterMs: 90_000 }],
    [408, {}, { retryable: true }],
    [400, {}, { retryable: false }],
    [410, {}, { retryable: false }],
    [301, { location: 'http://elsewhere/' }, { retryable: false }],
  ])('HTTP %i -> %j', async (status, headers, want) => {
    rx.answer({ status, headers });
    const out = await wh.deliver(note(rx.url));
    expect(out).toMatchObject({ ok: false, ...want });
    if (!out.ok) expect(out.reason).toContain(`HTTP ${status}`);
    if (!out.ok && !('retryAfterMs' in want)) expect(out.retryAfterMs).toBeUndefined();
  });

  it('a receiver that does not answer in time is retryable', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    const out = await createWebhookNotifier({ clock, timeoutMs: 50 }).deliver(note(url));
    silent.closeAllConnections();
    silent.close();
    expect(out).toMatchObject({ ok: false, retryable: true, reason: expect.stringMatching(/did not answer within 0.05 s/) });
  });

  it('an unreachable receiver is retryable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await wh.deliver(note(url))).toMatchObject({ ok: false, retryable: true, reason: expect.stringMatching(/could not reach .*ECONNREFUSED/) });
  });

  it('parses Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('5', T0)).toBe(5000);
    expect(parseRetryAfter(new Date(T0 + 60_000).toUTCString(), T0)).toBe(60_000);
    expect(parseRetryAfter(new Date(T0 - 60_000).toUTCString(), T0)).toBe(0);
    expect(parseRetryAfter('soon', T0)).toBeUndefined();
    expect(parseRetryAfter(null, T0)).toBeUndefined();
  });
});

describe('backtestMonitor', () => {
  let d: TestDeps;
  const seen: Array<{ from: number; to: number }> = [];
  // Drift that climbs through the morning: 0.05, 0.1, ..., one step per hour.
  const compute: ComputeMetric = async (_deps, _m, q) => {
    seen.push({ from: q.from, to: q.to });
    return { value: ((q.to - T0) / HOUR) * 0.05, sampleSize: 500 };
  };
  const input = { model: 'm', name: 'drift', metric: 'PSI', feature: 'x', window: '6h', schedule: '0 * * * *', comparator: 'GT', warningThreshold: 0.1, criticalThreshold: 0.2 };
  beforeAll(async () => {
    d = await freshDeps(T0 + 48 * HOUR);
    await createModel(d, ADMIN, { name: 'm', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] });
  });
  afterAll(() => dispose(d));

  it('replays the schedule over [from, to), records and notifies nothing', async () => {
    const evals = await backtestMonitor(d, input, T0 + 30 * MIN, T0 + 6 * HOUR, { computeMetric: compute });
    expect(evals.map((e) => e.at)).toEqual([1, 2, 3, 4, 5].map((h) => T0 + h * HOUR));
    expect(evals.map((e) => e.severity)).toEqual(['OK', 'OK', 'WARNING', 'WARNING', 'CRITICAL']);
    expect(evals[0]).toMatchObject({ from: T0 - 5 * HOUR, to: T0 + HOUR, sampleSize: 500 });
    expect(seen[0]).toEqual({ from: T0 - 5 * HOUR, to: T0 + HOUR });
    // no monitor (so no evaluation of one) and no alert was stored
    expect(await d.store.monitors.list()).toEqual([]);
    expect(await d.store.alerts.list({}, 10)).toEqual([]);
    expect(await countDeliveries(d)).toEqual({ PENDING: 0, DELIVERED: 0, FAILED: 0 });
  });

  it('refuses more than 10,000 ticks, an empty range, and a bad definition, naming the field', async () => {
    await expect(backtestMonitor(d, { ...input, schedule: '* * * * *' }, T0, T0 + 30 * 24 * HOUR, { computeMetric: compute })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'to',
      message: expect.stringContaining('10,000'),
    });
    await expect(backtestMonitor(d, input, T0, T0, { computeMetric: compute })).rejects.toMatchObject({ field: 'to' });
    await expect(backtestMonitor(d, { ...input, metric: 'CHI2_P_VALUE' }, T0, T0 + HOUR, { computeMetric: compute })).rejects.toMatchObject({ field: 'input.metric' });
  });
});
