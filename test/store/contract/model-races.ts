// Two callers creating the same model name at once: the database decides, one wins and the
// other gets null, through two connections (pools) as well as two transactions on one.
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import { gate, names, newModel } from './support.js';

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
    await h.lockWaited(); // the second insert waits for the first transaction's outcome
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
    await h.lockWaited(); // the second insert waits for the first transaction's outcome
    end.open();
    await expect(first).rejects.toThrow('rolled back');
    const b = await second;
    expect(b).toMatchObject({ name: 'same', description: 'second' });
    expect(await h.store.models.list()).toEqual([b]);
  });

  // what the services do: look a model up, then change it, in one transaction
  const readThenWrite = (name: string, change: (id: number, description: string | null) => Promise<unknown>, held?: Promise<void>, read?: () => void) =>
    h.store.transaction(async () => {
      const cur = await h.store.models.byName(name);
      read?.();
      await held;
      if (!cur) return 'absent';
      await change(cur.id, cur.description);
      return 'changed';
    });

  it('serialises two transactions that read a model then update it: neither update is lost', async () => {
    await h.store.models.create(newModel('m', { description: 'd' }));
    const read = gate();
    const end = gate();
    const append = (id: number, d: string | null) => h.store.models.update(id, { description: `${d}+` });
    const first = readThenWrite('m', append, end.wait, read.open);
    await read.wait;
    const secondRead = gate();
    const second = readThenWrite('m', append, undefined, secondRead.open);
    // the second lookup waits for the first transaction's lock, or (were there none) has read
    await Promise.race([h.lockWaited(), secondRead.wait]);
    end.open();
    expect(await Promise.all([first, second])).toEqual(['changed', 'changed']);
    expect(await h.store.models.byName('m')).toMatchObject({ description: 'd++' });
  });

  it('serialises two transactions that read a model then delete it: the second finds it gone', async () => {
    await h.store.models.create(newModel('m'));
    const read = gate();
    const end = gate();
    const remove = async (id: number) => expect(await h.store.models.remove(id)).toBe(true);
    const first = readThenWrite('m', remove, end.wait, read.open);
    await read.wait;
    const secondRead = gate();
    const second = readThenWrite('m', remove, undefined, secondRead.open);
    // the second lookup waits for the first transaction's lock, or (were there none) has read
    await Promise.race([h.lockWaited(), secondRead.wait]);
    end.open();
    expect(await Promise.all([first, second])).toEqual(['changed', 'absent']);
  });
}
