// Writers that share the SQLite file with another process (the server, the CLI, the demo).
// In WAL mode a transaction that begins DEFERRED, reads, then writes fails at once with
// SQLITE_BUSY when another connection committed in between: the busy timeout never applies.
// So every transaction here begins IMMEDIATE (it waits for the write lock, up to the busy
// timeout, before reading), and a caller that may outlast the timeout retries with withBusyRetry.
import type Database from 'better-sqlite3';

/** Makes `sqlite.transaction(fn)` begin IMMEDIATE by default (drizzle's default `deferred` too). */
export function immediateTransactions(sqlite: Database.Database): void {
  const make = sqlite.transaction.bind(sqlite);
  const wrapped = ((fn: (...args: unknown[]) => unknown) => {
    const t = make(fn);
    const run = (...args: unknown[]) => t.immediate(...args);
    return Object.assign(run, { default: t.immediate, deferred: t.immediate, immediate: t.immediate, exclusive: t.exclusive });
  }) as unknown as typeof sqlite.transaction;
  Object.defineProperty(sqlite, 'transaction', { value: wrapped, configurable: true, writable: true });
}

/** True for SQLite's "database is locked" family (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * Runs `step` again while it fails with a busy database, waiting longer each time. Only for
 * steps whose transactions roll back whole on failure and that are safe to repeat.
 */
export async function withBusyRetry<T>(step: () => Promise<T> | T, opts: { attempts?: number; onRetry?: (attempt: number, err: unknown) => void } = {}): Promise<T> {
  const attempts = opts.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!isBusy(err) || attempt >= attempts) throw err;
      opts.onRetry?.(attempt, err);
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}
