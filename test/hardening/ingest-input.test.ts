// Issue 17, items 1-3: what the ingest doors do with hostile input, checked as classes
// (random ids, random nesting depths, random gzip bodies), on the real server.
import { request } from 'node:http';
import { createGzip, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ADMIN_KEY, createModel, ndjson, postNdjson, prediction, storedEvents } from '../ingest/support.js';
import { MAX_VALUE_DEPTH } from '../../src/domain/input/text.js';

let s: TestServer;
let models = 0;
beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
});
afterAll(async () => {
  await s.stop(true);
});

async function freshModel(): Promise<string> {
  const name = `m${++models}`;
  await createModel(s, name);
  return name;
}

const LOG = `mutation($m: String!, $p: [PredictionInput!]!) {
  logPredictions(model: $m, predictions: $p) { accepted duplicates rejected errors { index eventId message } }
}`;

/** Strings of any UTF-16 code units: lone surrogates, NUL, line separators, pairs. */
const anyId = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), minLength: 0, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('tx-\ud800', 'tx-\udfff', '\udc00\ud800', 'a\u0000b', '\u2028', 'é', 'e\u0301', '😀', 'x'.repeat(128), 'x'.repeat(129)),
);

describe('eventIds: idempotent for every id the API accepts', () => {
  it('an id is stored once over NDJSON, GraphQL and a restart, or refused each time with the reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(anyId, { minLength: 1, maxLength: 25 }), async (ids) => {
        const model = await freshModel();
        const lines = ids.map((id, i) => prediction(i, { eventId: id }));
        const first = (await postNdjson(s, model, 'predictions', ndjson(lines))).json;
        const refused = new Map<number, string>(first.errors.map((e: { index: number; message: string }) => [e.index, e.message]));
        for (const message of refused.values()) expect(message).toMatch(/^eventId: /);
        expect(first.accepted).toBe(ids.length - refused.size);

        // again over NDJSON, then over GraphQL: nothing new is stored, the same ids are refused
        const again = (await postNdjson(s, model, 'predictions', ndjson(lines))).json;
        expect(again).toMatchObject({ accepted: 0, duplicates: first.accepted, rejected: refused.size });
        const viaGql = await s.gql(LOG, { m: model, p: lines }, ADMIN_KEY);
        expect(viaGql.data.logPredictions).toMatchObject({ accepted: 0, duplicates: first.accepted, rejected: refused.size });
        for (const e of viaGql.data.logPredictions.errors) expect(e.message).toBe(refused.get(e.index));

        // every accepted id reads back exactly as sent, once
        const stored = (await storedEvents(s, model)).map((e) => e.event_id);
        expect(stored.sort()).toEqual(ids.filter((_, i) => !refused.has(i)).sort());
      }),
      { numRuns: 12 },
    );
    // a restart rebuilds the index from what SQLite holds: still duplicates
    const model = `m${models}`;
    s = await s.restart();
    const rows = (await storedEvents(s, model));
    const back = (await postNdjson(s, model, 'predictions', ndjson(rows.map((r, i) => prediction(i, { eventId: r.event_id }))))).json;
    expect(back).toMatchObject({ accepted: 0, duplicates: rows.length });
  });

  it('names the position of an unpaired surrogate, for actuals too', async () => {
    const model = await freshModel();
    const r = (await postNdjson(s, model, 'actuals', '{"eventId":"tx-\\ud800","actualLabel":"yes"}\n')).json;
    expect(r.errors[0].message).toBe('eventId: is not valid Unicode: an unpaired surrogate (U+D800) at position 3');
    const label = (await postNdjson(s, model, 'predictions', ndjson([prediction(1, { predictedLabel: 'a\udfff' })]))).json;
    expect(label.errors[0].message).toMatch(/^predictedLabel: is not valid Unicode/);
  });
});

