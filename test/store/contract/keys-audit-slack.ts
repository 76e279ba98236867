// API keys (creation, revocation, the lookups authentication makes), the audit log
// (newest first, limits, details as written) and Slack replay keys (claims, expiry).
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import { T0 } from './support.js';

/** The keys, audit and slack-seen part of the contract. */
export function keysAuditSlackContract(h: RepoHarness): void {
  const keys = () => h.store.apiKeys;

  it('creates active keys and lists them oldest first, revoked ones included', async () => {
    const a = await keys().create({ name: 'ci', role: 'INGEST', secretHash: 'ha', createdAt: T0 });
    expect(a).toEqual({ id: expect.any(Number), name: 'ci', role: 'INGEST', createdAt: T0, revokedAt: null });
    const b = await keys().create({ name: 'ci', role: 'ADMIN', secretHash: 'hb', createdAt: T0 - 5 });
    expect(b.id).toBeGreaterThan(a.id);
    await keys().revoke(a.id, T0 + 1);
    expect(await keys().list()).toEqual([{ ...a, revokedAt: T0 + 1 }, b]);
    expect(await keys().byId(b.id)).toEqual(b);
    expect(await keys().byId(a.id)).toEqual({ ...a, revokedAt: T0 + 1 });
    expect(await keys().byId(b.id + 1000)).toBeNull();
  });

  it('keeps the first revocation time, and ignores revoking an unknown key', async () => {
    const a = await keys().create({ name: 'k', role: 'VIEWER', secretHash: 'ha', createdAt: T0 });
    await keys().revoke(a.id, T0 + 1);
    await keys().revoke(a.id, T0 + 2);
    await keys().revoke(a.id + 1000, T0 + 3);
    expect(await keys().list()).toEqual([{ ...a, revokedAt: T0 + 1 }]);
  });

  it('finds the active key of a secret hash, and counts active keys', async () => {
    expect(await keys().activeCount()).toBe(0);
    const a = await keys().create({ name: 'editor', role: 'EDITOR', secretHash: 'ha', createdAt: T0 });
    await keys().create({ name: 'viewer', role: 'VIEWER', secretHash: 'hb', createdAt: T0 });
    expect(await keys().activeCount()).toBe(2);
    expect(await keys().activeByHash('ha')).toEqual({ name: 'editor', role: 'EDITOR' });
    expect(await keys().activeByHash('HA')).toBeNull();
    expect(await keys().activeByHash('nope')).toBeNull();
    await keys().revoke(a.id, T0 + 1);
    expect(await keys().activeByHash('ha')).toBeNull();
    expect(await keys().activeByHash('hb')).toEqual({ name: 'viewer', role: 'VIEWER' });
    expect(await keys().activeCount()).toBe(1);
  });

  it('refuses a second key with the same secret hash', async () => {
    await keys().create({ name: 'a', role: 'VIEWER', secretHash: 'same', createdAt: T0 });
    await expect(keys().create({ name: 'b', role: 'ADMIN', secretHash: 'same', createdAt: T0 })).rejects.toThrow();
    expect(await keys().activeCount()).toBe(1);
  });

  it('lists audit entries newest first (in writing order, whatever their time), up to the limit', async () => {
    for (const [i, at] of [T0 + 3, T0 + 1, T0 + 2, T0 + 2].entries()) await h.store.audit.record({ at, actor: `u${i}`, action: `a${i}`, target: i % 2 ? null : `t${i}`, details: null });
    const all = await h.store.audit.list(100);
    expect(all).toEqual([
      { at: T0 + 2, actor: 'u3', action: 'a3', target: null, details: null },
      { at: T0 + 2, actor: 'u2', action: 'a2', target: 't2', details: null },
      { at: T0 + 1, actor: 'u1', action: 'a1', target: null, details: null },
      { at: T0 + 3, actor: 'u0', action: 'a0', target: 't0', details: null },
    ]);
    expect(await h.store.audit.list(2)).toEqual(all.slice(0, 2));
    expect(await h.store.audit.list(1)).toEqual(all.slice(0, 1));
    expect(await h.store.audit.list(0)).toEqual([]);
  });

  it('reads audit details back as written: objects (key order kept), lists, scalars, null for none', async () => {
    const details: unknown[] = [
      { z: 1, a: { y: [1, 2.5, -0.125], b: null }, m: 'é ✓ "quoted" \\ \n', big: 2 ** 53 - 1 },
      ['x', { k: true }],
      'plain',
      42,
      false,
      null,
      undefined,
    ];
    for (const d of details) await h.store.audit.record({ at: T0, actor: 'a', action: 'x', target: null, details: d });
    const back = (await h.store.audit.list(100)).reverse().map((e) => e.details);
    expect(back).toEqual([...details.slice(0, 6), null]);
    expect(JSON.stringify(back[0])).toBe(JSON.stringify(details[0]));
  });

  it('claims a Slack replay key once until it expires, pruning expired keys on each claim', async () => {
    const s = h.store.slackSeen;
    expect(await s.claim('a', 100, 200)).toBe(true);
    expect(await s.claim('a', 150, 300)).toBe(false);
    expect(await s.claim('b', 150, 160)).toBe(true);
    expect(await s.count()).toBe(2);
    // at 160, b (expiring at 160) is pruned: expiry is inclusive
    expect(await s.claim('c', 160, 400)).toBe(true);
    expect(await s.count()).toBe(2);
    expect(await s.claim('b', 160, 170)).toBe(true);
    // at 200, a expired: claimable again
    expect(await s.claim('a', 200, 500)).toBe(true);
    expect(await s.count()).toBe(3 - 1); // b (170) pruned, a and c remain
    expect(await s.claim('c', 399, 999)).toBe(false);
  });

  it('lets exactly one of two connections claim the same Slack key at once', async () => {
    const results = await Promise.all(['x', 'y', 'z'].flatMap((k) => [h.store.slackSeen.claim(k, 1, 100), h.second.slackSeen.claim(k, 1, 100)]));
    expect(results.filter(Boolean)).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect(results[2 * i]).not.toBe(results[2 * i + 1]);
    expect(await h.store.slackSeen.count()).toBe(3);
  });
}
