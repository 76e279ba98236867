// Replayed and duplicated Slack requests act once: a signature accepted before is refused
// (401 with a JSON reason), by this server and by a replica on the same database; a
// duplicate press (the same action, signed anew) adds no alert event, audit entry or
// message update; the replay cache forgets what its timestamp would refuse anyway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockAction, sendToSlackEndpoint, slashCommand, type ButtonPress, type SlackRequest } from '../helpers/slack-signer.js';
import { startTestServer } from '../helpers/server.js';
import { seenCount } from '../../src/services/slack-seen.js';
import { HOUR, SECRET, T0, iso, startSlackWorld, type SlackWorld } from './support.js';

let w: SlackWorld;
let alertId: string;
let message: { channel: string; ts: string };
let seq = 0;

const events = async () => (await w.s.deps.store.alerts.events(Number(alertId))).length;
const audits = async () => (await w.s.deps.store.audit.list(100_000)).filter((e) => e.target === `alert:${alertId}`).length;
/** redraws of the pressed message for the current alert: the listeners' (deliveries redraw the alert's own message) */
const updates = () => w.fake.callsTo('chat.update').filter((c) => c.args.ts === message.ts && JSON.stringify(c.args.blocks).includes(`Alert #${alertId}`)).length;

/** A signed press on the alert message; a fresh response_url makes a fresh signature. */
function press(actionId: string, value: string, extra: Partial<ButtonPress> = {}): SlackRequest {
  return blockAction(
    SECRET,
    { actionId, value, userId: 'U0ALICE', channelId: message.channel, messageTs: message.ts, responseUrl: `${w.fake.respondUrl}/replay-${++seq}`, ...extra },
    { ts: w.ts() },
  );
}

async function refusedAsReplay(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Slack signature refused: this request was received before (a replay)' } });
}

beforeAll(async () => {
  w = await startSlackWorld(T0);
  await w.gqlOk(`mutation { createModel(input: { name: "fraud", task: BINARY_CLASSIFICATION, positiveClass: "fraud", features: [{ name: "amount", type: NUMERIC }] }) { name } }`);
  await w.gqlOk(`mutation { createChannel(input: { name: "oncall", kind: SLACK, slackChannel: "#oncall" }) { name } }`);
  const m = await w.gqlOk(`mutation($i: CreateMonitorInput!) { createMonitor(input: $i) { id } }`, {
    i: { model: 'fraud', name: 'volume', metric: 'PREDICTION_COUNT', window: '1h', schedule: '0 * * * *', comparator: 'GT', warningThreshold: 10, channels: ['oncall'] },
  });
  const p = Array.from({ length: 20 }, (_, i) => ({ eventId: `t${i}`, timestamp: iso(T0 - HOUR + i * 1000), features: { amount: i }, score: 0.5 }));
  await w.gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "fraud", predictions: $p) { accepted } }`, { p });
  await w.gqlOk(`mutation($id: ID!) { evaluateMonitor(id: $id, at: "${iso(T0)}") { severity } }`, { id: m.createMonitor.id });
  alertId = (await w.gqlOk(`query($id: ID!) { monitor(id: $id) { openAlert { id } } }`, { id: m.createMonitor.id })).monitor.openAlert.id;
  await w.drain();
  const post = await w.fake.waitFor('chat.postMessage', (c) => c.args.channel === '#oncall');
  message = { channel: post.response.channel, ts: post.response.ts };
});
afterAll(async () => {
  await w?.stop();
});

describe('a replayed Slack request', () => {
  it('a slash command is answered once; its replay gets 401 with a JSON reason', async () => {
    const req = slashCommand(SECRET, { text: 'help', responseUrl: `${w.fake.respondUrl}/cmd-replay` }, { ts: w.ts() });
    const first = await w.send(req);
    expect(first.status).toBe(200);
    await refusedAsReplay(await w.send(req));
  });

  it.each([
    ['alert_snooze', 'snoozed', 'SNOOZED'],
    ['alert_acknowledge', 'acknowledged', 'ACKNOWLEDGED'],
    ['alert_resolve', 'resolved', 'RESOLVED'],
  ])('%s acts once: its replay adds no event, audit entry or message update', async (actionId, kind, status) => {
    const req = press(actionId, alertId, { actionTs: `${w.ts()}.${String(++seq).padStart(6, '0')}` });
    const [e0, a0, u0] = await Promise.all([events(), audits(), updates()]);
    expect((await w.send(req)).status).toBe(200);
    await w.fake.waitFor('chat.update', (c) => c.args.ts === message.ts && JSON.stringify(c.args.blocks).includes(`Alert #${alertId}`), u0 + 1);
    expect(await Promise.all([events(), audits(), updates()])).toEqual([e0 + 1, a0 + 1, u0 + 1]);
    const alert = (await w.gqlOk(`query($id: ID!) { alert(id: $id) { status snoozedUntil events { kind } } }`, { id: alertId })).alert;
    expect(alert.status).toBe(status);
    expect(alert.events.at(-1).kind).toBe(kind);

    await refusedAsReplay(await w.send(req));
    expect(await Promise.all([events(), audits()])).toEqual([e0 + 1, a0 + 1]);
    expect((await w.gqlOk(`query($id: ID!) { alert(id: $id) { status snoozedUntil } }`, { id: alertId })).alert).toEqual({ status: alert.status, snoozedUntil: alert.snoozedUntil });
  });

  it('a replica on the same database refuses it too, and takes fresh requests', async () => {
    const replica = await startTestServer({ database: w.s.database, now: w.s.clock.now(), env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.fake.apiUrl } });
    try {
      const req = slashCommand(SECRET, { text: 'help', responseUrl: `${w.fake.respondUrl}/cmd-replica` }, { ts: w.ts() });
      expect((await w.send(req)).status).toBe(200);
      await refusedAsReplay(await sendToSlackEndpoint(replica.url, req));
      const fresh = slashCommand(SECRET, { text: 'help', responseUrl: `${w.fake.respondUrl}/cmd-replica-2` }, { ts: w.ts() });
      expect((await sendToSlackEndpoint(replica.url, fresh)).status).toBe(200);
    } finally {
      await replica.stop();
    }
  });
});

