// transaction(fn): commit, rollback, nesting, isolation from concurrent transactions and
// from calls made beside it, and callbacks that outlive it.
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import { gate, names, newModel, tick } from './support.js';

/** The transaction part of the contract. */
export function transactionContract(h: RepoHarness): void {
  const audit = (action: string) => h.store.audit.record({ at: 1, actor: 'test', action, target: null, details: null });
  const actions = async () => (await h.store.audit.list(100)).map((e) => e.action).reverse();

  it('commits every family written in fn, across awaits, and returns what fn returns', async () => {
    const out = await h.store.transaction(async () => {
      const m = await h.store.models.create(newModel('a'));
      await tick();
      await h.store.apiKeys.create({ name: 'k', role: 'VIEWER', secretHash: 'h1', createdAt: 1 });
      await h.store.slackSeen.claim('s1', 0, 10);
      await audit('created');
      return m!.name;
    });
    expect(out).toBe('a');
    expect(names(await h.store.models.list())).toEqual(['a']);
    expect(await h.store.apiKeys.activeCount()).toBe(1);
    expect(await h.store.slackSeen.count()).toBe(1);
    expect(await actions()).toEqual(['created']);
  });

  it('rolls back every family when fn throws, and rethrows its error', async () => {
    const err = new Error('boom');
    await expect(
      h.store.transaction(async () => {
        await h.store.models.create(newModel('a'));
        await h.store.apiKeys.create({ name: 'k', role: 'VIEWER', secretHash: 'h1', createdAt: 1 });
        await h.store.slackSeen.claim('s1', 0, 10);
        await audit('created');
        await tick();
        throw err;
      }),
    ).rejects.toBe(err);
    expect(await h.store.models.list()).toEqual([]);
    expect(await h.store.apiKeys.list()).toEqual([]);
    expect(await h.store.slackSeen.count()).toBe(0);
    expect(await actions()).toEqual([]);
  });

  it('sees its own writes inside, before committing', async () => {
    await h.store.transaction(async () => {
      const m = await h.store.models.create(newModel('a'));
      expect(await h.store.models.byName('a')).toEqual(m);
      expect(await h.store.models.update(m!.id, { description: 'changed' })).toMatchObject({ description: 'changed' });
    });
    expect(await h.store.models.byName('a')).toMatchObject({ description: 'changed' });
  });

  it('joins the enclosing transaction when nested: the outer failure undoes the inner writes', async () => {
    await expect(
      h.store.transaction(async () => {
        await audit('outer');
        await h.store.transaction(async () => audit('inner'));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await actions()).toEqual([]);
  });

  it('joins without a savepoint: an inner failure the outer catches keeps the inner writes', async () => {
    await h.store.transaction(async () => {
      await audit('outer');
      await h.store
        .transaction(async () => {
          await audit('inner');
          throw new Error('inner fails');
        })
        .catch(() => {});
    });
    expect(await actions()).toEqual(['outer', 'inner']);
  });

  it('runs repository calls made at once inside one transaction on it', async () => {
    await expect(
      h.store.transaction(async () => {
        await Promise.all([1, 2, 3, 4].map((i) => audit(`a${i}`)));
        expect(await h.store.audit.list(10)).toHaveLength(4);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await actions()).toEqual([]);
  });

  it('keeps concurrent transactions apart: each commits or rolls back its own writes only', async () => {
    const failing = h.store.transaction(async () => {
      await audit('f1');
      await tick();
      await audit('f2');
      throw new Error('rolled back');
    });
    const passing = h.store.transaction(async () => {
      await audit('p1');
      await tick();
      await audit('p2');
    });
    const [f, p] = await Promise.allSettled([failing, passing]);
    expect(f.status).toBe('rejected');
    expect(p.status).toBe('fulfilled');
    expect(await actions()).toEqual(['p1', 'p2']);
  });

  it('never shows a call made beside a transaction its half-done state', async () => {
    const half = gate();
    const end = gate();
    const tx = h.store.transaction(async () => {
      await h.store.models.create(newModel('a'));
      half.open();
      await end.wait;
      await h.store.models.create(newModel('b'));
    });
    await half.wait;
    const beside = h.store.models.list();
    if (h.outsideWaits) {
      end.open();
      expect(names(await beside)).toEqual(['a', 'b']); // it waited for the commit
    } else {
      expect(await beside).toEqual([]); // it ran at once, outside
      end.open();
    }
    await tx;
  });

  it('keeps a write made beside a transaction that rolls back', async () => {
    const half = gate();
    const end = gate();
    const tx = h.store.transaction(async () => {
      await audit('inside');
      half.open();
      await end.wait;
      throw new Error('rolled back');
    });
    await half.wait;
    const beside = audit('beside');
    if (!h.outsideWaits) await beside; // on a pool it commits before the transaction ends
    end.open();
    await expect(tx).rejects.toThrow('rolled back');
    await beside;
    expect(await actions()).toEqual(['beside']);
  });

  it('runs a callback that fn left behind outside, even while a later transaction is open', async () => {
    const later = gate();
    let pending!: Promise<void>;
    await expect(
      h.store.transaction(async () => {
        await audit('inside');
        // registered in the transaction's async context, runs after it ended
        pending = later.wait.then(() => audit('after'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // the next transaction may reuse the same connection: the callback must not land in it
    await expect(
      h.store.transaction(async () => {
        await audit('other');
        later.open();
        if (!h.outsideWaits) await pending;
        throw new Error('also rolled back');
      }),
    ).rejects.toThrow('also rolled back');
    await pending;
    expect(await actions()).toEqual(['after']);
  });
}
