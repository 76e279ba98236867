// The role matrix: every mutation x every role, plus unauthenticated and revoked keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { buildSchema } from '../../src/graphql/server.js';

type Role = 'VIEWER' | 'INGEST' | 'EDITOR' | 'ADMIN';
const ROLES: Role[] = ['VIEWER', 'INGEST', 'EDITOR', 'ADMIN'];
const RANK: Record<Role, number> = { VIEWER: 0, INGEST: 1, EDITOR: 2, ADMIN: 3 };
const T = '"2024-05-06T00:00:00Z"';
const T2 = '"2024-05-07T00:00:00Z"';
const MON = `{ model: "m", name: "x", metric: PSI, window: "1h", schedule: "0 * * * *", comparator: GT, warningThreshold: 0.1 }`;

// Each mutation with the least role the contract gives it. Arguments name things that may
// not exist: a NOT_FOUND or BAD_USER_INPUT answer still proves the role check passed.
const MUTATIONS: Array<[string, Role, string]> = [
  ['createModel', 'EDITOR', `createModel(input: { name: "m-ROLE", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { id }`],
  ['updateModel', 'EDITOR', `updateModel(name: "m", input: { description: "d" }) { id }`],
  ['deleteModel', 'EDITOR', `deleteModel(name: "absent")`],
  ['setBaseline', 'INGEST', `setBaseline(model: "m", rows: [{ features: { x: 1 }, value: 1 }]) { rowCount }`],
  ['setBaselineFromWindow', 'INGEST', `setBaselineFromWindow(model: "absent", from: ${T}, to: ${T2}) { rowCount }`],
  ['setVersionBaseline', 'INGEST', `setVersionBaseline(model: "m", version: "absent", rows: [{ features: { x: 1 }, value: 1 }]) { rowCount }`],
  ['createModelVersion', 'EDITOR', `createModelVersion(input: { model: "m", name: "v-ROLE" }) { name }`],
  ['setCurrentVersion', 'EDITOR', `setCurrentVersion(model: "m", version: "absent") { name }`],
  ['createSegment', 'EDITOR', `createSegment(input: { model: "m", name: "s-ROLE", conditions: [{ feature: "x", gte: 0 }] }) { name }`],
  ['deleteSegment', 'EDITOR', `deleteSegment(model: "m", name: "absent")`],
  ['logPredictions', 'INGEST', `logPredictions(model: "m", predictions: [{ eventId: "e-ROLE", timestamp: ${T}, features: { x: 1 }, value: 1 }]) { accepted }`],
  ['logActuals', 'INGEST', `logActuals(model: "m", actuals: [{ eventId: "e-ROLE", actualValue: 1 }]) { accepted }`],
  ['createMonitor', 'EDITOR', `createMonitor(input: ${MON}) { id }`],
  ['updateMonitor', 'EDITOR', `updateMonitor(id: "999999", input: { name: "y" }) { id }`],
  ['deleteMonitor', 'EDITOR', `deleteMonitor(id: "999999")`],
  ['evaluateMonitor', 'EDITOR', `evaluateMonitor(id: "999999") { at }`],
  ['backtestMonitor', 'EDITOR', `backtestMonitor(input: ${MON}, from: ${T}, to: ${T2}) { at }`],
  ['acknowledgeAlert', 'EDITOR', `acknowledgeAlert(id: "999999") { id }`],
  ['snoozeAlert', 'EDITOR', `snoozeAlert(id: "999999", until: ${T2}) { id }`],
  ['resolveAlert', 'EDITOR', `resolveAlert(id: "999999") { id }`],
  ['createChannel', 'EDITOR', `createChannel(input: { name: "c-ROLE", kind: WEBHOOK, webhookUrl: "http://127.0.0.1:9/hook" }) { id }`],
  ['deleteChannel', 'EDITOR', `deleteChannel(name: "absent")`],
  ['testChannel', 'EDITOR', `testChannel(name: "absent")`],
  ['applyConfig', 'EDITOR', `applyConfig(yaml: "channels: [{ name: c-ROLE, kind: SLACK, slackChannel: '#c-ROLE' }]", dryRun: true) { summary }`],
  ['createApiKey', 'ADMIN', `createApiKey(name: "k-ROLE", role: VIEWER) { secret }`],
  ['revokeApiKey', 'ADMIN', `revokeApiKey(id: "999999")`],
  ['applyRetention', 'ADMIN', `applyRetention { deletedEvents }`],
];

