// Segments over the real server: created with their conditions checked against the
// model's features (errors name the condition's field), applied to the events stored
// before them and to later ones, listed, and deleted unless a monitor is narrowed to one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ADMIN_KEY, createModel, ndjson, postNdjson, prediction } from '../ingest/support.js';

let s: TestServer;
const gql = (q: string, v?: Record<string, unknown>) => s.gql(q, v, ADMIN_KEY);
const CREATE = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { name createdAt conditions { feature in gte gt lte lt isMissing } } }`;
const FROM = '2024-05-06T00:00:00Z';
const TO = '2024-05-07T00:00:00Z';

const traffic = (segment: string | null, version: string | null = null) =>
  gql(`query($s: String, $v: String) { model(name: "m") { traffic(from: "${FROM}", to: "${TO}", segment: $s, version: $v) { predictionCount } } }`, { s: segment, v: version });
const count = async (segment: string | null, version: string | null = null) => (await traffic(segment, version)).data.model.traffic.predictionCount as number;

beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
  await createModel(s, 'm');
});
afterAll(async () => {
  await s.stop(true);
});

// prediction(i): x = i % 97, c = `k${i % 5}`
const inK1orK2 = (i: number) => i % 5 === 1 || i % 5 === 2;

describe('segments', () => {
  it('applies to the events stored before it and to later ones, and narrows with a version', async () => {
    const before = Array.from({ length: 40 }, (_, i) => prediction(i));
    expect((await postNdjson(s, 'm', 'predictions', ndjson(before))).json.accepted).toBe(40);

    const r = await gql(CREATE, { input: { model: 'm', name: 'k1-k2', conditions: [{ feature: 'c', in: ['k1', 'k2'] }] } });
    expect(r.errors).toBeUndefined();
    expect(r.data.createSegment).toEqual({
      name: 'k1-k2',
      createdAt: new Date(s.clock.now()).toISOString(),
      conditions: [{ feature: 'c', in: ['k1', 'k2'], gte: null, gt: null, lte: null, lt: null, isMissing: null }],
    });
    const mid = await gql(CREATE, { input: { model: 'm', name: 'x-mid', conditions: [{ feature: 'x', gte: 10, lt: 20 }] } });
    expect(mid.errors).toBeUndefined();
    expect(await count('k1-k2')).toBe(before.filter((_, i) => inK1orK2(i)).length);
    expect(await count('x-mid')).toBe(10);

    // later events, some of a version
    await gql(`mutation { createModelVersion(input: { model: "m", name: "v1" }) { name } }`);
    const later = Array.from({ length: 30 }, (_, j) => prediction(100 + j));
    expect((await postNdjson(s, 'm', 'predictions', ndjson(later))).json.accepted).toBe(30);
    const all = [...before.map((_, i) => i), ...later.map((_, j) => 100 + j)];
    expect(await count(null)).toBe(70);
    expect(await count('k1-k2')).toBe(all.filter(inK1orK2).length);
    expect(await count('k1-k2', 'v1')).toBe(later.filter((_, j) => inK1orK2(100 + j)).length);
    expect(await count('x-mid')).toBe(all.filter((i) => i % 97 >= 10 && i % 97 < 20).length);

    const list = await gql(`{ model(name: "m") { segments { name } } }`);
    expect(list.data.model.segments).toEqual([{ name: 'k1-k2' }, { name: 'x-mid' }]);
    expect((await traffic('nope')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'segment' });
  });

  it('refuses bad definitions naming the field, and a taken name with CONFLICT', async () => {
    const bad: Array<[unknown, string]> = [
      [{ name: 'Bad Name', conditions: [{ feature: 'c', in: ['k1'] }] }, 'input.name'],
      [{ name: 's', conditions: [] }, 'input.conditions'],
      [{ name: 's', conditions: [{ feature: 'z', in: ['a'] }] }, 'input.conditions[0].feature'],
      [{ name: 's', conditions: [{ feature: 'c', gte: 1 }] }, 'input.conditions[0].gte'],
      [{ name: 's', conditions: [{ feature: 'x', gte: 5, lt: 5 }] }, 'input.conditions[0].lt'],
      [{ name: 's', conditions: [{ feature: 'x' }] }, 'input.conditions[0]'],
      [{ name: 's', conditions: [{ feature: 'x', isMissing: true, lt: 3 }] }, 'input.conditions[0].isMissing'],
    ];
    for (const [input, field] of bad) {
      const r = await gql(CREATE, { input: { model: 'm', ...(input as object) } });
      expect(r.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const dup = await gql(CREATE, { input: { model: 'm', name: 'k1-k2', conditions: [{ feature: 'x', isMissing: true }] } });
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    expect((await gql(CREATE, { input: { model: 'nope', name: 's', conditions: [{ feature: 'x', isMissing: true }] } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('deleteSegment refuses while a monitor uses the segment, naming it; then deletes, audited', async () => {
    const mon = await gql(`mutation { createMonitor(input: { model: "m", name: "k traffic", metric: PREDICTION_COUNT, window: "1h", schedule: "0 * * * *", comparator: LT, warningThreshold: 1, segment: "k1-k2" }) { id segment } }`);
    expect(mon.errors).toBeUndefined();
    expect(mon.data.createMonitor.segment).toBe('k1-k2');
    const refused = await gql(`mutation { deleteSegment(model: "m", name: "k1-k2") }`);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect(refused.errors?.[0]?.message).toContain(`k traffic (id ${mon.data.createMonitor.id})`);

    expect((await gql(`mutation { deleteSegment(model: "m", name: "x-mid") }`)).data.deleteSegment).toBe(true);
    expect((await gql(`mutation { deleteSegment(model: "m", name: "x-mid") }`)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await traffic('x-mid')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'segment' });
    await gql(`mutation { deleteMonitor(id: ${mon.data.createMonitor.id}) }`);
    expect((await gql(`mutation { deleteSegment(model: "m", name: "k1-k2") }`)).data.deleteSegment).toBe(true);
    expect((await gql(`{ model(name: "m") { segments { name } } }`)).data.model.segments).toEqual([]);
    // the model's own statistics are untouched
    expect(await count(null)).toBe(70);

    const audit = await gql(`{ auditLog(limit: 20) { action target details } }`);
    const actions = audit.data.auditLog.filter((e: any) => e.action.endsWith('Segment')).map((e: any) => [e.action, e.details.name]);
    expect(actions).toEqual([
      ['deleteSegment', 'k1-k2'],
      ['deleteSegment', 'x-mid'],
      ['createSegment', 'x-mid'],
      ['createSegment', 'k1-k2'],
    ]);
  });
});
