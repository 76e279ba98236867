// Model versions over the real server: created (current by default), switched, a version's
// own baseline (GraphQL, NDJSON ?version=, the CLI's --model-version), and predictions
// attributed to a version by modelVersion or to the current one, with their attributions,
// through every door (GraphQL, NDJSON, CSV). Errors name the argument or the line's field.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { storedRows } from '../helpers/stored-rows.js';
import { runIngestFile } from '../../src/cli/ingest.js';
import { ADMIN_KEY, createModel, ingestCli, ndjson, postNdjson, prediction } from '../ingest/support.js';

let s: TestServer;
const gql = (q: string, v?: Record<string, unknown>) => s.gql(q, v, ADMIN_KEY);
const CREATE = `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { name description createdAt baseline { rowCount } } }`;
const FROM = '2024-05-06T00:00:00Z';
const TO = '2024-05-07T00:00:00Z';

beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
  await createModel(s, 'm');
});
afterAll(async () => {
  await s.stop(true);
});

/** The stored events' version names and attributions, by eventId. */
async function storedVersions(): Promise<Record<string, { version: string | null; attributions: string | null }>> {
  const rows = await storedRows<{ event_id: string; version: string | null; attributions: string | null }>(
    s.deps.store,
    `SELECT e.event_id, v.name AS version, e.attributions FROM events e JOIN models m ON m.id = e.model_id
     LEFT JOIN model_versions v ON v.id = e.version_id WHERE m.name = ? ORDER BY e.event_id`,
    'm',
  );
  return Object.fromEntries(rows.map((r) => [r.event_id, { version: r.version, attributions: r.attributions }]));
}

const traffic = async (version?: string) =>
  gql(`query($v: String) { model(name: "m") { traffic(from: "${FROM}", to: "${TO}", version: $v) { predictionCount } } }`, { v: version ?? null });