let s: TestServer;
const keys = {} as Record<Role, string>;
const ADMIN_KEY = 'bootstrap-admin-secret-0123456789';

beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
  for (const role of ROLES) {
    const r = await s.gql(`mutation($n: String!, $r: Role!) { createApiKey(name: $n, role: $r) { secret } }`, { n: `key-${role}`, r: role }, ADMIN_KEY);
    keys[role] = r.data.createApiKey.secret;
  }
  await s.gql(`mutation { createModel(input: { name: "m", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { id } }`, {}, ADMIN_KEY);
});
afterAll(async () => {
  await s.stop(true);
});

describe('role matrix', () => {
  it('covers every mutation of the schema', () => {
    const names = Object.keys(buildSchema().getMutationType()!.getFields());
    expect(names.length).toBeGreaterThan(10);
    expect(new Set(MUTATIONS.map((m) => m[0]))).toEqual(new Set(names));
  });

  const cases = MUTATIONS.flatMap(([name, need, op]) => ROLES.map((role) => [name, role, need, op] as const));
  it.each(cases)('%s as %s', async (_name, role, need, op) => {
    const r = await s.gql(`mutation { ${op.replaceAll('ROLE', role.toLowerCase())} }`, {}, keys[role]);
    const code = r.errors?.[0]?.extensions?.code;
    if (RANK[role] < RANK[need]) {
      expect(code).toBe('FORBIDDEN');
      expect(r.errors?.[0].message).toContain(need);
    } else {
      expect(code === undefined || !['FORBIDDEN', 'UNAUTHENTICATED'].includes(code)).toBe(true);
    }
  });

  it('lets every role read', async () => {
    for (const role of ROLES) {
      const r = await s.gql(`{ models { name } monitors { id } channels { name } alerts { id } auditLog(limit: 1) { action } }`, {}, keys[role]);
      const codes = (r.errors ?? []).map((e: any) => e.extensions.code);
      expect(codes).not.toContain('FORBIDDEN');
      expect(codes).not.toContain('UNAUTHENTICATED');
    }
  });
});

describe('authentication', () => {
  it('refuses a request without a key once keys exist', async () => {
    const r = await s.gql(`{ models { name } }`);
    expect(r.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown key and a malformed header', async () => {
    expect((await s.gql(`{ models { name } }`, {}, 'gbx_not-a-key')).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const res = await s.post('/graphql', JSON.stringify({ query: '{ models { name } }' }), { 'content-type': 'application/json', authorization: 'Basic abc' });
    expect(res.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a revoked key at once, and shows no secret in lists', async () => {
    const c = await s.gql(`mutation { createApiKey(name: "temp", role: EDITOR) { secret apiKey { id } } }`, {}, ADMIN_KEY);
    const { secret, apiKey } = c.data.createApiKey;
    expect((await s.gql(`{ models { name } }`, {}, secret)).errors).toBeUndefined();
    expect((await s.gql(`mutation { revokeApiKey(id: "${apiKey.id}") }`, {}, ADMIN_KEY)).data.revokeApiKey).toBe(true);
    expect((await s.gql(`{ models { name } }`, {}, secret)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const list = await s.gql(`{ apiKeys { name role revokedAt } }`, {}, ADMIN_KEY);
    expect(list.data.apiKeys.find((k: any) => k.name === 'temp').revokedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(secret);
  });

  it('records the key name as the actor', async () => {
    await s.gql(`mutation { updateModel(name: "m", input: { description: "by editor" }) { id } }`, {}, keys.EDITOR);
    const log = await s.gql(`{ auditLog(limit: 1) { actor action } }`, {}, keys.VIEWER);
    expect(log.data.auditLog[0]).toEqual({ actor: 'key-EDITOR', action: 'updateModel' });
  });
});
