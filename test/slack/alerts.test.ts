// The whole alert loop over real HTTP with the fake Slack: a monitor fires, the message
// arrives with its buttons, presses change the alert (seen over GraphQL) and redraw the
// message, escalation and resolution reply in its thread, and Slack's errors are retried
// or recorded as the outbox's rules say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDigest } from '../../src/slack/digest.js';
import type { SlackCall } from '../helpers/fake-slack.js';
import { HOUR, T0, iso, startSlackWorld, type SlackWorld } from './support.js';

let w: SlackWorld;

const ALERT = `alert(id: $id) { id status severity value threshold acknowledgedBy snoozedUntil resolvedAt
  events { kind actor }
  deliveries { type status attempts lastError nextAttemptAt channel { name } } }`;

async function alertById(id: string) {
  return (await w.gqlOk(`query($id: ID!) { ${ALERT} }`, { id })).alert;
}

let seq = 0;
/** `n` predictions in the hour that ends at `end`. */
async function traffic(model: string, end: number, n: number) {
  const p = Array.from({ length: n }, (_, i) => ({ eventId: `t${++seq}`, timestamp: iso(end - HOUR + i * 1000), features: { amount: i }, score: 0.5 }));
  await w.gqlOk(`mutation($m: String!, $p: [PredictionInput!]!) { logPredictions(model: $m, predictions: $p) { accepted } }`, { m: model, p });
}

/** A model with a prediction-count monitor (warning above 10, critical above 50) posting to `slackChannel`. */
async function watchedModel(name: string, slackChannel: string): Promise<string> {
  await w.gqlOk(`mutation($n: String!) { createModel(input: { name: $n, task: BINARY_CLASSIFICATION, positiveClass: "fraud", features: [{ name: "amount", type: NUMERIC }] }) { name } }`, { n: name });
  await w.gqlOk(`mutation($i: CreateChannelInput!) { createChannel(input: $i) { name } }`, { i: { name: `${name}-slack`, kind: 'SLACK', slackChannel } });
  const m = await w.gqlOk(`mutation($i: CreateMonitorInput!) { createMonitor(input: $i) { id } }`, {
    i: {
      model: name,
      name: `${name} volume`,
      metric: 'PREDICTION_COUNT',
      window: '1h',
      schedule: '0 * * * *',
      comparator: 'GT',
      warningThreshold: 10,
      criticalThreshold: 50,
      channels: [`${name}-slack`],
    },
  });
  return m.createMonitor.id;
}

async function evaluate(monitorId: string, at: number) {
  return (await w.gqlOk(`mutation($id: ID!, $at: DateTime) { evaluateMonitor(id: $id, at: $at) { severity value } }`, { id: monitorId, at: iso(at) })).evaluateMonitor;
}

async function openAlertOf(monitorId: string): Promise<string> {
  return (await w.gqlOk(`query($id: ID!) { monitor(id: $id) { openAlert { id } } }`, { id: monitorId })).monitor.openAlert.id;
}

const actionIds = (c: SlackCall) =>
  (c.args.blocks as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.action_id));

beforeAll(async () => {
  w = await startSlackWorld(T0);
});
afterAll(async () => {
  await w?.stop();
});

