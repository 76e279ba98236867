// The audit trail: every mutation of the schema that changes state writes an entry named
// after it (the list comes from the schema, so a new mutation without an entry fails
// here), and secrets never reach the log or a reader below EDITOR: webhook secrets and
// webhook URLs, credentials and tokens in them included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/server.js';
import { creditRiskModel, CREATE_MODEL } from '../helpers/factories.js';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import { startReceiver } from '../monitors/helpers.js';

const ADMIN_KEY = 'audit-admin-secret-0123456789';
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

let s: TestServer;
let rx: Awaited<ReturnType<typeof startReceiver>>;
/** a webhook URL whose userinfo and query carry credentials */
let secretUrl: string;

beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
  rx = await startReceiver();
  const u = new URL(rx.url);
  secretUrl = `http://hookuser:p4ssw0rd@${u.host}/services/T0/B0/xoxsecretpath?token=abc123`;
});
afterAll(async () => {
  await rx.close();
  await s.stop(true);
});

async function as<T = any>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await s.gql(query, variables, key);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}
const admin = <T = any>(q: string, v?: Record<string, unknown>) => as<T>(ADMIN_KEY, q, v);

/** Every entry, as the store keeps it (the port's reading, not the API's). */
const stored = () => s.deps.store.audit.list(1_000_000);

async function auditCount(action: string): Promise<number> {
  return (await stored()).filter((e) => e.action === action).length;
}

const MON = { model: 'credit-risk', name: 'volume', metric: 'PREDICTION_COUNT', window: '1h', schedule: '0 * * * *', comparator: 'GT', warningThreshold: 5, channels: ['hook'] };
const ids: Record<string, string> = {};

