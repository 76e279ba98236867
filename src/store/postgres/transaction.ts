// Async transactions on the PostgreSQL pool. A transaction holds one pooled connection
// (drizzle's `db.transaction`); AsyncLocalStorage remembers it for the async context of fn,
// so every repository call made inside runs on that connection and others run on the pool,
// concurrently (the database isolates them, unlike SQLite's single connection). Isolation is
// READ COMMITTED: repositories lock what a transaction reads to change (see models.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import type { PgDb } from './db.js';

/** drizzle's transaction handle: the same query API as the pool's. */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** What a repository runs its statements on: the open transaction, or the pool. */
export type PgExecutor = PgDb | PgTx;

interface Open {
  tx: PgTx;
  /** false once the transaction ended: a callback fn left behind must not reuse its connection */
  open: boolean;
}

export class PgTransactions {
  private readonly context = new AsyncLocalStorage<Open>();

  constructor(private readonly db: PgDb) {}

  /** The transaction open in this async context, else the pool. */
  q(): PgExecutor {
    const t = this.context.getStore();
    return t?.open ? t.tx : this.db;
  }

  /**
   * The pooled connection of the transaction open in this async context, else null: what
   * drizzle does not cover (COPY, savepoints, the pool's type parsers) runs on it directly.
   */
  client(): pg.PoolClient | null {
    const t = this.context.getStore();
    if (!t?.open) return null;
    // drizzle-orm 0.45 keeps the transaction's connection as `session.client` (not in its types)
    const client = (t.tx as unknown as { session?: { client?: pg.PoolClient } }).session?.client;
    if (!client || typeof client.query !== 'function') throw new Error('drizzle transaction without its pg client: drizzle-orm internals changed');
    return client;
  }

  /** True inside an open transaction's own async context. */
  inside(): boolean {
    return this.context.getStore()?.open === true;
  }

  /** Runs fn in one BEGIN … COMMIT (ROLLBACK when it throws) on one connection; nested calls join. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside()) return fn();
    return this.db.transaction(async (tx) => {
      const t: Open = { tx, open: true };
      try {
        return await this.context.run(t, fn);
      } finally {
        t.open = false;
      }
    });
  }

  /**
   * Runs body, several statements that must be atomic, in the enclosing transaction or in
   * one of its own (what a SQLite repository gets from `sqlite.transaction(fn).immediate()`).
   */
  atomic<T>(body: (q: PgExecutor) => Promise<T>): Promise<T> {
    return this.run(() => body(this.q()));
  }
}
