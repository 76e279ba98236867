// Async transactions on one better-sqlite3 connection. The connection is synchronous and
// shared by the whole process, so while an async transaction is open (it awaits between
// statements) no other caller may use the connection: repository methods run through
// `exec()`. Calls made inside the transaction (same async context) pass straight through.
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';

export class SqliteTransactions {
  private readonly context = new AsyncLocalStorage<symbol>();
  /** the open transaction's token, and a promise that settles when it ends */
  private open: { token: symbol; done: Promise<void> } | null = null;

  constructor(private readonly sqlite: Database.Database) {}

  /** True inside the open transaction's own async context. */
  inside(): boolean {
    return this.open !== null && this.context.getStore() === this.open.token;
  }

  /**
   * True when a synchronous body may run now: no transaction is open, or the caller is
   * inside it (the ingest writers commit on the caller's turn then, with no await).
   */
  free(): boolean {
    return this.open === null || this.inside();
  }

  /**
   * Runs a repository method's synchronous body once no other caller's transaction holds
   * the connection (at once inside one's own). The check and the body run with no await
   * between them, so the body never lands inside someone else's transaction.
   */
  async exec<T>(body: () => T): Promise<T> {
    while (this.open && !this.inside()) await this.open.done;
    return body();
  }

  /** Runs fn in one BEGIN IMMEDIATE … COMMIT (ROLLBACK when it throws); nested calls join. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside()) return fn();
    // checked and taken with no await in between, so two callers never both take it
    while (this.open) await this.open.done;
    const token = Symbol('sqlite-transaction');
    let end!: () => void;
    this.open = { token, done: new Promise<void>((r) => (end = r)) };
    try {
      this.sqlite.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.context.run(token, fn);
        this.sqlite.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.open = null;
      end();
    }
  }
}
