// The SQLite adapter's async transactions: commit, rollback, nesting, and a second caller
// kept out of the connection while one is open.
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/client.js';

let store: Store;
afterEach(() => store?.close());

const count = () => (store.sqlite.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
const insert = (v: number) => store.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run(v);
const tick = () => new Promise((r) => setImmediate(r));

function fresh(): Store {
  store = openStore(':memory:', { migrate: false });
  store.sqlite.exec('CREATE TABLE t (v INTEGER)');
  return store;
}

describe('SQLite transaction port', () => {
  it('commits what fn wrote when it resolves, across awaits', async () => {
    fresh();
    const out = await store.transaction(async () => {
      insert(1);
      await tick();
      insert(2);
      return 'done';
    });
    expect(out).toBe('done');
    expect(count()).toBe(2);
    expect(store.sqlite.inTransaction).toBe(false);
  });

  it('rolls back everything when fn throws, and rethrows', async () => {
    fresh();
    await expect(
      store.transaction(async () => {
        insert(1);
        await tick();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(count()).toBe(0);
  });

  it('joins the enclosing transaction when nested', async () => {
    fresh();
    await expect(
      store.transaction(async () => {
        insert(1);
        await store.transaction(async () => insert(2));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(count()).toBe(0);
  });

  it('makes a second transaction wait until the first ends', async () => {
    fresh();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = store.transaction(async () => {
      order.push('first:start');
      insert(1);
      await gate;
      order.push('first:end');
    });
    const second = store.transaction(async () => {
      order.push('second');
      expect(count()).toBe(1);
    });
    await tick();
    expect(order).toEqual(['first:start']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second']);
  });

  it('lets a synchronous drizzle transaction nest inside (as a savepoint)', async () => {
    fresh();
    await store.transaction(async () => {
      store.sqlite.transaction(() => insert(1))();
      await tick();
    });
    expect(count()).toBe(1);
  });
});

describe('SQLite repository calls beside a transaction', () => {
  it('wait for an open transaction of another caller, never landing inside it', async () => {
    fresh();
    const { SqliteTransactions } = await import('../../src/store/sqlite/transaction.js');
    const tx = new SqliteTransactions(store.sqlite);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const failing = tx.run(async () => {
      insert(1);
      await gate;
      throw new Error('rolled back');
    });
    const outside = tx.exec(() => insert(2));
    await tick();
    expect(count()).toBe(1); // only the transaction's own row so far
    release();
    await expect(failing).rejects.toThrow('rolled back');
    await outside;
    expect(store.sqlite.prepare('SELECT v FROM t').all()).toEqual([{ v: 2 }]);
  });
});
