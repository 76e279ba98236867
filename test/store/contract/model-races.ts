// Two callers creating the same model name at once: the database decides, one wins and the
// other gets null, through two connections (pools) as well as two transactions on one.
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import { gate, names, newModel, tick } from './support.js';

/** The concurrent-creation part of the contract. */
export function modelRaceContract(h: RepoHarness): void {
  it('lets one of two connections creating the same names at once win each', async () => {
    const wanted = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
    const results = await Promise.all(
      wanted.flatMap((n) => [h.store.models.create(newModel(n, { description: 'first' })), h.second.models.create(newModel(n, { description: 'second' }))]),
    );
    const listed = await h.store.models.list();
    expect(names(listed)).toEqual(wanted);
    for (let i = 0; i < wanted.length; i++) {
      const pair = results.slice(2 * i, 2 * i + 2);
      expect(pair.filter((r) => r === null)).toHaveLength(1);
      expect(listed[i]).toEqual(pair.find((r) => r !== null));
    }
  });

  it('gives the second of two transactions creating the same name null once the first commits', async () => {
    const created = gate();
    const end = gate();
    const first = h.store.transaction(async () => {
      const m = await h.store.models.create(newModel('same', { description: 'first' }));
      created.open();
      await end.wait;
      return m;
    });
    await created.wait;
    const second = h.store.transaction(() => h.store.models.create(newModel('same', { description: 'second' })));
    await tick();
    end.open();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ name: 'same', description: 'first' });
    expect(b).toBeNull();
    expect(await h.store.models.list()).toEqual([a]);
  });

  it('gives the name to the second transaction when the first rolls back', async () => {
    const created = gate();
    const end = gate();
    const first = h.store.transaction(async () => {
      await h.store.models.create(newModel('same', { description: 'first' }));
      created.open();
      await end.wait;
      throw new Error('rolled back');
    });
    await created.wait;
    const second = h.store.transaction(() => h.store.models.create(newModel('same', { description: 'second' })));
    await tick();
    end.open();
    await expect(first).rejects.toThrow('rolled back');
    const b = await second;
    expect(b).toMatchObject({ name: 'same', description: 'second' });
    expect(await h.store.models.list()).toEqual([b]);
  });
}