describe('versions', () => {
  it('creates versions (current unless makeCurrent is false), lists them oldest first, and refuses bad input naming the field', async () => {
    const before = await gql(`{ model(name: "m") { versions { name } currentVersion } }`);
    expect(before.data.model).toEqual({ versions: [], currentVersion: null });
    // an event before any version belongs to none
    expect((await gql(`mutation($p: [PredictionInput!]!) { logPredictions(model: "m", predictions: $p) { accepted } }`, { p: [prediction(0)] })).data.logPredictions.accepted).toBe(1);

    const v1 = await gql(CREATE, { input: { model: 'm', name: 'v1', description: 'first' } });
    expect(v1.errors).toBeUndefined();
    expect(v1.data.createModelVersion).toEqual({ name: 'v1', description: 'first', createdAt: new Date(s.clock.now()).toISOString(), baseline: null });
    s.clock.advance(1000);
    const v2 = await gql(CREATE, { input: { model: 'm', name: 'v2', makeCurrent: false } });
    expect(v2.errors).toBeUndefined();
    const after = await gql(`{ model(name: "m") { versions { name description } currentVersion } }`);
    expect(after.data.model).toEqual({ versions: [{ name: 'v1', description: 'first' }, { name: 'v2', description: null }], currentVersion: 'v1' });

    const dup = await gql(CREATE, { input: { model: 'm', name: 'v1' } });
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    const bad = await gql(CREATE, { input: { model: 'm', name: 'V 1' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const noModel = await gql(CREATE, { input: { model: 'nope', name: 'v1' } });
    expect(noModel.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const audit = await gql(`{ auditLog(limit: 20) { action target details } }`);
    const created = audit.data.auditLog.filter((e: any) => e.action === 'createModelVersion');
    expect(created.map((e: any) => [e.target, e.details.name, e.details.makeCurrent])).toEqual([
      ['m', 'v2', false],
      ['m', 'v1', true],
    ]);
  });

  it('attributes predictions to their modelVersion, else the current version; rejects unknown versions and bad attributions naming the field', async () => {
    const p = [
      prediction(1, { modelVersion: 'v2', attributions: { x: 0.5, c: -0.25 } }),
      prediction(2),
      prediction(3, { modelVersion: 'v9' }),
      prediction(4, { attributions: { x: 'big' } }),
      prediction(5, { attributions: { y: 1 } }),
    ];
    const r = await gql(`mutation($p: [PredictionInput!]!) { logPredictions(model: "m", predictions: $p) { accepted rejected errors { index eventId message } } }`, { p });
    expect(r.errors).toBeUndefined();
    expect(r.data.logPredictions.accepted).toBe(2);
    expect(r.data.logPredictions.errors).toEqual([
      { index: 2, eventId: 'ev-3', message: 'modelVersion: model m has no version named "v9" (versions: v1, v2)' },
      { index: 3, eventId: 'ev-4', message: 'attributions.x: must be a finite number, got "big"' },
      { index: 4, eventId: 'ev-5', message: expect.stringMatching(/^attributions\.y: the model has no feature named "y"/) },
    ]);

    const set = await gql(`mutation { setCurrentVersion(model: "m", version: "v2") { name currentVersion } }`);
    expect(set.data.setCurrentVersion).toEqual({ name: 'm', currentVersion: 'v2' });
    const unknown = await gql(`mutation { setCurrentVersion(model: "m", version: "v3") { name } }`);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });

    // NDJSON: absent = the current version (now v2), named = that one, unknown = a rejected line
    const body = ndjson([prediction(6), prediction(7, { modelVersion: 'v1', attributions: { c: 2 } }), prediction(8, { modelVersion: 'nope' })]);
    const nd = await postNdjson(s, 'm', 'predictions', body);
    expect(nd.json).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 2, eventId: 'ev-8', message: expect.stringMatching(/^modelVersion: model m has no version named "nope"/) }] });

    // CSV: the modelVersion column and attributions.<feature> columns
    const file = join(s.dir, 'versions.csv');
    const csv = ['eventId,timestamp,score,x,c,modelVersion,attributions.x', `ev-9,2024-05-06T01:00:00Z,0.4,3,k1,v1,-1.5`, `ev-10,2024-05-06T01:00:01Z,0.4,3,k1,,`, `ev-11,2024-05-06T01:00:02Z,0.4,3,k1,v7,`];
    writeFileSync(file, csv.join('\n') + '\n');
    const c = await runIngestFile(s.deps, { model: 'm', kind: 'predictions', file });
    expect(c).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 3, eventId: 'ev-11', message: expect.stringMatching(/^modelVersion: /) }] });

    expect(await storedVersions()).toEqual({
      'ev-0': { version: null, attributions: null },
      'ev-1': { version: 'v2', attributions: '{"x":0.5,"c":-0.25}' },
      'ev-2': { version: 'v1', attributions: null },
      'ev-6': { version: 'v2', attributions: null },
      'ev-7': { version: 'v1', attributions: '{"c":2}' },
      'ev-9': { version: 'v1', attributions: '{"x":-1.5}' },
      'ev-10': { version: 'v2', attributions: null },
    });
    // narrowed to a version, a metric counts that version's events only
    expect((await traffic()).data.model.traffic.predictionCount).toBe(7);
    expect((await traffic('v1')).data.model.traffic.predictionCount).toBe(3);
    expect((await traffic('v2')).data.model.traffic.predictionCount).toBe(3);
    const bad = await traffic('v5');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
  });

  it("replaces a version's own baseline by GraphQL, NDJSON ?version= and the CLI; the model's stays", async () => {
    const rows = [{ features: { x: 1, c: 'a' }, score: 0.2, attributions: { x: 0.1 } }, { features: { x: 2, c: 'b' }, score: 0.7 }];
    const SET = `mutation($r: [BaselineRowInput!]!, $v: String!) { setVersionBaseline(model: "m", version: $v, rows: $r) { rowCount updatedAt } }`;
    const ok = await gql(SET, { r: rows, v: 'v1' });
    expect(ok.data.setVersionBaseline).toEqual({ rowCount: 2, updatedAt: new Date(s.clock.now()).toISOString() });
    const badRow = await gql(SET, { r: [rows[0], { features: { x: 1 }, attributions: { x: null } }], v: 'v1' });
    expect(badRow.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rows[1].attributions.x' });
    const badVersion = await gql(SET, { r: rows, v: 'v0' });
    expect(badVersion.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });

    const nd = await s.post('/v1/models/m/baseline?version=v2', ndjson([...rows, { features: { x: 3 }, attributions: { z: 1 } }, { features: { x: 4, c: 'a' }, score: 0.1 }]), {
      'content-type': 'application/x-ndjson',
      authorization: `Bearer ${ADMIN_KEY}`,
    });
    expect(nd.json).toMatchObject({ accepted: 3, rejected: 1, errors: [{ index: 2, message: expect.stringMatching(/^attributions\.z: /) }] });
    const noSuch = await s.post('/v1/models/m/baseline?version=v9', ndjson(rows), { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN_KEY}` });
    expect(noSuch.status).toBe(400);
    expect(noSuch.json.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
    const onPredictions = await s.post('/v1/models/m/predictions?version=v1', ndjson([prediction(20)]), { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN_KEY}` });
    expect(onPredictions.status).toBe(400);
    expect(onPredictions.json.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });

    const q = await gql(`{ model(name: "m") { baseline { rowCount } versions { name baseline { rowCount } } } }`);
    expect(q.data.model).toEqual({ baseline: null, versions: [{ name: 'v1', baseline: { rowCount: 2 } }, { name: 'v2', baseline: { rowCount: 3 } }] });

    const file = join(s.dir, 'v1-baseline.csv');
    writeFileSync(file, ['x,c,score,attributions.c', '1,a,0.3,0.5', '2,b,0.6,', '3,c,0.9,'].join('\n') + '\n');
    const c = await runIngestFile(s.deps, { model: 'm', kind: 'baseline', file, version: 'v1' });
    expect(c).toMatchObject({ accepted: 3, rejected: 0 });
    const v1 = await gql(`{ model(name: "m") { baseline { rowCount } versions { name baseline { rowCount } } } }`);
    expect(v1.data.model.versions[0]).toEqual({ name: 'v1', baseline: { rowCount: 3 } });
    expect(v1.data.model.baseline).toBeNull();

    const audit = await gql(`{ auditLog(limit: 5) { action target details } }`);
    expect(audit.data.auditLog[0]).toMatchObject({ action: 'setVersionBaseline', target: 'm', details: { version: 'v1', via: 'cli', rows: 3 } });
  });

  it('glassbox ingest --baseline --model-version V, as its own process', async () => {
    const file = join(s.dir, 'v2-baseline.ndjson');
    writeFileSync(file, ndjson([{ features: { x: 1, c: 'a' }, score: 0.1 }, { features: { x: 5 }, score: 0.9, attributions: { x: 1 } }]));
    const ok = await ingestCli(s.dbPath, '--model', 'm', '--baseline', '--model-version', 'v2', file);
    expect(ok.stdout).toContain('m: baseline rows of version v2 from');
    expect(ok.code).toBe(0);
    const q = await gql(`{ model(name: "m") { baseline { rowCount } versions { name baseline { rowCount } } } }`);
    expect(q.data.model).toEqual({ baseline: null, versions: [{ name: 'v1', baseline: { rowCount: 3 } }, { name: 'v2', baseline: { rowCount: 2 } }] });
    const bad = await ingestCli(s.dbPath, '--model', 'm', '--baseline', '--model-version', 'v7', file);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('has no version named "v7"');
  }, 120_000); // two CLI processes, each compiling the sources (tsx)
});
