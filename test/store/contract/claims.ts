// Claims on scheduled work: one holder per (scope, at) until its lease ends, renewed by its
// holder, never taken once done, released at start-up (own only on PostgreSQL, every open one
// on SQLite), pruned; and replicas claiming at once never both win.
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import { T0 } from './support.js';

const LEASE = 30_000;

/** The claims part of the contract. */
export function claimsContract(h: RepoHarness): void {
  const claims = () => h.store.claims;

  it('gives a claim to one holder until its lease ends, renews it for that holder, and never gives a done one', async () => {
    expect(await claims().claim('monitor:1', T0, 'r1', T0, LEASE)).toEqual({ claimed: true });
    expect(await claims().claim('monitor:1', T0, 'r2', T0 + LEASE - 1, LEASE)).toEqual({ claimed: false, done: false, heldBy: 'r1', leaseUntil: T0 + LEASE });
    // another tick, another scope: other claims
    expect(await claims().claim('monitor:1', T0 + 60_000, 'r2', T0, LEASE)).toEqual({ claimed: true });
    expect(await claims().claim('monitor:2', T0, 'r2', T0, LEASE)).toEqual({ claimed: true });
    // the holder again (a follow-up of its own): renewed
    expect(await claims().claim('monitor:1', T0, 'r1', T0 + 10, LEASE)).toEqual({ claimed: true });
    expect(await claims().claim('monitor:1', T0, 'r2', T0 + LEASE, LEASE)).toEqual({ claimed: false, done: false, heldBy: 'r1', leaseUntil: T0 + 10 + LEASE });
    // r1 died: r2 takes it over once the lease is over
    expect(await claims().claim('monitor:1', T0, 'r2', T0 + 10 + LEASE, LEASE)).toEqual({ claimed: true });
    await claims().finish('monitor:1', T0, 'r2', T0 + LEASE + 20);
    for (const who of ['r1', 'r2', 'r3']) {
      expect(await claims().claim('monitor:1', T0, who, T0 + 10 * LEASE, LEASE)).toEqual({ claimed: false, done: true, heldBy: 'r2', leaseUntil: T0 + LEASE + 20 });
    }
    // done without a claim (an evaluation asked for by hand): never claimed either
    await claims().finish('retention', T0, 'r3', T0);
    expect(await claims().claim('retention', T0, 'r1', T0, LEASE)).toMatchObject({ claimed: false, done: true, heldBy: 'r3' });
    // finishing twice keeps the first
    await claims().finish('retention', T0, 'r1', T0 + 5);
    expect(await claims().claim('retention', T0, 'r1', T0, LEASE)).toMatchObject({ claimed: false, done: true, heldBy: 'r3', leaseUntil: T0 });
  });

  it('releases at start-up the open claims of that instance (every open one on SQLite), keeps done ones, and prunes by lease', async () => {
    await claims().claim('monitor:1', T0, 'r1', T0, LEASE);
    await claims().claim('monitor:2', T0, 'r2', T0, LEASE);
    await claims().claim('monitor:3', T0, 'r1', T0, LEASE);
    await claims().finish('monitor:3', T0, 'r1', T0 + 1);
    const single = h.store.kind === 'sqlite';
    // SQLite: one process per file, so r2's claim cannot be in progress either
    expect(await claims().release('r1')).toBe(single ? 2 : 1);
    expect(await claims().release('r1')).toBe(0);
    expect(await claims().claim('monitor:1', T0, 'r3', T0 + 1, LEASE)).toEqual({ claimed: true });
    expect(await claims().claim('monitor:2', T0, 'r3', T0 + 1, LEASE)).toEqual(single ? { claimed: true } : { claimed: false, done: false, heldBy: 'r2', leaseUntil: T0 + LEASE });
    expect(await claims().claim('monitor:3', T0, 'r3', T0 + 1, LEASE)).toMatchObject({ claimed: false, done: true });
    // leases ended before T0 + 2: only the done one (its lease ends when done)
    expect(await claims().prune(T0 + 2)).toBe(1);
    expect(await claims().claim('monitor:3', T0, 'r3', T0 + 1, LEASE)).toEqual({ claimed: true });
    expect(await claims().prune(T0 + 1 + LEASE + 1)).toBe(3);
    expect(await h.query('SELECT count(*) AS n FROM claims')).toEqual([{ n: 0 }]);
  });

  it('never gives two replicas claiming at once the same (scope, at)', async () => {
    const ticks = Array.from({ length: 30 }, (_, i) => [`monitor:${i % 3}`, T0 + Math.floor(i / 3) * 60_000] as const);
    // three claimers on each pool (PostgreSQL: six connections at once), each trying every tick
    const claimer = (store: typeof h.store, who: string) =>
      Promise.all(ticks.map(async ([scope, at]) => ((await store.claims.claim(scope, at, who, T0, LEASE)).claimed ? `${scope}@${at}` : null)));
    const won = await Promise.all(['a1', 'a2', 'a3'].map((w) => claimer(h.store, w)).concat(['b1', 'b2', 'b3'].map((w) => claimer(h.second, w))));
    const all = won.flat().filter((x) => x !== null);
    expect(all.sort()).toEqual(ticks.map(([s, at]) => `${s}@${at}`).sort());
  });
}
