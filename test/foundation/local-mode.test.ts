// Local mode follows the keys while the server runs: the first active key ends it, revoking
// the last brings it back (when no GLASSBOX_ADMIN_KEY is set), each change is logged once,
// and introspection follows the mode of each request, not the mode at start-up.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

const INTROSPECT = '{ __schema { queryType { name } } }';

function capturingLogger() {
  const lines: Array<{ msg: string; level: number }> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

describe('local mode and introspection follow the keys', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.stop(true);
    s = undefined;
  });

  it('ends with the first key, comes back after the last is revoked, logged each time', async () => {
    const { log, lines } = capturingLogger();
    s = await startTestServer({ log });
    const modeLines = () => lines.filter((l) => /^local mode/.test(l.msg)).map((l) => l.msg.slice(0, 17));
    expect(modeLines()).toEqual(['local mode: no GL']);

    expect((await s.gql(INTROSPECT)).data.__schema.queryType.name).toBe('Query');
    const created = await s.gql(`mutation { a: createApiKey(name: "ci", role: INGEST) { apiKey { id } secret } b: createApiKey(name: "ops", role: VIEWER) { apiKey { id } secret } }`);
    expect(created.errors).toBeUndefined();
    const admin = await s.gql(`mutation { createApiKey(name: "root", role: ADMIN) { apiKey { id } secret } }`);
    expect(admin.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED'); // local mode ended with the first key
    expect(modeLines()).toEqual(['local mode: no GL', 'local mode ended:']);

    // introspection: refused without a key now, allowed with one
    const anon = await s.gql(INTROSPECT);
    expect(anon.status).toBe(401);
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anon.errors?.[0]?.message).toMatch(/introspection/);
    expect((await s.gql('{ __type(name: "Model") { name } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const viewer = created.data.b.secret as string;
    expect((await s.gql(INTROSPECT, undefined, viewer)).data.__schema.queryType.name).toBe('Query');
    // no schema hint leaks through "Did you mean" to a caller that may not introspect
    const typo = await s.gql('{ modls { name } }');
    expect(typo.errors?.[0]?.message).toMatch(/Cannot query field "modls"/);
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect((await s.gql('{ modls { name } }', undefined, viewer)).errors?.[0]?.message).toMatch(/Did you mean "models"/);

    // revoking one key of two keeps authentication on; revoking the last brings local mode back
    const ingest = created.data.a.secret as string;
    const viewerId = created.data.b.apiKey.id as string;
    const ingestId = created.data.a.apiKey.id as string;
    expect((await s.gql(`mutation { revokeApiKey(id: ${viewerId}) }`, undefined, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // only an ADMIN may revoke, and no ADMIN key exists: the store is the way back, as an operator's SQL would be
    await s.deps.store.apiKeys.revoke(Number(viewerId), s.clock.now());
    expect((await s.gql('{ models { name } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await s.deps.store.apiKeys.revoke(Number(ingestId), s.clock.now());
    expect((await s.gql('{ models { name } }')).errors).toBeUndefined();
    expect((await s.gql(INTROSPECT)).data.__schema.queryType.name).toBe('Query');
    expect(modeLines()).toEqual(['local mode: no GL', 'local mode ended:', 'local mode: no GL']);
    // a revoked key is still refused, even in local mode (a typo must not act as admin)
    expect((await s.gql('{ models { name } }', undefined, ingest)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('an ADMIN key revoking itself, the last one, brings local mode back through the API', async () => {
    s = await startTestServer();
    const r = await s.gql(`mutation { createApiKey(name: "root", role: ADMIN) { apiKey { id } secret } }`);
    const { secret, apiKey } = r.data.createApiKey;
    expect((await s.gql('{ models { name } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await s.gql(`mutation { revokeApiKey(id: ${apiKey.id}) }`, undefined, secret)).data.revokeApiKey).toBe(true);
    expect((await s.gql('{ models { name } }')).errors).toBeUndefined();
  });

  it('never comes back with GLASSBOX_ADMIN_KEY set; introspection then needs a key', async () => {
    const admin = 'a-bootstrap-admin-key-0123456789';
    s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: admin } });
    expect((await s.gql(INTROSPECT)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await s.gql(INTROSPECT, undefined, admin)).data.__schema.queryType.name).toBe('Query');
    const r = await s.gql(`mutation { createApiKey(name: "ci", role: INGEST) { apiKey { id } } }`, undefined, admin);
    await s.gql(`mutation { revokeApiKey(id: ${r.data.createApiKey.apiKey.id}) }`, undefined, admin);
    expect((await s.gql('{ models { name } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('GLASSBOX_INTROSPECTION=off refuses even local mode; =on allows anyone', async () => {
    s = await startTestServer({ env: { GLASSBOX_INTROSPECTION: 'off' } });
    const off = await s.gql(INTROSPECT);
    expect(off.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(off.errors?.[0]?.message).toMatch(/GLASSBOX_INTROSPECTION=off/);
    await s.stop(true);
    s = await startTestServer({ env: { GLASSBOX_INTROSPECTION: 'on', GLASSBOX_ADMIN_KEY: 'a-bootstrap-admin-key-0123456789' } });
    expect((await s.gql(INTROSPECT)).data.__schema.queryType.name).toBe('Query');
  });

  it('Query.me says who is asking: the local ADMIN without a key in local mode, else the key; a wrong key is refused', async () => {
    s = await startTestServer();
    const ME = '{ me { name role localMode } }';
    expect((await s.gql(ME)).data.me).toEqual({ name: 'local', role: 'ADMIN', localMode: true });
    const made = await s.gql('mutation { createApiKey(name: "auditor", role: VIEWER) { secret } }');
    const viewer = made.data.createApiKey.secret as string;
    expect((await s.gql(ME, undefined, viewer)).data.me).toEqual({ name: 'auditor', role: 'VIEWER', localMode: false });
    const none = await s.gql(ME);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(none.errors?.[0]?.message).toMatch(/an API key is required/);
    const wrong = await s.gql(ME, undefined, 'not-a-key');
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.message).toBe('the API key is unknown or revoked');
  });
});
