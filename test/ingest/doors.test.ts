// The three doors (NDJSON, GraphQL, CLI) on the fixtures and on hand-made bodies:
// counts, duplicates, delayed actuals, rejections by index, roles and unreadable bodies.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ADMIN_KEY, createFixtureModel, createModel, fixture, ndjson, postNdjson, prediction, storedEvents } from './support.js';
import { storedValue } from '../helpers/stored-rows.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
});
afterAll(async () => {
  await s.stop(true);
});

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('NDJSON door', () => {
  it('loads a fixture: baseline, events, delayed actuals; a second upload is all duplicates', async () => {
    await createFixtureModel(s, 'seattle-weather', 'sw');
    const base = await postNdjson(s, 'sw', 'baseline', fixture('seattle-weather', 'baseline.ndjson'));
    expect(base.json).toEqual({ accepted: 366, duplicates: 0, rejected: 0, errors: [] });
    const ev = await postNdjson(s, 'sw', 'predictions', fixture('seattle-weather', 'events.ndjson'));
    expect(ev.json).toEqual({ accepted: 1095, duplicates: 0, rejected: 0, errors: [] });
    const act = await postNdjson(s, 'sw', 'actuals', fixture('seattle-weather', 'actuals.ndjson'));
    expect(act.json).toEqual({ accepted: 1048, duplicates: 0, rejected: 0, errors: [] });
    const again = await postNdjson(s, 'sw', 'predictions', fixture('seattle-weather', 'events.ndjson'));
    expect(again.json).toEqual({ accepted: 0, duplicates: 1095, rejected: 0, errors: [] });

    const events = lines(fixture('seattle-weather', 'events.ndjson'));
    const labelled = new Set([...events.filter((e) => e.actualLabel != null), ...lines(fixture('seattle-weather', 'actuals.ndjson'))].map((e) => e.eventId));
    const stored = (await storedEvents(s, 'sw'));
    expect(stored).toHaveLength(1095);
    expect(stored.filter((e) => e.actual_label !== null)).toHaveLength(labelled.size);
    // the features are kept exactly as they came
    expect(stored[0]!.features).toBe(/"features":(\{[^}]*\})/.exec(fixture('seattle-weather', 'events.ndjson'))![1]);
    expect(stored[0]!.features).toContain('"precipitation":0.0');
    const m = await s.gql(`{ model(name: "sw") { baseline { rowCount updatedAt } } }`, {}, ADMIN_KEY);
    expect(m.data.model.baseline).toEqual({ rowCount: 366, updatedAt: new Date(s.clock.now()).toISOString() });
  });

  it('counts a duplicate inside one request once and never overwrites the first', async () => {
    await createModel(s, 'dup');
    const r = await postNdjson(s, 'dup', 'predictions', ndjson([prediction(1), prediction(2), prediction(1, { score: 0.99 })]));
    expect(r.json).toEqual({ accepted: 2, duplicates: 1, rejected: 0, errors: [] });
    const r2 = await postNdjson(s, 'dup', 'predictions', ndjson([prediction(2, { score: 0.01, actualLabel: 'yes' }), prediction(3)]));
    expect(r2.json).toEqual({ accepted: 1, duplicates: 1, rejected: 0, errors: [] });
    const stored = (await storedEvents(s, 'dup'));
    expect(stored.map((e) => [e.event_id, e.score, e.actual_label])).toEqual([
      ['ev-1', 0.01, null],
      ['ev-2', 0.02, null],
      ['ev-3', 0.03, null],
    ]);
  });

  it('rejects exactly the bad lines of a 1000-line body, by 0-based line number', async () => {
    await createModel(s, 'bad3');
    const body = Array.from({ length: 1000 }, (_, i) => JSON.stringify(prediction(i)));
    body[17] = '{"eventId": "ev-17", "timestamp": ';
    body[500] = JSON.stringify(prediction(500, { score: 1.5 }));
    body[999] = JSON.stringify(prediction(999, { timestamp: '2024-05-06' }));
    const r = await postNdjson(s, 'bad3', 'predictions', body.join('\r\n'));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accepted: 997, duplicates: 0, rejected: 3 });
    expect(r.json.errors.map((e: { index: number }) => e.index)).toEqual([17, 500, 999]);
    expect(r.json.errors[0].message).toMatch(/^line: not valid JSON/);
    expect(r.json.errors[1]).toEqual({ index: 500, eventId: 'ev-500', message: 'score: must be in [0, 1], got 1.5' });
    expect(r.json.errors[2].message).toMatch(/^timestamp: "2024-05-06" is not an ISO-8601 instant/);
    expect((await storedEvents(s, 'bad3'))).toHaveLength(997);
  });

  it('skips blank lines but keeps their numbers', async () => {
    await createModel(s, 'blank');
    const r = await postNdjson(s, 'blank', 'predictions', `\n${JSON.stringify(prediction(1))}\n   \n{"eventId":"x"}\n`);
    expect(r.json).toMatchObject({ accepted: 1, rejected: 1, errors: [{ index: 3, eventId: 'x', message: 'timestamp: is required' }] });
  });

  it('keeps an actual that comes first and joins it when the prediction arrives; a new actual replaces it', async () => {
    await createModel(s, 'late');
    expect((await postNdjson(s, 'late', 'actuals', ndjson([{ eventId: 'ev-1', actualLabel: 'no' }, { eventId: 'ev-1', actualLabel: 'yes' }]))).json).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: 0,
      errors: [],
    });
    expect((await storedEvents(s, 'late'))).toHaveLength(0);
    await postNdjson(s, 'late', 'predictions', ndjson([prediction(1), prediction(2)]));
    expect((await storedEvents(s, 'late')).map((e) => e.actual_label)).toEqual(['yes', null]);
    expect(await storedValue(s.deps.store, 'SELECT count(*) AS n FROM pending_actuals')).toBe(0);
    await postNdjson(s, 'late', 'actuals', ndjson([{ eventId: 'ev-1', actualLabel: 'no' }, { eventId: 'ev-2', actualLabel: 'yes' }]));
    expect((await storedEvents(s, 'late')).map((e) => e.actual_label)).toEqual(['no', 'yes']);
  });

  it('takes a gzip-compressed body', async () => {
    await createModel(s, 'gz');
    const r = await s.post('/v1/models/gz/predictions', gzipSync(ndjson([prediction(1), prediction(2)])), {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      authorization: `Bearer ${ADMIN_KEY}`,
    });
    expect(r.json).toEqual({ accepted: 2, duplicates: 0, rejected: 0, errors: [] });
  });

  it('answers 404, 401, 403 and 400 before storing anything', async () => {
    await createModel(s, 'guarded');
    const body = ndjson([prediction(1)]);
    expect((await postNdjson(s, 'nope', 'predictions', body)).status).toBe(404);
    expect((await s.post('/v1/models/guarded/predictions', body, { 'content-type': 'application/x-ndjson' })).status).toBe(401);
    const viewer = await s.gql(`mutation { createApiKey(name: "viewer", role: VIEWER) { secret } }`, {}, ADMIN_KEY);
    const denied = await postNdjson(s, 'guarded', 'predictions', body, viewer.data.createApiKey.secret);
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('FORBIDDEN');
    const binary = await postNdjson(s, 'guarded', 'predictions', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x0a]));
    expect(binary.status).toBe(400);
    expect(binary.json.error.message).toMatch(/NUL byte/);
    const form = await s.post('/v1/models/guarded/predictions', body, { 'content-type': 'multipart/form-data; boundary=x', authorization: `Bearer ${ADMIN_KEY}` });
    expect(form.status).toBe(400);
    expect((await storedEvents(s, 'guarded'))).toHaveLength(0);
    const ingestKey = await s.gql(`mutation { createApiKey(name: "feeder", role: INGEST) { secret } }`, {}, ADMIN_KEY);
    expect((await postNdjson(s, 'guarded', 'predictions', body, ingestKey.data.createApiKey.secret)).json.accepted).toBe(1);
  });
});

