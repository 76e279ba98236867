// /metrics must not grow with what unauthenticated clients invent: operation names,
// unknown fields, paths. Every label value comes from a set the server defines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
const KEY = 'cardinality-admin-secret-0123456789';
beforeAll(async () => {
  // with an admin key: the probes come without one, as an outsider's would
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: KEY } });
});
afterAll(async () => {
  await s.stop(true);
});

/** The series of /metrics (name and labels, values dropped), ours only: process metrics come and go with GC. */
async function series(): Promise<{ ours: Set<string>; bytes: number }> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const ours = new Set(
    text
      .split('\n')
      .filter((l) => l.startsWith('glassbox_http_') || l.startsWith('glassbox_graphql_'))
      .map((l) => l.slice(0, l.lastIndexOf(' '))),
  );
  return { ours, bytes: text.length };
}

/** Runs `n` probes, 25 at a time. */
async function probe(n: number, make: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += 25) await Promise.all(Array.from({ length: Math.min(25, n - i) }, (_, k) => make(i + k)));
}

describe('/metrics cardinality', () => {
  it('3,000 invented operation names (and unknown fields, paths) add no series', async () => {
    const shapes = [
      (i: number) => s.gql(`query Probe${i} { __typename }`),
      (i: number) => s.gql(`query Probe${i} { models { name } }`), // UNAUTHENTICATED: an error outcome
      (i: number) => s.gql(`query Probe${i} { nope${i} }`), // invalid: unknown field
      (i: number) => s.gql(`query Probe${i} { models { name `), // invalid: syntax
      (i: number) => s.gql(`mutation Probe${i} { deleteModel(name: "m${i}") }`),
    ];
    const paths = [(i: number) => fetch(`${s.url}/v1/models/m${i}/probe${i}`, { method: 'POST', body: '' }), (i: number) => fetch(`${s.url}/probe${i}`)];
    // warm up: every shape once and a scrape, so each label value the server defines exists
    await Promise.all([...shapes, ...paths].map((f) => f(0)));
    await series();
    const before = await series();
    await probe(3000, (i) => shapes[i % shapes.length]!(i + 1));
    await probe(300, (i) => paths[i % paths.length]!(i + 1));
    const after = await series();
    expect([...after.ours].filter((l) => !before.ours.has(l))).toEqual([]);
    expect(after.ours.size).toBe(before.ours.size);
    // counts and sums grow by a few digits, nothing more
    expect(after.bytes - before.bytes).toBeLessThan(4096);
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(text).not.toMatch(/Probe|probe|nope/);
    expect(text).toMatch(/glassbox_graphql_operations_total\{operation="__typename",outcome="ok"\} 601\n/);
    // the unknown fields at least (a syntax error may be answered before the metrics plugin runs)
    const invalid = Number(/glassbox_graphql_operations_total\{operation="invalid",outcome="error"\} (\d+)\n/.exec(text)?.[1]);
    expect(invalid).toBeGreaterThanOrEqual(601);
    expect(text).toMatch(/glassbox_graphql_operations_total\{operation="deleteModel",outcome="error"\} 601\n/);
    expect(text).toMatch(/glassbox_http_requests_total\{route="other",method="GET",status="404"\} 151\n/);
  }, 120_000);

  it('an operation with several root fields counts once under each', async () => {
    const r = await s.gql(`query Two { a: models { name } b: models { name } version ...F } fragment F on Query { channels { name } }`, {}, KEY);
    expect(r.errors).toBeUndefined();
    const text = await (await fetch(`${s.url}/metrics`)).text();
    for (const f of ['models', 'version', 'channels']) expect(text).toMatch(new RegExp(`glassbox_graphql_operations_total\\{operation="${f}",outcome="ok"\\} 1\\n`));
  });
});