describe('an alert in Slack, from firing to resolution', () => {
  let monitorId: string;
  let alertId: string;
  let original: { channel: string; ts: string };

  it('a firing alert is posted with its text and the three buttons', async () => {
    monitorId = await watchedModel('fraud', '#ml-oncall');
    await traffic('fraud', T0, 20);
    expect(await evaluate(monitorId, T0)).toEqual({ severity: 'WARNING', value: 20 });
    alertId = await openAlertOf(monitorId);
    await w.drain();
    const post = await w.fake.waitFor('chat.postMessage', (c) => c.args.channel === '#ml-oncall');
    for (const part of ['WARNING', 'fraud volume', 'fraud', 'PREDICTION_COUNT', '20', '10']) expect(post.args.text).toContain(part);
    expect(actionIds(post)).toEqual(['alert_acknowledge', 'alert_snooze', 'alert_resolve', 'alert_snooze_for']);
    const buttons = (post.args.blocks as any[]).find((b) => b.type === 'actions').elements;
    expect(buttons.filter((e: any) => e.type === 'button').map((e: any) => e.value)).toEqual([alertId, alertId, alertId]);
    expect(post.token).toBe('xoxb-test-token');
    const a = await alertById(alertId);
    expect(a.deliveries).toEqual([expect.objectContaining({ type: 'alert.firing', status: 'DELIVERED', attempts: 1, lastError: null })]);
    expect(w.fake.callsTo('chat.postMessage')).toHaveLength(1);
    original = { channel: post.response.channel, ts: post.response.ts };
  });

  it('an escalation replies in the thread and redraws the message', async () => {
    w.s.clock.set(T0 + HOUR);
    await traffic('fraud', T0 + HOUR, 60);
    expect((await evaluate(monitorId, T0 + HOUR)).severity).toBe('CRITICAL');
    await w.drain();
    const update = await w.fake.waitFor('chat.update', (c) => c.args.ts === original.ts);
    expect(update.args.channel).toBe(original.channel);
    expect(update.args.text).toContain('CRITICAL');
    const reply = await w.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === original.ts);
    expect(reply.args.channel).toBe(original.channel);
    expect(JSON.stringify(reply.args.blocks)).toContain('Escalated to *CRITICAL*');
  });

  it('Acknowledge changes the alert as slack:<user> (GraphQL, audit) and updates the message', async () => {
    const res = await w.press({ actionId: 'alert_acknowledge', value: alertId, userId: 'U0ALICE', channelId: original.channel, messageTs: original.ts });
    expect(res.status).toBe(200);
    const update = await w.fake.waitFor('chat.update', (c) => c.args.ts === original.ts && JSON.stringify(c.args.blocks).includes('Acknowledged'));
    expect(JSON.stringify(update.args.blocks)).toContain('<@U0ALICE>');
    expect(actionIds(update)).not.toContain('alert_acknowledge');
    const a = await alertById(alertId);
    expect(a).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedBy: 'slack:U0ALICE' });
    expect(a.events.at(-1)).toEqual({ kind: 'acknowledged', actor: 'slack:U0ALICE' });
    const audit = (await w.gqlOk(`{ auditLog(limit: 5) { actor action target } }`)).auditLog;
    expect(audit).toContainEqual({ actor: 'slack:U0ALICE', action: 'acknowledgeAlert', target: `alert:${alertId}` });
  });

  it('Snooze for 4h (the menu) and Snooze 1h (the button) snooze from now', async () => {
    const now = w.s.clock.now();
    await w.press({ actionId: 'alert_snooze_for', selectType: 'static_select', value: `${alertId}:4h`, userId: 'U0BOB', channelId: original.channel, messageTs: original.ts });
    await w.fake.waitFor('chat.update', (c) => JSON.stringify(c.args.blocks).includes('Snoozed'));
    expect(await alertById(alertId)).toMatchObject({ status: 'SNOOZED', snoozedUntil: iso(now + 4 * HOUR) });
    await w.press({ actionId: 'alert_snooze', value: alertId, userId: 'U0BOB', channelId: original.channel, messageTs: original.ts });
    await w.fake.waitFor('chat.update', (c) => JSON.stringify(c.args.blocks).includes('Snoozed'), 2);
    const a = await alertById(alertId);
    expect(a).toMatchObject({ status: 'SNOOZED', snoozedUntil: iso(now + HOUR) });
    expect(a.events.filter((e: any) => e.kind === 'snoozed').map((e: any) => e.actor)).toEqual(['slack:U0BOB', 'slack:U0BOB']);
  });

  it('Resolve resolves it; the resolution replies in the thread; the message loses its buttons', async () => {
    await w.press({ actionId: 'alert_resolve', value: alertId, userId: 'U0ALICE', channelId: original.channel, messageTs: original.ts });
    const update = await w.fake.waitFor('chat.update', (c) => JSON.stringify(c.args.blocks).includes('*Resolved*'));
    expect(actionIds(update)).toEqual([]);
    expect(await alertById(alertId)).toMatchObject({ status: 'RESOLVED', resolvedAt: iso(w.s.clock.now()) });
    await w.drain();
    const reply = await w.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === original.ts && JSON.stringify(c.args.blocks).includes('Resolved'));
    expect(JSON.stringify(reply.args.blocks)).toContain('by <@U0ALICE>');
    const types = (await alertById(alertId)).deliveries.map((d: any) => `${d.type}:${d.status}`);
    expect(types).toEqual([
      'alert.firing:DELIVERED',
      'alert.escalated:DELIVERED',
      'alert.acknowledged:DELIVERED',
      'alert.snoozed:DELIVERED',
      'alert.snoozed:DELIVERED',
      'alert.resolved:DELIVERED',
    ]);
  });

  it('a press on a resolved alert says so to the presser instead of failing silently', async () => {
    await w.press({ actionId: 'alert_acknowledge', value: alertId, userId: 'U0CAROL', channelId: original.channel, messageTs: original.ts });
    const eph = await w.fake.waitFor('chat.postEphemeral', (c) => c.args.user === 'U0CAROL');
    expect(eph.args.text).toContain(`Alert #${alertId}`);
    expect(eph.args.text).toContain('already resolved');
    expect((await alertById(alertId)).status).toBe('RESOLVED');
  });

  it('a monitor that recovers resolves the alert in the thread on its own', async () => {
    w.s.clock.set(T0 + 3 * HOUR);
    await traffic('fraud', T0 + 3 * HOUR, 30);
    expect((await evaluate(monitorId, T0 + 3 * HOUR)).severity).toBe('WARNING');
    const second = await openAlertOf(monitorId);
    expect(second).not.toBe(alertId);
    await w.drain();
    const post = await w.fake.waitFor('chat.postMessage', (c) => c.args.channel === '#ml-oncall' && !c.args.thread_ts, 2);
    const ts = post.response.ts;
    w.s.clock.set(T0 + 4 * HOUR);
    await traffic('fraud', T0 + 4 * HOUR, 5);
    expect((await evaluate(monitorId, T0 + 4 * HOUR)).severity).toBe('OK');
    await w.drain();
    const reply = await w.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts);
    expect(reply.args.text).toContain('RESOLVED');
    expect(JSON.stringify(reply.args.blocks)).not.toContain(' by ');
    const update = await w.fake.waitFor('chat.update', (c) => c.args.ts === ts);
    expect(actionIds(update)).toEqual([]);
    expect((await alertById(second)).status).toBe('RESOLVED');
  });
});

