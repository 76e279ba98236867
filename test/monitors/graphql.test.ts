// Monitors, alerts and channels over the real server: validation that names the field,
// the audit trail, lookups of absent things, and an alert's life seen through GraphQL.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CREATE_MODEL, creditRiskModel, incomeDriftMonitor } from '../helpers/factories.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { evaluateMonitor } from '../../src/services/evaluation.js';
import { run as deliver } from '../../src/jobs/deliver-notifications.js';
import { createWebhookNotifier } from '../../src/notify/webhook.js';
import { HOUR, T0, scriptedMetric, startReceiver } from './helpers.js';

let s: TestServer;
let rx: Awaited<ReturnType<typeof startReceiver>>;

const MONITOR_FIELDS = `id name metric feature attribute window schedule comparator warningThreshold criticalThreshold forEvaluations minSampleSize repeatInterval enabled channels { name } model { name }`;
const CREATE_MONITOR = `mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { ${MONITOR_FIELDS} } }`;
const base = incomeDriftMonitor;

beforeAll(async () => {
  s = await startTestServer();
  rx = await startReceiver();
  const m = await s.gql(CREATE_MODEL, { input: creditRiskModel([{ name: 'gender', type: 'CATEGORICAL', protected: true }]) });
  expect(m.errors).toBeUndefined();
});
afterAll(async () => {
  await rx.close();
  await s.stop(true);
});

