import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

const CREATE = `mutation($input: CreateModelInput!) { createModel(input: $input) { id name task positiveClass decisionThreshold features { name type protected min max } createdAt } }`;
const base = () => ({
  name: 'credit-risk',
  task: 'BINARY_CLASSIFICATION',
  positiveClass: 'default',
  features: [
    { name: 'income', type: 'NUMERIC', min: 0 },
    { name: 'gender', type: 'CATEGORICAL', protected: true },
  ],
});

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop(true);
});

describe('model registry', () => {
  it('creates, reads, updates and deletes a model', async () => {
    const c = await s.gql(CREATE, { input: base() });
    expect(c.errors).toBeUndefined();
    expect(c.data.createModel).toMatchObject({
      name: 'credit-risk',
      decisionThreshold: 0.5,
      createdAt: '2024-05-06T00:00:00.000Z',
      features: [
        { name: 'income', type: 'NUMERIC', protected: false, min: 0, max: null },
        { name: 'gender', type: 'CATEGORICAL', protected: true, min: null, max: null },
      ],
    });
    const list = await s.gql(`{ models { name } model(name: "credit-risk") { task } missing: model(name: "nope") { name } }`);
    expect(list.data).toEqual({ models: [{ name: 'credit-risk' }], model: { task: 'BINARY_CLASSIFICATION' }, missing: null });

    const u = await s.gql(`mutation { updateModel(name: "credit-risk", input: { description: "v2", decisionThreshold: 0.7 }) { description decisionThreshold } }`);
    expect(u.data.updateModel).toEqual({ description: 'v2', decisionThreshold: 0.7 });

    const d = await s.gql(`mutation { deleteModel(name: "credit-risk") }`);
    expect(d.data.deleteModel).toBe(true);
    expect((await s.gql(`{ models { name } }`)).data.models).toEqual([]);
    const again = await s.gql(`mutation { deleteModel(name: "credit-risk") }`);
    expect(again.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('refuses a taken name with CONFLICT', async () => {
    await s.gql(CREATE, { input: { ...base(), name: 'dup' } });
    const r = await s.gql(CREATE, { input: { ...base(), name: 'dup' } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
  });

  const invalid: Array<[string, (i: any) => void, string]> = [
    ['name not a slug', (i) => (i.name = 'Credit Risk'), 'input.name'],
    ['name too long', (i) => (i.name = 'a'.repeat(65)), 'input.name'],
    ['no features', (i) => (i.features = []), 'input.features'],
    ['duplicate feature', (i) => i.features.push({ name: 'income', type: 'NUMERIC' }), 'input.features[2].name'],
    ['binary without positiveClass', (i) => delete i.positiveClass, 'input.positiveClass'],
    ['threshold 0', (i) => (i.decisionThreshold = 0), 'input.decisionThreshold'],
    ['threshold 1', (i) => (i.decisionThreshold = 1), 'input.decisionThreshold'],
    ['protected numeric', (i) => (i.features[0].protected = true), 'input.features[0].protected'],
    ['min above max', (i) => Object.assign(i.features[0], { min: 5, max: 1 }), 'input.features[0].min'],
    ['bounds on categorical', (i) => (i.features[1].max = 3), 'input.features[1].min'],
  ];
  it.each(invalid)('rejects %s, naming the field and writing nothing', async (_name, mutate, field) => {
    const input = base();
    input.name = 'invalid-one';
    mutate(input);
    const r = await s.gql(CREATE, { input });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.errors?.[0].message).toContain(field);
    const models = (await s.gql(`{ models { name } }`)).data.models.map((m: any) => m.name);
    expect(models).not.toContain('invalid-one');
  });

  it('rejects a threshold update out of range and on a regression model', async () => {
    await s.gql(CREATE, { input: { name: 'reg', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] } });
    const r1 = await s.gql(`mutation { updateModel(name: "reg", input: { decisionThreshold: 0.3 }) { name } }`);
    expect(r1.errors?.[0].extensions.field).toBe('input.decisionThreshold');
    const r2 = await s.gql(`mutation { updateModel(name: "dup", input: { decisionThreshold: 1.5 }) { name } }`);
    expect(r2.errors?.[0].extensions.field).toBe('input.decisionThreshold');
  });

  it('writes an audit entry per mutation, without secrets', async () => {
    const k = await s.gql(`mutation { createApiKey(name: "ops", role: VIEWER) { secret apiKey { id } } }`);
    const secret = k.data.createApiKey.secret as string;
    const log = await s.gql(`{ auditLog(limit: 50) { actor action target details } }`, {}, secret);
    const actions = log.data.auditLog.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['createModel', 'updateModel', 'deleteModel', 'createApiKey']));
    expect(log.data.auditLog[0]).toMatchObject({ actor: 'local', action: 'createApiKey', target: 'ops' });
    expect(JSON.stringify(log.data.auditLog)).not.toContain(secret);
  });
});
