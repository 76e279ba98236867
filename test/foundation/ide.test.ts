// GET / and GET /graphql: the console (or, unbuilt, a page about the server) and GraphiQL
// served from the package itself. Offline by construction: the pages reference only
// same-origin assets, and those are served.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { mountConsole } from '../../src/http/console.js';
import { mountIde } from '../../src/http/ide.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Every src/href of a page, and whether each stays on the page's origin. */
function references(html: string, base: string): URL[] {
  return [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, base));
}

describe('the IDE and the home page', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.stop(true);
    s = undefined;
  });

  it('local mode: GET /graphql is GraphiQL with same-origin assets only, all served', async () => {
    s = await startTestServer();
    const r = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    const html = await r.text();
    const refs = references(html, `${s.url}/graphql`);
    expect(refs.map((u) => u.pathname).sort()).toEqual(['/ide/graphiql.css', '/ide/graphiql.js']);
    for (const u of refs) {
      expect(u.origin).toBe(new URL(s.url).origin);
      const a = await fetch(u);
      expect(a.status).toBe(200);
      const body = await a.text();
      expect(body.length).toBeGreaterThan(10_000);
      // nothing fetched from elsewhere at run time: no stylesheet import or font from a host
      expect(body).not.toMatch(/@import\s+url\(["']?https?:|url\(["']?https?:\/\//);
    }
    expect(html).not.toMatch(/apollo|cdn|https?:\/\//i);
  });

  it('GET / and the client routes are the console, with same-origin assets only, all served; the API routes are not', async () => {
    s = await startTestServer();
    const pages = await Promise.all(['/', '/models/credit-risk', '/models/credit-risk/alerts'].map(async (p) => fetch(`${s!.url}${p}`)));
    for (const r of pages) {
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
    }
    const html = await pages[0]!.text();
    expect(html).toContain('<title>Glassbox console</title>');
    const assets = references(html, `${s.url}/`).filter((u) => u.protocol !== 'data:');
    expect(assets.map((u) => u.pathname).every((p) => p.startsWith('/console/assets/'))).toBe(true);
    expect(assets.length).toBe(2);
    for (const u of assets) {
      expect(u.origin).toBe(new URL(s.url).origin);
      const a = await fetch(u);
      expect(a.status).toBe(200);
      expect(a.headers.get('cache-control')).toMatch(/immutable/);
      expect(await a.text()).not.toMatch(/@import\s+url\(["']?https?:|url\(["']?https?:\/\//);
    }
    expect(html).not.toMatch(/https?:\/\//);
    // no fallback over the server's own routes
    expect((await fetch(`${s.url}/v1/models/x/nothing`)).status).toBe(404);
    expect((await fetch(`${s.url}/healthz`)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${s.url}/models/a/b/c`)).status).toBe(404);
  });

  it('unbuilt, GET / says what the server is and links the IDE, /healthz and /metrics', async () => {
    const app = express();
    mountConsole(app, mkdtempSync(join(tmpdir(), 'glassbox-no-console-')));
    mountIde(app, { ide: undefined, localMode: async () => true });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const r = await fetch(`${url}/`);
      expect(r.status).toBe(200);
      const html = await r.text();
      expect(html).toMatch(/Glassbox \d+\.\d+\.\d+/);
      expect(html).toMatch(/The console is not built: run <code>npm run build<\/code>/);
      expect(references(html, `${url}/`).map((u) => u.pathname)).toEqual(['/graphql', '/healthz', '/metrics']);
      expect(html).toMatch(/Local mode/);
    } finally {
      server.close();
    }
  });

  it('outside local mode the IDE is off unless GLASSBOX_IDE=on; queries over POST are unchanged', async () => {
    const key = 'a-bootstrap-admin-key-0123456789';
    s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: key } });
    const off = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(off.status).toBe(404);
    expect(await off.text()).toMatch(/GLASSBOX_IDE=on/);
    await s.stop(true);
    s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: key, GLASSBOX_IDE: 'on' } });
    expect((await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await s.gql('{ models { name } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await s.gql('{ models { name } }', undefined, key)).data.models).toEqual([]);
  });

  it('GLASSBOX_IDE=off turns it off even in local mode', async () => {
    s = await startTestServer({ env: { GLASSBOX_IDE: 'off' } });
    expect((await fetch(`${s.url}/graphql`)).status).toBe(404);
  });
});
