// Monitors narrowed to a version and/or a segment, over the real server: the names are
// checked (BAD_USER_INPUT naming the field), stored and shown, changed by updateMonitor,
// and evaluations and backtests measure the narrowed events only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ADMIN_KEY, createModel, ndjson, postNdjson } from '../ingest/support.js';
import { HOUR, MIN, T0 } from './helpers.js';

let s: TestServer;
const gql = (q: string, v?: Record<string, unknown>) => s.gql(q, v, ADMIN_KEY);
const FIELDS = 'id version segment';

/** Event i: every 10 minutes from T0; version v1 for even i, v2 for odd; c = k0..k2. */
const events = Array.from({ length: 36 }, (_, i) => ({
  eventId: `e${i}`,
  timestamp: new Date(T0 + i * 10 * MIN).toISOString(),
  features: { x: i, c: `k${i % 3}` },
  score: 0.5,
  modelVersion: i % 2 === 0 ? 'v1' : 'v2',
}));
const inHour = (h: number, keep: (e: (typeof events)[number], i: number) => boolean) =>
  events.filter((e, i) => keep(e, i) && Date.parse(e.timestamp) >= T0 + (h - 1) * HOUR && Date.parse(e.timestamp) < T0 + h * HOUR).length;

const monitor = (over: Record<string, unknown>) => ({
  model: 'm',
  name: 'count',
  metric: 'PREDICTION_COUNT',
  window: '1h',
  schedule: '0 * * * *',
  comparator: 'LT',
  warningThreshold: 1,
  ...over,
});

beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY }, now: T0 + 6 * HOUR });
  await createModel(s, 'm');
  for (const v of ['v1', 'v2']) expect((await gql(`mutation { createModelVersion(input: { model: "m", name: "${v}" }) { name } }`)).errors).toBeUndefined();
  const seg = await gql(`mutation { createSegment(input: { model: "m", name: "k0", conditions: [{ feature: "c", in: ["k0"] }] }) { name } }`);
  expect(seg.errors).toBeUndefined();
  expect((await postNdjson(s, 'm', 'predictions', ndjson(events))).json.accepted).toBe(36);
});
afterAll(async () => {
  await s.stop(true);
});

describe('monitors narrowed to a version or a segment', () => {
  it('refuses unknown names naming the field, on create and backtest', async () => {
    const create = `mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`;
    expect((await gql(create, { input: monitor({ version: 'v9' }) })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.version' });
    expect((await gql(create, { input: monitor({ segment: 'k9' }) })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.segment' });
    const backtest = `mutation($input: CreateMonitorInput!) { backtestMonitor(input: $input, from: "2024-05-06T00:00:00Z", to: "2024-05-06T03:00:00Z") { value } }`;
    expect((await gql(backtest, { input: monitor({ segment: 'k9' }) })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.segment' });
    expect((await gql(`{ monitors(model: "m") { id } }`)).data.monitors).toEqual([]);
  });

  it('stores and shows the narrowing, evaluates on the narrowed events, and updateMonitor changes or clears it', async () => {
    const r = await gql(`mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { ${FIELDS} } }`, { input: monitor({ version: 'v2', segment: 'k0' }) });
    expect(r.errors).toBeUndefined();
    const id = r.data.createMonitor.id;
    expect(r.data.createMonitor).toEqual({ id, version: 'v2', segment: 'k0' });

    const evaluate = async (h: number) => (await gql(`mutation { evaluateMonitor(id: ${id}, at: "${new Date(T0 + h * HOUR).toISOString()}") { value sampleSize } }`)).data.evaluateMonitor;
    const v2k0 = (e: (typeof events)[number]) => e.modelVersion === 'v2' && e.features.c === 'k0';
    expect(inHour(2, v2k0)).toBeGreaterThan(0);
    expect(await evaluate(2)).toMatchObject({ value: inHour(2, v2k0) });

    const UPDATE = `mutation($id: ID!, $input: UpdateMonitorInput!) { updateMonitor(id: $id, input: $input) { ${FIELDS} } }`;
    const bad = await gql(UPDATE, { id, input: { version: 'v3' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.version' });
    // null leaves it, "" clears it
    const cleared = await gql(UPDATE, { id, input: { version: '', segment: null } });
    expect(cleared.data.updateMonitor).toEqual({ id, version: null, segment: 'k0' });
    expect(await evaluate(3)).toMatchObject({ value: inHour(3, (e) => e.features.c === 'k0') });
    const v1 = await gql(UPDATE, { id, input: { version: 'v1', segment: '' } });
    expect(v1.data.updateMonitor).toEqual({ id, version: 'v1', segment: null });
    expect(await evaluate(4)).toMatchObject({ value: inHour(4, (e) => e.modelVersion === 'v1') });
    expect((await gql(`{ monitor(id: ${id}) { ${FIELDS} } }`)).data.monitor).toEqual({ id, version: 'v1', segment: null });
  });

  it('a configuration file narrows a monitor to a version and segment of the server, exports and updates it', async () => {
    const yaml = (version: string) =>
      `monitors:\n  - { model: m, name: from-file, metric: PREDICTION_COUNT, window: 1h, schedule: "0 * * * *", comparator: LT, warningThreshold: 1, version: ${version}, segment: k0 }\n`;
    const APPLY = `mutation($y: String!) { applyConfig(yaml: $y) { changes { action name details } } }`;
    const created = await gql(APPLY, { y: yaml('v1') });
    expect(created.errors).toBeUndefined();
    expect(created.data.applyConfig.changes).toEqual([{ action: 'CREATE', name: 'm/from-file', details: [] }]);
    const listed = (await gql(`{ monitors(model: "m") { name version segment } }`)).data.monitors;
    expect(listed.find((m: any) => m.name === 'from-file')).toEqual({ name: 'from-file', version: 'v1', segment: 'k0' });
    expect((await gql(`{ exportConfig }`)).data.exportConfig).toMatch(/name: from-file[\s\S]*version: v1\n\s*segment: k0/);
    const updated = await gql(APPLY, { y: yaml('v2') });
    expect(updated.data.applyConfig.changes).toEqual([{ action: 'UPDATE', name: 'm/from-file', details: ['version: "v1" -> "v2"'] }]);
    const unknown = await gql(APPLY, { y: yaml('v9') });
    expect(unknown.errors?.[0]?.message).toBe('the configuration has 1 error; nothing was changed');
    expect(unknown.errors?.[1]?.message).toBe('monitors[0].version: model m has no version named "v9", neither in this file\'s versions nor on the server');
  });

  it('backtests on the narrowed events', async () => {
    const r = await gql(`mutation($input: CreateMonitorInput!) { backtestMonitor(input: $input, from: "2024-05-06T00:30:00Z", to: "2024-05-06T06:30:00Z") { at value } }`, {
      input: monitor({ name: 'bt', version: 'v1', segment: 'k0' }),
    });
    expect(r.errors).toBeUndefined();
    const want = [1, 2, 3, 4, 5, 6].map((h) => ({ at: new Date(T0 + h * HOUR).toISOString(), value: inHour(h, (e) => e.modelVersion === 'v1' && e.features.c === 'k0') }));
    expect(r.data.backtestMonitor).toEqual(want);
    expect(want.some((w) => w.value > 0)).toBe(true);
  });
});