const LOG = `mutation($m: String!, $p: [PredictionInput!]!) { logPredictions(model: $m, predictions: $p) { accepted duplicates rejected errors { index eventId message } } }`;
const ACTUALS = `mutation($m: String!, $a: [ActualInput!]!) { logActuals(model: $m, actuals: $a) { accepted duplicates rejected errors { index eventId message } } }`;

describe('GraphQL door', () => {
  it('loads the penguins fixture, with list positions as error indexes, and audits one entry a call', async () => {
    await createFixtureModel(s, 'penguins', 'pg');
    const rows = lines(fixture('penguins', 'baseline.ndjson'));
    const b = await s.gql(`mutation($r: [BaselineRowInput!]!) { setBaseline(model: "pg", rows: $r) { rowCount } }`, { r: rows }, ADMIN_KEY);
    expect(b.data.setBaseline).toEqual({ rowCount: 137 });
    const events = lines(fixture('penguins', 'events.ndjson'));
    const bad = { ...events[0], eventId: 'pg-bad', score: 7 };
    const r = await s.gql(LOG, { m: 'pg', p: [...events, events[3], bad] }, ADMIN_KEY);
    expect(r.data.logPredictions).toEqual({
      accepted: 207,
      duplicates: 1,
      rejected: 1,
      errors: [{ index: 208, eventId: 'pg-bad', message: 'score: must be in [0, 1], got 7' }],
    });
    const a = await s.gql(ACTUALS, { m: 'pg', a: lines(fixture('penguins', 'actuals.ndjson')) }, ADMIN_KEY);
    expect(a.data.logActuals).toMatchObject({ accepted: 193, rejected: 0 });
    const audit = await s.gql(`{ auditLog(limit: 3) { actor action target details } }`, {}, ADMIN_KEY);
    expect(audit.data.auditLog.map((e: { action: string }) => e.action)).toEqual(['logActuals', 'logPredictions', 'setBaseline']);
    expect(audit.data.auditLog[1].details).toEqual({ via: 'graphql', accepted: 207, duplicates: 1, rejected: 1 });
  });

  it('sets a baseline from a window of logged events, and refuses an empty window', async () => {
    const w = await s.gql(`mutation { setBaselineFromWindow(model: "pg", from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z") { rowCount } }`, {}, ADMIN_KEY);
    const inDay = lines(fixture('penguins', 'events.ndjson')).filter((e) => String(e.timestamp) < '2024-05-07').length;
    expect(w.data.setBaselineFromWindow).toEqual({ rowCount: inDay });
    const empty = await s.gql(`mutation { setBaselineFromWindow(model: "pg", from: "2020-01-01T00:00:00Z", to: "2020-01-02T00:00:00Z") { rowCount } }`, {}, ADMIN_KEY);
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('names the row and field of a bad baseline row, and keeps the old baseline', async () => {
    const r = await s.gql(`mutation($r: [BaselineRowInput!]!) { setBaseline(model: "pg", rows: $r) { rowCount } }`, { r: [{ features: {} }, { features: [] }] }, ADMIN_KEY);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rows[1].features' });
    const m = await s.gql(`{ model(name: "pg") { baseline { rowCount } } }`, {}, ADMIN_KEY);
    expect(m.data.model.baseline.rowCount).toBeGreaterThan(2);
  });

  it('needs the INGEST role and an existing model', async () => {
    const viewer = await s.gql(`mutation { createApiKey(name: "v2", role: VIEWER) { secret } }`, {}, ADMIN_KEY);
    const r = await s.gql(LOG, { m: 'pg', p: [] }, viewer.data.createApiKey.secret);
    expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const nf = await s.gql(LOG, { m: 'nope', p: [] }, ADMIN_KEY);
    expect(nf.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});
