// The versions and segments repositories: records as created, a taken name answered with
// null (never an error), orderings (versions by creation, segments by code point), the
// model's current version, deletion, and both gone with their model.
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import type { SegmentCondition } from '../../../src/domain/segments/segment.js';
import { T0, newModel } from './support.js';

const cond = (o: Partial<SegmentCondition>): SegmentCondition => ({ feature: 'age', in: null, gte: null, gt: null, lte: null, lt: null, isMissing: null, ...o });

/** The versions and segments part of the contract. */
export function versionsSegmentsContract(h: RepoHarness): void {
  it('creates versions, refuses a taken name with null, lists them oldest first and keeps the current one', async () => {
    const { models, versions } = h.store;
    const m = (await models.create(newModel('churn')))!;
    const other = (await models.create(newModel('other')))!;
    const b = (await versions.create({ modelId: m.id, name: 'b', description: null, createdAt: T0 + 1 }))!;
    const a = (await versions.create({ modelId: m.id, name: 'a', description: 'first', createdAt: T0 }))!;
    expect(a).toEqual({ id: expect.any(Number), modelId: m.id, name: 'a', description: 'first', createdAt: T0, baselineRowCount: null, baselineUpdatedAt: null });
    expect(await versions.create({ modelId: m.id, name: 'a', description: null, createdAt: T0 })).toBeNull();
    expect(await versions.create({ modelId: other.id, name: 'a', description: null, createdAt: T0 })).not.toBeNull();
    expect((await versions.list(m.id)).map((v) => v.name)).toEqual(['a', 'b']);
    expect(await versions.byName(m.id, 'b')).toEqual(b);
    expect(await versions.byId(a.id)).toEqual(a);
    expect(await versions.byName(m.id, 'c')).toBeNull();

    expect((await models.byId(m.id))!.currentVersionId).toBeNull();
    await versions.setCurrent(m.id, b.id);
    expect((await models.byName('churn'))!.currentVersionId).toBe(b.id);
    expect((await models.byId(other.id))!.currentVersionId).toBeNull();
    await models.remove(m.id);
    expect(await versions.byId(a.id)).toBeNull();
  });

  it('creates segments with their conditions, lists them by code point, refuses a taken name with null, deletes them', async () => {
    const { models, segments } = h.store;
    const m = (await models.create(newModel('churn')))!;
    const conditions = [cond({ gte: -1.5, lt: 10 }), cond({ feature: 'country', in: ['FR', 'é'], isMissing: false })];
    const z = (await segments.create({ modelId: m.id, name: 'z', conditions, createdAt: T0 }))!;
    expect(z).toEqual({ id: expect.any(Number), modelId: m.id, name: 'z', conditions, createdAt: T0 });
    const upper = (await segments.create({ modelId: m.id, name: 'Z', conditions: [cond({ isMissing: true })], createdAt: T0 + 1 }))!;
    expect(await segments.create({ modelId: m.id, name: 'z', conditions, createdAt: T0 })).toBeNull();
    expect((await segments.list(m.id)).map((s) => s.name)).toEqual(['Z', 'z']);
    expect(await segments.byName(m.id, 'z')).toEqual(z);
    expect(await segments.delete(upper.id)).toBe(true);
    expect(await segments.delete(upper.id)).toBe(false);
    expect(await segments.byName(m.id, 'Z')).toBeNull();
    await models.remove(m.id);
    expect(await segments.list(m.id)).toEqual([]);
  });
}