describe('a duplicate press (the same action, signed anew)', () => {
  it('changes nothing: no event, no audit entry, no message update', async () => {
    // a fresh alert to press on
    await w.gqlOk(`mutation($id: ID!) { updateMonitor(id: $id, input: { name: "volume 2" }) { id } }`, { id: (await w.gqlOk(`{ monitors { id } }`)).monitors[0].id });
    const monitorId = (await w.gqlOk(`{ monitors { id } }`)).monitors[0].id;
    w.s.clock.set(T0 + HOUR);
    const p = Array.from({ length: 20 }, (_, i) => ({ eventId: `u${i}`, timestamp: iso(T0 + i * 1000), features: { amount: i }, score: 0.5 }));
    await w.gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "fraud", predictions: $p) { accepted } }`, { p });
    await w.gqlOk(`mutation($id: ID!) { evaluateMonitor(id: $id, at: "${iso(T0 + HOUR)}") { severity } }`, { id: monitorId });
    alertId = (await w.gqlOk(`query($id: ID!) { monitor(id: $id) { openAlert { id } } }`, { id: monitorId })).monitor.openAlert.id;

    const actionTs = `${w.ts()}.777777`;
    const first = press('alert_snooze_for', `${alertId}:4h`, { actionTs, selectType: 'static_select' });
    const again = press('alert_snooze_for', `${alertId}:4h`, { actionTs, selectType: 'static_select' });
    expect(again.headers['x-slack-signature']).not.toBe(first.headers['x-slack-signature']);
    const isAck = (c: { args: Record<string, any> }) => c.args.ts === message.ts && JSON.stringify(c.args.blocks).includes(`Alert #${alertId}`) && JSON.stringify(c.args.blocks).includes('Acknowledged');
    const acks0 = w.fake.callsTo('chat.update').filter(isAck).length;
    const [e0, a0, u0] = await Promise.all([events(), audits(), updates()]);
    expect((await w.send(first)).status).toBe(200);
    await w.fake.waitFor('chat.update', (c) => c.args.ts === message.ts && JSON.stringify(c.args.blocks).includes(`Alert #${alertId}`), u0 + 1);
    w.s.clock.advance(5_000); // the duplicate comes later: a new snooze would end later
    expect((await w.send(again)).status).toBe(200);
    // a later, distinct press: once its update is in, the duplicate's would be too
    expect((await w.send(press('alert_acknowledge', alertId, { actionTs: `${w.ts()}.888888` }))).status).toBe(200);
    await w.fake.waitFor('chat.update', isAck, acks0 + 1);
    expect(await Promise.all([events(), audits(), updates()])).toEqual([e0 + 2, a0 + 2, u0 + 2]);
    const kinds = (await w.gqlOk(`query($id: ID!) { alert(id: $id) { events { kind } } }`, { id: alertId })).alert.events.map((e: any) => e.kind);
    expect(kinds).toEqual(['opened', 'snoozed', 'acknowledged']);
  });

  it('the same snooze twice over GraphQL is one snooze: one event, one audit entry', async () => {
    const until = iso(w.s.clock.now() + 2 * HOUR);
    const [e0, a0] = await Promise.all([events(), audits()]);
    for (let i = 0; i < 2; i++) await w.gqlOk(`mutation($id: ID!) { snoozeAlert(id: $id, until: "${until}") { status } }`, { id: alertId });
    expect(await Promise.all([events(), audits()])).toEqual([e0 + 1, a0 + 1]);
  });
});

describe('the replay cache', () => {
  it('forgets a signature once its timestamp would be refused anyway, and stays that small', async () => {
    const old = slashCommand(SECRET, { text: 'help', responseUrl: `${w.fake.respondUrl}/cmd-old` }, { ts: w.ts() });
    expect((await w.send(old)).status).toBe(200);
    expect(await seenCount(w.s.deps)).toBeGreaterThan(1);
    w.s.clock.advance(11 * 60_000); // past the five minutes of every request and press so far
    const fresh = slashCommand(SECRET, { text: 'help', responseUrl: `${w.fake.respondUrl}/cmd-new` }, { ts: w.ts() });
    expect((await w.send(fresh)).status).toBe(200);
    expect(await seenCount(w.s.deps)).toBe(1);
    const res = await w.send(old);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.message).toMatch(/^Slack signature refused: timestamp is \d+ s away from now/);
  });

  it('a forged request gets 401 with a JSON reason', async () => {
    const res = await w.send(slashCommand('not-the-secret', { text: 'help', responseUrl: `${w.fake.respondUrl}/forged` }, { ts: w.ts() }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Slack signature refused: signature mismatch' } });
  });
});
