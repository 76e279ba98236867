// The "done when", over the real server with real ingest and real metrics: with
// GraphQL alone, create a channel and a monitor, backtest it, watch it fire on drifted
// data, receive the signed webhook, acknowledge, and see it resolve.
import { CREATE_MODEL, creditRiskModel } from '../helpers/factories.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHmac } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { run as deliver } from '../../src/jobs/deliver-notifications.js';
import { createWebhookNotifier } from '../../src/notify/webhook.js';
import { HOUR, T0, startReceiver } from './helpers.js';

const SECRET = 'webhook-signing-secret';
let s: TestServer;
let rx: Awaited<ReturnType<typeof startReceiver>>;

const iso = (t: number) => new Date(t).toISOString();
const REGIONS = ['north', 'south', 'east', 'west'];

/** `n` predictions spread over the hour starting at `start`; `shift` moves income (drift). */
function hourOfTraffic(start: number, n: number, shift = 0, tag = '') {
  return Array.from({ length: n }, (_, i) => ({
    eventId: `${tag}${start}-${i}`,
    timestamp: iso(start + Math.floor((i * HOUR) / n)),
    features: { income: (i % 100) + 0.5 + shift, region: REGIONS[i % 4] },
    score: ((i * 37) % 100) / 100,
  }));
}

