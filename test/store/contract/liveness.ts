// Liveness: the store answers, and a server that just beat counts as alive. How many others
// count differs by design (SQLite serves one process: always 1); PostgreSQL's heartbeats are
// tested in repos-postgres.test.ts.
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import { T0 } from './support.js';

/** The liveness part of the contract. */
export function livenessContract(h: RepoHarness): void {
  it('answers a ping, and counts a server that just beat as alive', async () => {
    await expect(h.store.liveness.ping()).resolves.toBeUndefined();
    await h.store.liveness.beat('a:1', T0);
    expect(await h.store.liveness.live(T0)).toBe(1);
    expect(await h.store.liveness.live(T0 + 1000)).toBe(1);
  });
}
