// GET / and GET /graphql: a page about the server and GraphiQL served from the package itself.
// Offline by construction: the pages reference only same-origin assets, and those are served.
import { afterEach, describe, expect, it } from 'vitest';
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

  it('GET / says what the server is and links the IDE, /healthz and /metrics', async () => {
    s = await startTestServer();
    const r = await fetch(`${s.url}/`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toMatch(/Glassbox \d+\.\d+\.\d+/);
    const links = references(html, `${s.url}/`).map((u) => u.pathname);
    expect(links).toEqual(['/graphql', '/healthz', '/metrics']);
    for (const l of links) expect((await fetch(`${s.url}${l}`)).status).toBe(200);
    expect(html).toMatch(/Local mode/);
  });

  it('outside local mode the IDE is off unless GLASSBOX_IDE=on; queries over POST are unchanged', async () => {
    const key = 'a-bootstrap-admin-key-0123456789';
    s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: key } });
    const off = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(off.status).toBe(404);
    expect(await off.text()).toMatch(/GLASSBOX_IDE=on/);
    expect(await (await fetch(`${s.url}/`)).text()).not.toMatch(/href="graphql"/);
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
