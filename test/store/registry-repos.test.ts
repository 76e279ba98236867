// The registry's repositories (models, API keys, audit), on the run's store: what the service tests
// reach only through GraphQL, checked at the port: conflicts, partial patches, revocation
// times, rollback with the change, and the same audit entry in a transaction or not.
import { afterEach, describe, expect, it } from 'vitest';
import { disposeTestStore, openTestStore, type TestStore } from '../helpers/test-store.js';
import { storedRows, storedValue } from '../helpers/stored-rows.js';
import { auditEntry, listAudit, writeAudit } from '../../src/services/audit.js';
import { deleteModel } from '../../src/services/models.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import type { NewModel } from '../../src/store/ports/models.js';

let store: TestStore | undefined;
afterEach(async () => {
  if (store) await disposeTestStore(store);
  store = undefined;
});
const fresh = async () => (store = await openTestStore());

const model = (name: string, at = 1000): NewModel => ({
  name,
  task: 'BINARY_CLASSIFICATION',
  description: 'd',
  positiveClass: 'yes',
  decisionThreshold: 0.5,
  features: [{ name: 'x', type: 'NUMERIC', protected: false, min: null, max: 10 }],
  retentionDays: null,
  createdAt: at,
});

describe('store.models', () => {
  it('creates, refuses a taken name with null, finds by name and id, lists by name', async () => {
    const store = await fresh();
    const b = await store.models.create(model('b'));
    expect(b).toMatchObject({ name: 'b', createdAt: 1000, updatedAt: 1000, retentionDays: null, features: [{ name: 'x', max: 10 }] });
    expect(await store.models.create(model('b', 2000))).toBeNull();
    await store.models.create(model('a'));
    expect(await store.models.byName('b')).toEqual(b);
    expect(await store.models.byId(b!.id)).toEqual(b);
    expect(await store.models.byName('nope')).toBeNull();
    expect((await store.models.list()).map((m) => m.name)).toEqual(['a', 'b']);
  });

  it('changes only the fields a patch gives (null clears), null for an unknown id', async () => {
    const store = await fresh();
    const m = (await store.models.create(model('m')))!;
    const u = await store.models.update(m.id, { retentionDays: 7, updatedAt: 5000 });
    expect(u).toEqual({ ...m, retentionDays: 7, updatedAt: 5000 });
    expect(await store.models.update(m.id, { description: null })).toEqual({ ...u, description: null });
    expect(await store.models.update(m.id, {})).toEqual({ ...u, description: null });
    expect(await store.models.update(999, { description: 'x' })).toBeNull();
  });

  it('removes a model with what is of it (cascade); false the second time', async () => {
    const store = await fresh();
    const m = (await store.models.create(model('m')))!;
    // a bare baseline row (no port call writes one without its profile's statistics)
    await storedRows(store, "INSERT INTO baselines (model_id, row_count, updated_at, profile) VALUES (?, 1, 1, '{}')", m.id);
    expect(await store.models.remove(m.id)).toBe(true);
    expect(await store.models.remove(m.id)).toBe(false);
    expect(await storedValue(store, 'SELECT count(*) AS n FROM baselines')).toBe(0);
  });
});

describe('deleteModel', () => {
  it('acts on what remove returns: a model gone since the lookup is NOT_FOUND, with no audit entry', async () => {
    const store = await fresh();
    const m = (await store.models.create(model('m')))!;
    await store.models.remove(m.id);
    // the lookup still saw it (as a concurrent deletion leaves it): the record from before
    const racing = { ...store, models: { ...store.models, byName: async () => m } } as TestStore;
    const deps = { store: racing, clock: fixedClock(5000), log: silentLogger() };
    const actor = { name: 'local', role: 'ADMIN' as const };
    await expect(deleteModel(deps, actor, 'm')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'model "m" not found' });
    await expect(deleteModel({ ...deps, store }, actor, 'm')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'model "m" not found' });
    expect((await listAudit(deps)).filter((e) => e.action === 'deleteModel')).toEqual([]);
  });
});

describe('store.apiKeys', () => {
  it('authenticates active keys by hash only, counts them, keeps the first revocation time', async () => {
    const store = await fresh();
    const k1 = await store.apiKeys.create({ name: 'ci', role: 'INGEST', secretHash: 'h1', createdAt: 10 });
    await store.apiKeys.create({ name: 'ops', role: 'VIEWER', secretHash: 'h2', createdAt: 20 });
    expect(k1).toEqual({ id: k1.id, name: 'ci', role: 'INGEST', createdAt: 10, revokedAt: null });
    expect(await store.apiKeys.activeByHash('h1')).toEqual({ name: 'ci', role: 'INGEST' });
    expect(await store.apiKeys.activeByHash('nope')).toBeNull();
    expect(await store.apiKeys.activeCount()).toBe(2);
    await store.apiKeys.revoke(k1.id, 30);
    await store.apiKeys.revoke(k1.id, 40);
    expect(await store.apiKeys.byId(k1.id)).toMatchObject({ revokedAt: 30 });
    expect(await store.apiKeys.activeByHash('h1')).toBeNull();
    expect(await store.apiKeys.activeCount()).toBe(1);
    expect((await store.apiKeys.list()).map((k) => k.name)).toEqual(['ci', 'ops']);
    expect(await store.apiKeys.byId(999)).toBeNull();
  });
});

describe('store.audit', () => {
  it('rolls an entry back with the change it records', async () => {
    const store = await fresh();
    await expect(
      store.transaction(async () => {
        await store.models.create(model('m'));
        await store.audit.record(auditEntry(1, 'ci', 'createModel', 'm', { name: 'm' }));
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await store.models.list()).toEqual([]);
    expect(await store.audit.list(10)).toEqual([]);
  });

  it('keeps the same entry through writeAudit, in a transaction or not, newest first', async () => {
    const store = await fresh();
    const deps = { store, clock: fixedClock(0), log: silentLogger() };
    const details = { name: 'hook', webhookUrl: 'https://u:p@example.com/x?token=1', webhookSecret: 's', n: [1, 2] };
    await writeAudit(deps, 1, { name: 'ci', role: 'ADMIN' }, 'createChannel', 'channel:hook', details);
    await store.transaction(() => writeAudit(deps, 2, 'ci', 'createChannel', 'channel:hook', details));
    await writeAudit(deps, 3, 'local', 'deleteModel', 'm');
    const [third, second, first] = await listAudit(deps, 10);
    expect(first).toEqual({ at: 1, actor: 'ci', action: 'createChannel', target: 'channel:hook', details: { name: 'hook', webhookUrl: 'https://example.com/[redacted]', webhookSecret: '[redacted]', n: [1, 2] } });
    expect(second).toEqual({ ...first, at: 2 });
    expect(third).toEqual({ at: 3, actor: 'local', action: 'deleteModel', target: 'm', details: null });
    expect(await listAudit(deps, 1)).toEqual([third]);
  });
});
