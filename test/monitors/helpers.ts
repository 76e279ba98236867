// Test helpers for monitors: a fresh migrated database of the run's store, a scripted metric,
// and a local webhook receiver whose answers a test chooses.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { disposeTestStore, openTestStore, type TestStore } from '../helpers/test-store.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import type { Deps } from '../../src/services/deps.js';
import type { ComputeMetric, MetricQuery } from '../../src/services/evaluation.js';

export const T0 = Date.parse('2024-05-06T00:00:00Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const ADMIN = { name: 'ann', role: 'ADMIN' as const };

export type TestDeps = Deps & { store: TestStore; clock: ReturnType<typeof fixedClock> };

/** Deps over a fresh database (test-store.ts: SQLite file or temporary PostgreSQL database). */
export async function freshDeps(now = T0): Promise<TestDeps> {
  return { store: await openTestStore(), clock: fixedClock(now), log: silentLogger() };
}

/** The same deps over a new connection to the same database, as a restarted process has (closes the old one). */
export async function reopen(d: TestDeps): Promise<TestDeps> {
  await d.store.close();
  return { ...d, store: await openTestStore(d.store.database) };
}

/** Closes the deps and drops their database. */
export async function dispose(d: TestDeps): Promise<void> {
  await disposeTestStore(d.store);
}

/** A metric whose value a test sets, recording every query it gets. */
export function scriptedMetric(initial: { value: number | null; sampleSize: number } = { value: 0, sampleSize: 100 }) {
  let current = initial;
  const calls: MetricQuery[] = [];
  const compute: ComputeMetric = async (_deps, _model, q) => {
    calls.push(q);
    return current;
  };
  return {
    compute,
    calls,
    set(value: number | null, sampleSize = 100) {
      current = { value, sampleSize };
    },
  };
}

export interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  json: any;
}

/** A webhook receiver on 127.0.0.1: answers each request with the next scripted status (then 200). */
export async function startReceiver() {
  const received: Received[] = [];
  const script: Array<{ status: number; headers?: Record<string, string> }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any = null;
      try {
        json = JSON.parse(body);
      } catch {
        /* kept raw */
      }
      received.push({ body, headers: req.headers, json });
      const next = script.shift() ?? { status: 200 };
      res.writeHead(next.status, next.headers ?? {});
      res.end(next.status >= 400 ? 'receiver says no' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** the next answers, in order */
    answer(...statuses: Array<number | { status: number; headers?: Record<string, string> }>) {
      for (const s of statuses) script.push(typeof s === 'number' ? { status: s } : s);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