async function gqlOk(query: string, variables?: Record<string, unknown>) {
  const r = await s.gql(query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

/**
 * Drains the outbox as the server's delivery loop would, until the receiver holds
 * `types` (the server's own loop, when wired, may be the one that delivers).
 */
async function deliveredAre(types: string[]) {
  await vi.waitFor(
    async () => {
      await deliver(s.deps, s.clock.now(), { notifiers: { WEBHOOK: createWebhookNotifier({ clock: s.clock }) } });
      expect(rx.received.map((r) => r.json.type)).toEqual(types);
    },
    { timeout: 5_000, interval: 20 },
  );
}

beforeAll(async () => {
  s = await startTestServer({ now: T0 });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  await s.stop(true);
});

describe('monitoring with GraphQL alone', () => {
  let monitorId: string;

  it('sets up a model with a baseline, a signed webhook channel and a drift monitor', async () => {
    await gqlOk(CREATE_MODEL, { input: creditRiskModel() });
    const rows = Array.from({ length: 1000 }, (_, i) => ({ features: { income: (i % 100) + 0.5, region: REGIONS[i % 4] }, score: ((i * 37) % 100) / 100 }));
    await gqlOk(`mutation($rows: [BaselineRowInput!]!) { setBaseline(model: "credit-risk", rows: $rows) { rowCount } }`, { rows });
    await gqlOk(`mutation($i: CreateChannelInput!) { createChannel(input: $i) { name } }`, {
      i: { name: 'ml-oncall', kind: 'WEBHOOK', webhookUrl: rx.url, webhookSecret: SECRET },
    });
    const m = await gqlOk(`mutation($i: CreateMonitorInput!) { createMonitor(input: $i) { id } }`, {
      i: {
        model: 'credit-risk',
        name: 'income drift',
        metric: 'PSI',
        feature: 'income',
        window: '1h',
        schedule: '0 * * * *',
        comparator: 'GT',
        warningThreshold: 0.1,
        criticalThreshold: 0.25,
        minSampleSize: 100,
        channels: ['ml-oncall'],
      },
    });
    monitorId = m.createMonitor.id;
  });

  it('stays quiet on traffic like the baseline', async () => {
    s.clock.set(T0 + HOUR);
    const r = await gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted rejected } }`, { p: hourOfTraffic(T0, 400) });
    expect(r.logPredictions).toEqual({ accepted: 400, rejected: 0 });
    const e = await gqlOk(`mutation($id: ID!, $at: DateTime) { evaluateMonitor(id: $id, at: $at) { at from to value sampleSize severity } }`, { id: monitorId, at: iso(T0 + HOUR) });
    expect(e.evaluateMonitor).toMatchObject({ at: iso(T0 + HOUR), from: iso(T0), to: iso(T0 + HOUR), sampleSize: 400, severity: 'OK' });
    expect(e.evaluateMonitor.value).toBeLessThan(0.1);
  });

  it('fires on drifted data: one signed alert.firing with an actionable message', async () => {
    s.clock.set(T0 + 2 * HOUR);
    await gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted } }`, { p: hourOfTraffic(T0 + HOUR, 400, 60) });

    // A backtest over the last two hours shows the breach before anything is recorded.
    const bt = await gqlOk(`mutation($i: CreateMonitorInput!, $from: DateTime!, $to: DateTime!) { backtestMonitor(input: $i, from: $from, to: $to) { at severity sampleSize } }`, {
      i: { model: 'credit-risk', name: 'trial', metric: 'PSI', feature: 'income', window: '1h', schedule: '0 * * * *', comparator: 'GT', criticalThreshold: 0.25 },
      from: iso(T0 + 30 * 60_000),
      to: iso(T0 + 2 * HOUR + 1),
    });
    expect(bt.backtestMonitor).toEqual([
      { at: iso(T0 + HOUR), severity: 'OK', sampleSize: 400 },
      { at: iso(T0 + 2 * HOUR), severity: 'CRITICAL', sampleSize: 400 },
    ]);
    expect((await gqlOk(`{ alerts { id } }`)).alerts).toEqual([]);

    const e = await gqlOk(`mutation($id: ID!) { evaluateMonitor(id: $id) { at severity value } }`, { id: monitorId });
    expect(e.evaluateMonitor).toMatchObject({ at: iso(T0 + 2 * HOUR), severity: 'CRITICAL' });
    await deliveredAre(['alert.firing']);
    const hook = rx.received[0]!;
    expect(hook.headers['x-glassbox-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`);
    expect(hook.json.alert).toMatchObject({ model: 'credit-risk', metric: 'PSI', feature: 'income', severity: 'CRITICAL', status: 'FIRING', threshold: 0.25 });
    expect(hook.json.alert.message).toMatch(/^CRITICAL: PSI of income on credit-risk is [\d.]+ \(threshold 0.25\) over the last 1h \(n=400\)$/);

    const open = await gqlOk(`query($id: ID!) { monitor(id: $id) { openAlert { id status severity } lastEvaluation { severity } } model(name: "credit-risk") { health { status openAlerts { id } } } }`, { id: monitorId });
    expect(open.monitor).toMatchObject({ openAlert: { status: 'FIRING', severity: 'CRITICAL' }, lastEvaluation: { severity: 'CRITICAL' } });
    expect(open.model.health).toMatchObject({ status: 'CRITICAL', openAlerts: [{ id: open.monitor.openAlert.id }] });
  });

  it('is acknowledged, then resolves on recovery, and the receiver hears both', async () => {
    const [alert] = (await gqlOk(`{ alerts(model: "credit-risk", status: [FIRING]) { id } }`)).alerts;
    await gqlOk(`mutation($id: ID!) { acknowledgeAlert(id: $id, note: "upstream income feed doubled") { status } }`, { id: alert.id });

    s.clock.set(T0 + 3 * HOUR);
    await gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted } }`, { p: hourOfTraffic(T0 + 2 * HOUR, 400, 0, 'ok-') });
    const e = await gqlOk(`mutation($id: ID!) { evaluateMonitor(id: $id) { severity } }`, { id: monitorId });
    expect(e.evaluateMonitor.severity).toBe('OK');
    await deliveredAre(['alert.firing', 'alert.acknowledged', 'alert.resolved']);

    const a = await gqlOk(`query($id: ID!) { alert(id: $id) { status acknowledgedBy resolvedAt events { kind actor note } deliveries { type status attempts } } }`, { id: alert.id });
    expect(a.alert).toMatchObject({ status: 'RESOLVED', acknowledgedBy: 'local', resolvedAt: iso(T0 + 3 * HOUR) });
    const health = await gqlOk(`{ model(name: "credit-risk") { health { status openAlerts { id } } } }`);
    expect(health.model.health).toMatchObject({ status: 'HEALTHY', openAlerts: [] });
    expect(a.alert.events).toEqual([
      { kind: 'opened', actor: null, note: null },
      { kind: 'acknowledged', actor: 'local', note: 'upstream income feed doubled' },
      { kind: 'resolved', actor: null, note: null },
    ]);
    expect(a.alert.deliveries.map((d: any) => [d.type, d.status, d.attempts])).toEqual([
      ['alert.firing', 'DELIVERED', 1],
      ['alert.acknowledged', 'DELIVERED', 1],
      ['alert.resolved', 'DELIVERED', 1],
    ]);
  });
});