describe('U+0000 (PostgreSQL cannot store it): that line or item is rejected naming the field, never a 500', () => {
  const NUL = 'contains a NUL character (U+0000), which cannot be stored';
  it('in an eventId, a label, a feature value or name, at any depth, over NDJSON and GraphQL', async () => {
    const model = await freshModel();
    const lines = [
      prediction(0, { eventId: 'a\u0000b' }),
      prediction(1, { predictedLabel: 'y\u0000' }),
      prediction(2, { features: { x: 1, c: 'k\u0000' } }),
      prediction(3, { features: { x: 1, 'c\u0000': 'k' } }),
      prediction(4, { features: { x: 1, c: { deep: ['ok', '\u0000'] } } }),
      // an escaped backslash followed by u0000 is no NUL
      prediction(5, { features: { x: 1, c: '\\u0000' } }),
    ];
    const want = [
      { index: 0, eventId: null, message: `eventId: ${NUL}` },
      { index: 1, eventId: 'ev-1', message: `predictedLabel: ${NUL}` },
      { index: 2, eventId: 'ev-2', message: `features.c: ${NUL}` },
      { index: 3, eventId: 'ev-3', message: `features: ${NUL}` },
      { index: 4, eventId: 'ev-4', message: `features.c.deep[1]: ${NUL}` },
    ];
    const r = await postNdjson(s, model, 'predictions', ndjson(lines));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accepted: 1, rejected: 5, errors: want });
    expect((await storedEvents(s, model)).map((e) => JSON.parse(e.features).c)).toEqual(['\\u0000']);
    const g = await s.gql(LOG, { m: model, p: lines }, ADMIN_KEY);
    expect(g.data.logPredictions).toEqual({ accepted: 0, duplicates: 1, rejected: 5, errors: want });
    const actual = (await postNdjson(s, model, 'actuals', '{"eventId":"ev-5","actualLabel":"n\\u0000"}\n')).json;
    expect(actual.errors).toEqual([{ index: 0, eventId: 'ev-5', message: `actualLabel: ${NUL}` }]);
    const baseline = (await postNdjson(s, model, 'baseline', '{"features":{"x":1,"c":"\\u0000"},"score":0.5}\n')).json;
    expect(baseline.errors).toEqual([{ index: 0, eventId: null, message: `features.c: ${NUL}` }]);
  });

  it('in the model name of the NDJSON path: a 400 naming it', async () => {
    const r = await postNdjson(s, 'a%00b', 'predictions', ndjson([prediction(0)]));
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name', message: `name: ${NUL}` });
  });
});

/** JSON text of arrays nested `depth` deep around 1 (depth 0: the number itself). */
const nested = (depth: number) => '['.repeat(depth) + '1' + ']'.repeat(depth);

const depths = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 40, max: 20_000 }));