describe('channels', () => {
  it('creates, lists, refuses bad input naming the field, tests and deletes', async () => {
    const bad = [
      [{ name: 'x', kind: 'SLACK' }, 'input.slackChannel'],
      [{ name: 'x', kind: 'WEBHOOK' }, 'input.webhookUrl'],
      [{ name: 'x', kind: 'WEBHOOK', webhookUrl: 'ftp://example.com' }, 'input.webhookUrl'],
      [{ name: 'x', kind: 'WEBHOOK', webhookUrl: 'not a url' }, 'input.webhookUrl'],
      [{ name: '', kind: 'SLACK', slackChannel: '#ops' }, 'input.name'],
    ] as const;
    for (const [input, field] of bad) {
      const r = await s.gql(`mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }`, { input });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const ok = await s.gql(`mutation($a: CreateChannelInput!, $b: CreateChannelInput!) { a: createChannel(input: $a) { name kind webhookUrl slackChannel } b: createChannel(input: $b) { name kind slackChannel } }`, {
      a: { name: 'ops-hook', kind: 'WEBHOOK', webhookUrl: rx.url, webhookSecret: 'top-secret-1' },
      b: { name: 'ops-slack', kind: 'SLACK', slackChannel: '#ml-alerts' },
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.a).toEqual({ name: 'ops-hook', kind: 'WEBHOOK', webhookUrl: rx.url, slackChannel: null });
    const dup = await s.gql(`mutation { createChannel(input: { name: "ops-hook", kind: SLACK, slackChannel: "#x" }) { id } }`);
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await s.gql(`{ channels { name } }`)).data.channels).toEqual([{ name: 'ops-hook' }, { name: 'ops-slack' }]);

    const t = await s.gql(`mutation { testChannel(name: "ops-hook") }`);
    expect(t.data.testChannel).toBe(true);
    expect(rx.received.at(-1)!.json).toMatchObject({ type: 'test', alert: null });
    expect(rx.received.at(-1)!.headers['x-glassbox-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    rx.answer(500);
    const refused = await s.gql(`mutation { testChannel(name: "ops-hook") }`);
    // false, and why, beside it: the receiver's host and status, never its URL's secrets
    expect(refused.data.testChannel).toBe(false);
    expect(refused.errors).toEqual([
      {
        message: expect.stringMatching(/^channel "ops-hook" did not confirm the test notification: 127\.0\.0\.1:\d+ answered HTTP 500: receiver says no$/),
        path: ['testChannel'],
        extensions: { code: 'NOT_CONFIRMED', reason: expect.stringContaining('answered HTTP 500') },
      },
    ]);
    rx.answer(503);
    const aliased = await s.gql(`mutation { probe: testChannel(name: "ops-hook") }`);
    expect(aliased.data).toEqual({ probe: false });
    expect(aliased.errors?.[0]).toMatchObject({ path: ['probe'], extensions: { code: 'NOT_CONFIRMED' } });
    expect((await s.gql(`mutation { testChannel(name: "nope") }`)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    expect((await s.gql(`mutation { deleteChannel(name: "ops-slack") }`)).data.deleteChannel).toBe(true);
    expect((await s.gql(`mutation { deleteChannel(name: "ops-slack") }`)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const audit = await s.gql(`{ auditLog(limit: 10) { action target details } }`);
    const created = audit.data.auditLog.find((e: any) => e.action === 'createChannel' && e.target === 'channel:ops-hook');
    expect(JSON.stringify(created.details)).not.toContain('top-secret-1');
  });
});

describe('monitors', () => {
  it.each([
    ['a chi-square test on a numeric feature', { metric: 'CHI2_P_VALUE' }, 'input.metric'],
    ['KS on a categorical feature', { metric: 'KS_STATISTIC', feature: 'region' }, 'input.metric'],
    ['an unknown feature', { feature: 'salary' }, 'input.feature'],
    ['a feature on a performance metric', { metric: 'AUC' }, 'input.feature'],
    ['a regression metric on a classifier', { metric: 'RMSE', feature: null }, 'input.metric'],
    ['fairness without an attribute', { metric: 'DISPARATE_IMPACT_RATIO', feature: null, comparator: 'LT', warningThreshold: 0.9, criticalThreshold: 0.8 }, 'input.attribute'],
    ['fairness on an unprotected attribute', { metric: 'DISPARATE_IMPACT_RATIO', feature: null, attribute: 'region', comparator: 'LT', warningThreshold: 0.9, criticalThreshold: 0.8 }, 'input.attribute'],
    ['an integrity metric without a feature', { metric: 'MISSING_RATE', feature: null }, 'input.feature'],
    ['a window that does not parse', { window: '1 day' }, 'input.window'],
    ['a window over 90 days', { window: '91d' }, 'input.window'],
    ['a bad cron expression', { schedule: '61 * * * *' }, 'input.schedule'],
    ['no threshold', { warningThreshold: null, criticalThreshold: null }, 'input.criticalThreshold'],
    ['warning more severe than critical (GT)', { warningThreshold: 0.3 }, 'input.warningThreshold'],
    ['warning more severe than critical (LT)', { metric: 'AUC', feature: null, comparator: 'LT', warningThreshold: 0.6, criticalThreshold: 0.7 }, 'input.warningThreshold'],
    ['forEvaluations 0', { forEvaluations: 0 }, 'input.forEvaluations'],
    ['a bad repeatInterval', { repeatInterval: 'often' }, 'input.repeatInterval'],
    ['an unknown channel', { channels: ['ops-hook', 'pager'] }, 'input.channels[1]'],
    ['an unknown model', { model: 'nope' }, 'input.model'],
  ])('refuses %s', async (_what, over, field) => {
    const r = await s.gql(CREATE_MONITOR, { input: base(over) });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.errors?.[0]?.message).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: .{10,}`));
  });

  it('creates with defaults, returns window and schedule as given, updates, audits and deletes', async () => {
    const c = await s.gql(CREATE_MONITOR, { input: base() });
    expect(c.errors).toBeUndefined();
    expect(c.data.createMonitor).toMatchObject({
      name: 'income drift',
      window: '24h',
      schedule: '0 * * * *',
      forEvaluations: 1,
      minSampleSize: 1,
      repeatInterval: '4h',
      enabled: true,
      channels: [{ name: 'ops-hook' }],
      model: { name: 'credit-risk' },
    });
    const id = c.data.createMonitor.id;
    expect((await s.gql(CREATE_MONITOR, { input: base() })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    const fair = await s.gql(CREATE_MONITOR, { input: base({ name: 'fair', metric: 'DISPARATE_IMPACT_RATIO', feature: null, attribute: 'gender', comparator: 'LT', warningThreshold: 0.9, criticalThreshold: 0.8, channels: [] }) });
    expect(fair.errors).toBeUndefined();

    const u = await s.gql(`mutation($id: ID!) { updateMonitor(id: $id, input: { window: "7d", warningThreshold: null, enabled: false }) { window warningThreshold criticalThreshold enabled } }`, { id });
    expect(u.data.updateMonitor).toEqual({ window: '7d', warningThreshold: null, criticalThreshold: 0.2, enabled: false });
    const badU = await s.gql(`mutation($id: ID!) { updateMonitor(id: $id, input: { criticalThreshold: 0.01, warningThreshold: 0.5 }) { id } }`, { id });
    expect(badU.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.warningThreshold' });

    const q = await s.gql(`query($id: ID!) { monitor(id: $id) { name lastEvaluation { at } evaluations { at } openAlert { id } } missing: monitor(id: "999") { id } junk: monitor(id: "abc") { id } monitors(model: "credit-risk") { name } model(name: "credit-risk") { monitors { name } } }`, { id });
    expect(q.data).toEqual({
      monitor: { name: 'income drift', lastEvaluation: null, evaluations: [], openAlert: null },
      missing: null,
      junk: null,
      monitors: [{ name: 'fair' }, { name: 'income drift' }],
      model: { monitors: [{ name: 'fair' }, { name: 'income drift' }] },
    });
    for (const m of ['updateMonitor(id: "999", input: {})', 'deleteMonitor(id: "999")', 'evaluateMonitor(id: "999")']) {
      const r = await s.gql(`mutation { ${m} ${m.startsWith('delete') ? '' : '{ __typename }'} }`);
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const inUse = await s.gql(`mutation { deleteChannel(name: "ops-hook") }`);
    expect(inUse.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(inUse.errors?.[0]?.message).toContain('income drift');

    const fairId = fair.data.createMonitor.id;
    expect((await s.gql(`mutation($id: ID!) { deleteMonitor(id: $id) }`, { id: fairId })).data.deleteMonitor).toBe(true);
    const audit = await s.gql(`{ auditLog(limit: 20) { action target actor } }`);
    const actions = audit.data.auditLog.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['createMonitor', 'updateMonitor', 'deleteMonitor']));
    expect(audit.data.auditLog.find((e: any) => e.action === 'deleteMonitor')).toMatchObject({ target: `monitor:${fairId}`, actor: 'local' });
  });
});

describe('alerts', () => {
  it('an alert seen through GraphQL: FIRING, acknowledged with a note, deliveries, health list, resolved', async () => {
    const created = await s.gql(CREATE_MONITOR, { input: base({ name: 'psi-alerting', repeatInterval: '1h' }) });
    const id = Number(created.data.createMonitor.id);
    const metric = scriptedMetric({ value: 0.31, sampleSize: 12_408 });
    await evaluateMonitor(s.deps, id, T0 + HOUR, { computeMetric: metric.compute });
    const before = rx.received.length;
    await vi.waitFor(
      async () => {
        await deliver(s.deps, s.clock.now(), { notifiers: { WEBHOOK: createWebhookNotifier({ clock: s.clock }) } });
        expect(rx.received.length).toBe(before + 1);
      },
      { timeout: 5_000, interval: 20 },
    );

    const ALERT = `id status severity value threshold message openedAt resolvedAt acknowledgedBy snoozedUntil monitor { name } model { name } events { kind actor note at } deliveries { type status attempts lastError channel { name } deliveredAt nextAttemptAt }`;
    const list = await s.gql(`{ alerts(model: "credit-risk", status: [FIRING]) { ${ALERT} } model(name: "credit-risk") { alerts { id } } }`);
    expect(list.errors).toBeUndefined();
    const alert = list.data.alerts[0];
    expect(alert).toMatchObject({
      status: 'FIRING',
      severity: 'CRITICAL',
      value: 0.31,
      threshold: 0.2,
      message: 'CRITICAL: PSI of income on credit-risk is 0.31 (threshold 0.2) over the last 24h (n=12,408)',
      openedAt: new Date(T0 + HOUR).toISOString(),
      monitor: { name: 'psi-alerting' },
      model: { name: 'credit-risk' },
      events: [{ kind: 'opened', actor: null, note: null }],
      deliveries: [{ type: 'alert.firing', status: 'DELIVERED', attempts: 1, lastError: null, channel: { name: 'ops-hook' }, nextAttemptAt: null }],
    });
    expect(list.data.model.alerts).toEqual([{ id: alert.id }]);

    const ack = await s.gql(`mutation($id: ID!) { acknowledgeAlert(id: $id, note: "looking at the feed") { status acknowledgedBy events { kind actor note } } }`, { id: alert.id });
    expect(ack.data.acknowledgeAlert).toEqual({
      status: 'ACKNOWLEDGED',
      acknowledgedBy: 'local',
      events: [
        { kind: 'opened', actor: null, note: null },
        { kind: 'acknowledged', actor: 'local', note: 'looking at the feed' },
      ],
    });
    const snz = await s.gql(`mutation($id: ID!) { snoozeAlert(id: $id, until: "2024-05-06T06:00:00Z") { status snoozedUntil } }`, { id: alert.id });
    expect(snz.data.snoozeAlert).toEqual({ status: 'SNOOZED', snoozedUntil: '2024-05-06T06:00:00.000Z' });
    const past = await s.gql(`mutation($id: ID!) { snoozeAlert(id: $id, until: "2024-05-05T00:00:00Z") { status } }`, { id: alert.id });
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'until' });
    const res = await s.gql(`mutation($id: ID!) { resolveAlert(id: $id, note: "retrained") { status resolvedAt events { kind } } }`, { id: alert.id });
    expect(res.data.resolveAlert).toMatchObject({ status: 'RESOLVED', resolvedAt: new Date(T0).toISOString() });
    expect(res.data.resolveAlert.events.map((e: any) => e.kind)).toEqual(['opened', 'acknowledged', 'snoozed', 'resolved']);
    for (const m of ['acknowledgeAlert(id: "999")', 'snoozeAlert(id: "999", until: "2030-01-01T00:00:00Z")', 'resolveAlert(id: "999")']) {
      expect((await s.gql(`mutation { ${m} { id } }`)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect((await s.gql(`{ alert(id: "999") { id } }`)).data.alert).toBeNull();
    const audit = await s.gql(`{ auditLog(limit: 5) { action target } }`);
    expect(audit.data.auditLog.map((e: any) => e.action)).toEqual(expect.arrayContaining(['acknowledgeAlert', 'snoozeAlert', 'resolveAlert']));
  });
});