// Each mutation, in an order where each can succeed. `readOnly` ones must write no entry.
const CALLS: Array<{ name: string; run: () => Promise<unknown>; readOnly?: string }> = [
  { name: 'createModel', run: () => admin(CREATE_MODEL, { input: creditRiskModel() }) },
  { name: 'updateModel', run: () => admin(`mutation { updateModel(name: "credit-risk", input: { description: "scores applicants" }) { name } }`) },
  {
    name: 'setBaseline',
    run: () =>
      admin(`mutation($rows: [BaselineRowInput!]!) { setBaseline(model: "credit-risk", rows: $rows) { rowCount } }`, {
        rows: Array.from({ length: 20 }, (_, i) => ({ features: { income: i, region: 'north' }, score: i / 20 })),
      }),
  },
  {
    name: 'logPredictions',
    run: () =>
      admin(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted } }`, {
        p: Array.from({ length: 10 }, (_, i) => ({ eventId: `e${i}`, timestamp: iso(T0 - HOUR + i * 1000), features: { income: i, region: 'south' }, score: 0.7 })),
      }),
  },
  { name: 'logActuals', run: () => admin(`mutation { logActuals(model: "credit-risk", actuals: [{ eventId: "e1", actualLabel: "default" }]) { accepted } }`) },
  { name: 'setBaselineFromWindow', run: () => admin(`mutation { setBaselineFromWindow(model: "credit-risk", from: "${iso(T0 - HOUR)}", to: "${iso(T0)}") { rowCount } }`) },
  { name: 'createModelVersion', run: () => admin(`mutation { createModelVersion(input: { model: "credit-risk", name: "v1", makeCurrent: false }) { name } }`) },
  { name: 'setCurrentVersion', run: () => admin(`mutation { setCurrentVersion(model: "credit-risk", version: "v1") { currentVersion } }`) },
  {
    name: 'setVersionBaseline',
    run: () =>
      admin(`mutation($rows: [BaselineRowInput!]!) { setVersionBaseline(model: "credit-risk", version: "v1", rows: $rows) { rowCount } }`, {
        rows: [{ features: { income: 1, region: 'north' }, score: 0.1, attributions: { income: 0.5 } }],
      }),
  },
  { name: 'createSegment', run: () => admin(`mutation { createSegment(input: { model: "credit-risk", name: "south", conditions: [{ feature: "region", in: ["south"] }] }) { name } }`) },
  { name: 'deleteSegment', run: () => admin(`mutation { deleteSegment(model: "credit-risk", name: "south") }`) },
  { name: 'createChannel', run: () => admin(`mutation($i: CreateChannelInput!) { createChannel(input: $i) { name } }`, { i: { name: 'hook', kind: 'WEBHOOK', webhookUrl: secretUrl, webhookSecret: 'signing-secret-42' } }) },
  { name: 'testChannel', run: () => admin(`mutation { testChannel(name: "hook") }`) },
  {
    name: 'createMonitor',
    run: async () => {
      ids.monitor = (await admin(`mutation($i: CreateMonitorInput!) { createMonitor(input: $i) { id } }`, { i: MON })).createMonitor.id;
    },
  },
  { name: 'updateMonitor', run: () => admin(`mutation($id: ID!) { updateMonitor(id: $id, input: { name: "volume!" }) { id } }`, { id: ids.monitor }) },
  {
    name: 'evaluateMonitor',
    run: async () => {
      await admin(`mutation($id: ID!) { evaluateMonitor(id: $id, at: "${iso(T0)}") { severity } }`, { id: ids.monitor });
      ids.alert = (await admin(`query($id: ID!) { monitor(id: $id) { openAlert { id } } }`, { id: ids.monitor })).monitor.openAlert.id;
    },
  },
  { name: 'acknowledgeAlert', run: () => admin(`mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }`, { id: ids.alert }) },
  { name: 'snoozeAlert', run: () => admin(`mutation($id: ID!) { snoozeAlert(id: $id, until: "${iso(T0 + HOUR)}") { status } }`, { id: ids.alert }) },
  { name: 'resolveAlert', run: () => admin(`mutation($id: ID!) { resolveAlert(id: $id) { status } }`, { id: ids.alert }) },
  {
    name: 'backtestMonitor',
    readOnly: 'a what-if: records nothing, notifies nobody',
    run: () => admin(`mutation($i: CreateMonitorInput!) { backtestMonitor(input: $i, from: "${iso(T0 - 3 * HOUR)}", to: "${iso(T0)}") { severity } }`, { i: MON }),
  },
  { name: 'deleteMonitor', run: () => admin(`mutation($id: ID!) { deleteMonitor(id: $id) }`, { id: ids.monitor }) },
  { name: 'deleteChannel', run: () => admin(`mutation { deleteChannel(name: "hook") }`) },
  {
    name: 'createApiKey',
    run: async () => {
      ids.key = (await admin(`mutation { createApiKey(name: "short-lived", role: VIEWER) { apiKey { id } } }`)).createApiKey.apiKey.id;
    },
  },
  { name: 'revokeApiKey', run: () => admin(`mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: ids.key }) },
  {
    name: 'applyConfig',
    run: async () => {
      // one applyConfig entry for the file, plus one per change named as its mutation
      const before = await auditCount('createChannel');
      await admin(`mutation($y: String!) { applyConfig(yaml: $y) { summary } }`, { y: 'channels:\n  - { name: from-file, kind: SLACK, slackChannel: "#from-file" }\n' });
      if ((await auditCount('createChannel')) !== before + 1) throw new Error('applyConfig: no createChannel entry for its change');
      await admin(`mutation($y: String!) { applyConfig(yaml: $y, dryRun: true) { summary } }`, { y: 'channels: []\n' });
      await admin(`mutation { deleteChannel(name: "from-file") }`);
    },
  },
  { name: 'applyRetention', run: () => admin(`mutation { applyRetention { deletedEvents } }`) },
  { name: 'deleteModel', run: () => admin(`mutation { deleteModel(name: "credit-risk") }`) },
];

describe('every state-changing mutation is audited', () => {
  it('the table covers every mutation of the schema', () => {
    const names = Object.keys(buildSchema().getMutationType()!.getFields());
    expect(names.length).toBeGreaterThan(15);
    expect(CALLS.map((c) => c.name).sort()).toEqual([...names].sort());
  });

  it('each one, when it succeeds, writes one entry named after it (a read-only one writes none)', async () => {
    const missing: string[] = [];
    for (const c of CALLS) {
      const before = await auditCount(c.name);
      await c.run();
      const added = (await auditCount(c.name)) - before;
      if (added !== (c.readOnly ? 0 : 1)) missing.push(`${c.name}: ${added} entries`);
    }
    expect(missing).toEqual([]);
  });

  it('the evaluateMonitor entry says who, when and what it changed', async () => {
    const entry = (await admin(`{ auditLog(limit: 1000) { actor action target details } }`)).auditLog.find((e: any) => e.action === 'evaluateMonitor');
    expect(entry).toEqual({ actor: 'admin', action: 'evaluateMonitor', target: `monitor:${ids.monitor}`, details: { at: iso(T0), severity: 'WARNING', value: 10, sampleSize: 10, alert: ['opened'] } });
  });
});