describe('deeply nested values: that line or item is rejected, the others handled', () => {
  it('over NDJSON and GraphQL, at any depth and position', async () => {
    await fc.assert(
      fc.asyncProperty(depths, fc.integer({ min: 0, max: 9 }), fc.constantFrom('features', 'score'), async (depth, at, member) => {
        const model = await freshModel();
        const good = Array.from({ length: 10 }, (_, i) => JSON.stringify(prediction(i)));
        const deep = JSON.stringify(prediction(100)).replace(member === 'score' ? /"score":[^,}]+/ : /"x":\d+/, member === 'score' ? `"score":${nested(depth)}` : `"x":${nested(depth)}`);
        const body = [...good.slice(0, at), deep, ...good.slice(at)];
        // the line is level 1, features level 2: a feature value may nest MAX - 2 levels
        const tooDeep = member === 'features' ? depth > MAX_VALUE_DEPTH - 2 : depth > MAX_VALUE_DEPTH - 1;
        const expectRejected = tooDeep || (member === 'score' && depth > 0);

        const r = await postNdjson(s, model, 'predictions', body.join('\n'));
        expect(r.status).toBe(200);
        expect(r.json.accepted).toBe(expectRejected ? 10 : 11);
        if (expectRejected) {
          expect(r.json.errors).toHaveLength(1);
          expect(r.json.errors[0].index).toBe(at);
          expect(r.json.errors[0].message).toMatch(new RegExp(`^${member}: `));
          if (tooDeep) expect(r.json.errors[0].message).toBe(`${member}: nested deeper than ${MAX_VALUE_DEPTH} levels`);
        }

        // the same items as one GraphQL list (the body written by hand: JSON.stringify would overflow)
        const other = await freshModel();
        const gql = `{"query":${JSON.stringify(LOG)},"variables":{"m":"${other}","p":[${body.join(',')}]}}`;
        const g = await s.post('/graphql', gql, { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` });
        if (member === 'score' && depth > 0) {
          // a typed field is coerced by GraphQL before any item is read: the call's 400, nothing stored
          expect(g.status).toBe(400);
          expect(g.json.errors[0].message).toMatch(/^Variable "\$p" got invalid value .* at "p\[\d+\]\.score"; Float cannot represent/);
          expect(g.text).not.toMatch(/RangeError|call stack/);
          expect((await storedEvents(s, other))).toHaveLength(0);
          return;
        }
        expect(g.status).toBe(200);
        expect(g.json.errors).toBeUndefined();
        expect(g.json.data.logPredictions.accepted).toBe(expectRejected ? 10 : 11);
        if (expectRejected) expect(g.json.data.logPredictions.errors[0]).toMatchObject({ index: at, message: r.json.errors[0].message });
        expect((await storedEvents(s, other))).toHaveLength(expectRejected ? 10 : 11);
      }),
      { numRuns: 15 },
    );
  });
});

describe('Content-Encoding: gzip bodies that are not gzip, corrupt or cut short', () => {
  const gz = (body: string | Buffer) => ({ 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', authorization: `Bearer ${ADMIN_KEY}` });

  it('random bytes are a 400 naming Content-Encoding, nothing stored', async () => {
    const model = await freshModel();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2000 }), async (bytes) => {
        const r = await s.post(`/v1/models/${model}/predictions`, Buffer.from(bytes), gz(''));
        expect(r.status).toBe(400);
        expect(r.json.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Content-Encoding', committed: { lines: 0, accepted: 0 } });
        expect(r.json.error.message).toMatch(/^Content-Encoding: the body was sent as gzip but/);
        expect(r.text).not.toMatch(/internal|Error:|at \//);
      }),
      { numRuns: 40 },
    );
    expect((await storedEvents(s, model))).toHaveLength(0);
  });

  it('a cut or damaged body: 400 saying exactly what was kept, and resending adds only the rest', async () => {
    const lines = ndjson(Array.from({ length: 5000 }, (_, i) => prediction(i)));
    const whole = gzipSync(lines);
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.boolean(), async (where, cut) => {
        const model = await freshModel();
        const at = Math.floor(where * whole.length);
        const body = Buffer.from(whole);
        if (!cut) body[at] = body[at]! ^ 0x5a;
        const r = await s.post(`/v1/models/${model}/predictions`, cut ? body.subarray(0, at) : body, gz(''));
        const stored = (await storedEvents(s, model)).length;
        if (r.status === 200) {
          // a damaged byte gzip does not check (the header's timestamp): the lines as they came
          expect(r.json.accepted + r.json.rejected).toBe(5000);
          expect(stored).toBe(r.json.accepted);
          return;
        }
        expect(r.status).toBe(400);
        const e = r.json.error;
        expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Content-Encoding' });
        expect(e.committed.accepted).toBe(stored);
        expect(stored % 2000).toBe(0); // whole batches of 2000 stored rows, never part of one
        // a damaged byte may first inflate into garbage lines, rejected, before gzip notices:
        // they count among the lines handled (resending from there is enough), not as stored
        expect(e.committed.lines).toBeGreaterThanOrEqual(stored);
        if (cut) expect(e.committed.lines).toBe(stored);
        expect(e.message).toContain(
          e.committed.lines > 0 ? `the first ${e.committed.lines} lines were handled and are kept (${stored} accepted` : 'nothing of it was stored',
        );
        expect(e.message).toContain('Resending the whole input is safe');
        const again = await s.post(`/v1/models/${model}/predictions`, whole, gz(''));
        if (cut) expect(again.json).toMatchObject({ accepted: 5000 - stored, duplicates: stored, rejected: 0 });
        else {
          // garbage that happened to parse may have stored an event under a mangled eventId
          expect(again.json).toMatchObject({ rejected: 0 });
          expect(again.json.accepted + again.json.duplicates).toBe(5000);
          expect(again.json.duplicates).toBeLessThanOrEqual(stored);
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe('a gzip body whose client goes away', () => {
  it('keeps the committed batches, answers nobody, and the server goes on', async () => {
    const model = await freshModel();
    const zip = createGzip();
    const req = request(`${s.url}/v1/models/${model}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', authorization: `Bearer ${ADMIN_KEY}` },
    });
    req.on('error', () => undefined);
    zip.pipe(req);
    zip.write(ndjson(Array.from({ length: 4500 }, (_, i) => prediction(i))));
    zip.flush();
    const stored = async () => (await storedEvents(s, model)).length;
    while ((await stored()) < 4000) await new Promise((r) => setImmediate(r));
    req.destroy();
    const audited = async () => (await s.deps.store.audit.list(1000)).find((e) => e.action === 'logPredictions' && e.target === model)?.details;
    while (!(await audited())) await new Promise((r) => setImmediate(r));
    expect(await audited()).toMatchObject({ accepted: 4000, aborted: true });
    expect(await stored()).toBe(4000);
    expect((await postNdjson(s, model, 'predictions', ndjson([prediction(9999)]))).json.accepted).toBe(1);
  });
});
