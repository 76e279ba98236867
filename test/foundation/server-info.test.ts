// Query.server and GET /healthz: which server answered, on which store, with its name from
// GLASSBOX_INSTANCE (else host:pid), readable by any key; the heartbeat's contract.
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_STORE } from '../helpers/test-store.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startHeartbeat } from '../../src/jobs/heartbeat.js';
import { silentLogger } from '../../src/log.js';
import { fixedClock } from '../../src/clock.js';
import type { Deps } from '../../src/services/deps.js';
import type { LivenessRepo } from '../../src/store/ports/liveness.js';

const ADMIN_KEY = 'bootstrap-admin-secret-0123456789';
const SERVER = `{ server { version store instance liveInstances } }`;
let s: TestServer;
let viewer: string;

beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY, GLASSBOX_INSTANCE: 'replica-a' } });
  const r = await s.gql(`mutation { createApiKey(name: "v", role: VIEWER) { secret } }`, {}, ADMIN_KEY);
  viewer = r.data.createApiKey.secret;
});
afterAll(async () => {
  await s.stop(true);
});

describe('Query.server', () => {
  it('names this server, its store and version to a VIEWER', async () => {
    const r = await s.gql(SERVER, {}, viewer);
    expect(r.errors).toBeUndefined();
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    expect(r.data.server).toEqual({ version, store: TEST_STORE, instance: 'replica-a', liveInstances: 1 });
  });

  it('is refused without a key', async () => {
    const r = await s.gql(SERVER);
    expect(r.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('defaults the instance to host:pid', async () => {
    const other = await startTestServer();
    try {
      const r = await other.gql(`{ server { instance store } }`);
      expect(r.data.server).toEqual({ instance: `${hostname()}:${process.pid}`, store: TEST_STORE });
    } finally {
      await other.stop(true);
    }
  });
});

describe('GET /healthz', () => {
  it('answers 503 naming the store once the database is gone', async () => {
    const other = await startTestServer();
    try {
      expect(await (await fetch(`${other.url}/healthz`)).json()).toEqual({ status: 'ok', store: TEST_STORE });
      await other.deps.store.close();
      const r = await fetch(`${other.url}/healthz`);
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({ status: 'unavailable', store: TEST_STORE });
    } finally {
      await other.stop(true).catch(() => {});
    }
  });
});

describe('the heartbeat', () => {
  // the store is what counts replicas; this records what the job asks of it
  function recording(fail = false) {
    const calls: string[] = [];
    const liveness: LivenessRepo = {
      ping: async () => {},
      beat: async (name, now) => {
        calls.push(`beat ${name} ${now}`);
        if (fail) throw new Error('store down');
      },
      leave: async (name) => void calls.push(`leave ${name}`),
      live: async () => 1,
    };
    const clock = fixedClock(1000);
    const deps = { store: { liveness }, clock, log: silentLogger() } as unknown as Deps;
    return { calls, clock, deps };
  }

  it('beats at start and every interval with the clock, and leaves at stop', async () => {
    vi.useFakeTimers();
    try {
      const { calls, clock, deps } = recording();
      const hb = startHeartbeat(deps, 'r1', 10_000);
      await vi.advanceTimersByTimeAsync(0);
      clock.set(11_000);
      await vi.advanceTimersByTimeAsync(10_000);
      await hb.stop();
      await vi.advanceTimersByTimeAsync(30_000);
      expect(calls).toEqual(['beat r1 1000', 'beat r1 11000', 'leave r1']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps beating after a failed beat', async () => {
    vi.useFakeTimers();
    try {
      const { calls, deps } = recording(true);
      const hb = startHeartbeat(deps, 'r1', 10_000);
      await vi.advanceTimersByTimeAsync(20_000);
      await hb.stop();
      expect(calls.filter((c) => c.startsWith('beat'))).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