describe('webhook URLs and secrets', () => {
  const keys: Record<string, string> = {};
  const LEAKS = /p4ssw0rd|hookuser|abc123|xoxsecretpath|signing-secret-42|services\/T0/;

  beforeAll(async () => {
    for (const role of ['VIEWER', 'INGEST', 'EDITOR']) {
      keys[role] = (await admin(`mutation($r: Role!) { createApiKey(name: "${role.toLowerCase()}", role: $r) { secret } }`, { r: role })).createApiKey.secret;
    }
    await admin(CREATE_MODEL, { input: creditRiskModel() });
    await admin(`mutation($a: CreateChannelInput!, $b: CreateChannelInput!) { a: createChannel(input: $a) { name } b: createChannel(input: $b) { name } }`, {
      a: { name: 'secret-hook', kind: 'WEBHOOK', webhookUrl: secretUrl, webhookSecret: 'signing-secret-42' },
      b: { name: 'plain-hook', kind: 'WEBHOOK', webhookUrl: rx.url },
    });
    await admin(`mutation($i: CreateMonitorInput!) { createMonitor(input: $i) { id } }`, { i: { ...MON, name: 'watched', channels: ['secret-hook'] } });
  });

  const READ = `{ channels { name webhookUrl } monitors { channels { webhookUrl } } auditLog(limit: 1000) { action details } }`;

  it('VIEWER and INGEST keys see the scheme and host only, anywhere a channel appears', async () => {
    const origin = `http://${new URL(rx.url).host}/[redacted]`;
    for (const role of ['VIEWER', 'INGEST']) {
      const data = await as(keys[role]!, READ);
      expect(JSON.stringify(data)).not.toMatch(LEAKS);
      expect(data.channels).toEqual([
        { name: 'plain-hook', webhookUrl: origin },
        { name: 'secret-hook', webhookUrl: origin },
      ]);
      expect(data.monitors[0].channels).toEqual([{ webhookUrl: origin }]);
    }
  });

  it('EDITOR and above see the URL as given', async () => {
    for (const key of [keys.EDITOR!, ADMIN_KEY]) {
      const data = await as(key, `{ channels { name webhookUrl } }`);
      expect(data.channels.find((c: any) => c.name === 'secret-hook').webhookUrl).toBe(new URL(secretUrl).toString());
    }
  });

  it('the audit log keeps neither the URL nor the secret, and claims no secret that was not given', async () => {
    const audit = (await as(ADMIN_KEY, `{ auditLog(limit: 1000) { action target details } }`)).auditLog;
    expect(JSON.stringify(audit)).not.toMatch(LEAKS);
    const created = (name: string) => audit.find((e: any) => e.action === 'createChannel' && e.target === `channel:${name}`).details;
    const host = new URL(rx.url).host;
    expect(created('secret-hook')).toEqual({ name: 'secret-hook', kind: 'WEBHOOK', webhookUrl: `http://${host}/[redacted]`, webhookSecret: '[redacted]' });
    expect(created('plain-hook')).toEqual({ name: 'plain-hook', kind: 'WEBHOOK', webhookUrl: `http://${host}/[redacted]` });
    // and none in the database itself
    expect(JSON.stringify((await stored()).map((e) => e.details))).not.toMatch(LEAKS);
  });

  it('credentials in the URL still reach the receiver, as Basic authorization', async () => {
    const n = rx.received.length;
    expect((await as(keys.EDITOR!, `mutation { testChannel(name: "secret-hook") }`)).testChannel).toBe(true);
    const got = rx.received[n]!;
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('hookuser:p4ssw0rd').toString('base64')}`);
    expect(got.json).toMatchObject({ type: 'test' });
  });
});