describe('Slack errors in the outbox', () => {
  it('ratelimited is retried after Retry-After', async () => {
    const monitorId = await watchedModel('busy', '#busy');
    w.s.clock.set(T0 + 5 * HOUR);
    await traffic('busy', T0 + 5 * HOUR, 20);
    await evaluate(monitorId, T0 + 5 * HOUR);
    const id = await openAlertOf(monitorId);
    w.fake.fail('chat.postMessage', { error: 'ratelimited', retryAfter: 30 });
    await w.drain();
    let d = (await alertById(id)).deliveries[0];
    expect(d).toMatchObject({ status: 'PENDING', attempts: 1, nextAttemptAt: iso(T0 + 5 * HOUR + 30_000) });
    expect(d.lastError).toContain('ratelimited');
    const tries = () => w.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === '#busy').length;
    expect(tries()).toBe(1);
    await w.drain(); // not due yet
    expect(tries()).toBe(1);
    w.s.clock.advance(30_000);
    await w.drain();
    expect(tries()).toBe(2);
    d = (await alertById(id)).deliveries[0];
    expect(d).toMatchObject({ status: 'DELIVERED', attempts: 2, lastError: null });
  });

  it('channel_not_found is recorded as failed with its reason and not retried', async () => {
    const monitorId = await watchedModel('lost', '#nowhere');
    w.s.clock.set(T0 + 6 * HOUR);
    await traffic('lost', T0 + 6 * HOUR, 20);
    await evaluate(monitorId, T0 + 6 * HOUR);
    const id = await openAlertOf(monitorId);
    w.fake.fail('chat.postMessage', { error: 'channel_not_found' });
    await w.drain();
    expect((await alertById(id)).deliveries).toEqual([
      expect.objectContaining({ type: 'alert.firing', status: 'FAILED', attempts: 1, lastError: 'channel_not_found', nextAttemptAt: null, channel: { name: 'lost-slack' } }),
    ]);
    w.s.clock.advance(2 * HOUR);
    await w.drain();
    expect(w.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === '#nowhere')).toHaveLength(1);
  });

  it('a 5xx from Slack is retried', async () => {
    const monitorId = await watchedModel('flaky', '#flaky');
    w.s.clock.set(T0 + 9 * HOUR);
    await traffic('flaky', T0 + 9 * HOUR, 20);
    await evaluate(monitorId, T0 + 9 * HOUR);
    const id = await openAlertOf(monitorId);
    w.fake.fail('chat.postMessage', { status: 503 });
    await w.drain();
    const d = (await alertById(id)).deliveries[0];
    expect(d).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'HTTP 503 from Slack' });
  });
});

describe('testChannel', () => {
  it('posts a test message to a SLACK channel and reports the confirmation', async () => {
    const ok = await w.gqlOk(`mutation { testChannel(name: "fraud-slack") }`);
    expect(ok.testChannel).toBe(true);
    const post = await w.fake.waitFor('chat.postMessage', (c) => String(c.args.text).includes('Test notification'));
    expect(post.args.channel).toBe('#ml-oncall');
  });
});

describe('daily digest', () => {
  it('posts every model worst first to the digest channel', async () => {
    const ts = await runDigest(w.s.deps, w.slack.client, '#digest');
    const post = await w.fake.waitFor('chat.postMessage', (c) => c.args.channel === '#digest');
    expect(post.response.ts).toBe(ts);
    // busy, flaky and lost each have an open WARNING alert; fraud's alerts are resolved
    expect(post.args.text).toMatch(/^Glassbox daily digest: 3 of 4 models need attention\. busy WARNING, flaky WARNING, lost WARNING, fraud (HEALTHY|UNKNOWN)$/);
    expect(JSON.stringify(post.args.blocks)).toContain('worst alert: WARNING prediction count 20');
  });
});
