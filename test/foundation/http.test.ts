// The HTTP surface of the foundation: health, metrics, body limits, malformed input,
// query limits, restarts and configuration errors.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_STORE } from '../helpers/test-store.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { loadConfig, ConfigError } from '../../src/config.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_MAX_BODY: '64kb' } });
});
afterAll(async () => {
  await s.stop(true);
});

const json = { 'content-type': 'application/json' };

describe('http', () => {
  it('answers /healthz without a key', async () => {
    const r = await fetch(`${s.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', store: TEST_STORE });
  });

  it('exposes request and operation metrics', async () => {
    await s.gql(`query ListModels { models { name } }`);
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(text).toContain('glassbox_process_cpu_seconds_total');
    expect(text).toMatch(/glassbox_http_requests_total\{route="\/graphql",method="POST",status="200"\} \d+/);
    // labelled by the schema's root field, never by the client's operation name
    expect(text).toMatch(/glassbox_graphql_operations_total\{operation="models",outcome="ok"\} 1/);
    expect(text).not.toContain('ListModels');
  });

  it('answers 400 with a reason to a malformed JSON body, writing nothing', async () => {
    const r = await s.post('/graphql', '{"query": "mutation { createModel', json);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/not valid JSON/);
    expect((await s.gql(`{ models { name } }`)).data.models).toEqual([]);
  });

  it('answers 413 above GLASSBOX_MAX_BODY, naming the limit', async () => {
    const big = JSON.stringify({ query: `{ models { name } }`, variables: { pad: 'x'.repeat(70_000) } });
    const r = await s.post('/graphql', big, json);
    expect(r.status).toBe(413);
    expect(r.json.error.message).toContain('GLASSBOX_MAX_BODY');
  });

  it('refuses a too-deep query before running it', async () => {
    let q = 'name';
    for (let i = 0; i < 8; i++) q = `monitors { model { ${q} } }`;
    const r = await s.gql(`{ models { ${q} } }`);
    expect(r.errors?.[0].message).toMatch(/depth/i);
    expect(r.data).toBeUndefined();
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: models { name }`).join(' ');
    const r = await s.gql(`{ ${aliases} }`);
    expect(r.errors?.[0].message).toMatch(/alias/i);
  });

  it('answers an unknown route with 404 JSON', async () => {
    const r = await fetch(`${s.url}/nope`);
    expect(r.status).toBe(404);
    expect(((await r.json()) as any).error.code).toBe('NOT_FOUND');
  });

  it('keeps data across a restart on the same file', async () => {
    await s.gql(`mutation { createModel(input: { name: "kept", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { id } }`);
    s = await s.restart();
    const r = await s.gql(`{ model(name: "kept") { name features { name } } }`);
    expect(r.data.model).toEqual({ name: 'kept', features: [{ name: 'x' }] });
  });
});

describe('configuration', () => {
  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT="abc"/);
    expect(() => loadConfig({ GLASSBOX_MAX_BODY: 'lots' })).toThrow(/GLASSBOX_MAX_BODY/);
    expect(() => loadConfig({ GLASSBOX_SCHEDULER: 'maybe' })).toThrow(/GLASSBOX_SCHEDULER/);
  });

  it('refuses a non-loopback HOST without GLASSBOX_ADMIN_KEY', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/GLASSBOX_ADMIN_KEY/);
    expect(loadConfig({ HOST: '0.0.0.0', GLASSBOX_ADMIN_KEY: 'a-long-enough-secret' }).host).toBe('0.0.0.0');
  });

  it('exits with the message when started with PORT=abc', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      env: { ...process.env, PORT: 'abc', GLASSBOX_DB: ':memory:' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PORT="abc"');
  });
});
