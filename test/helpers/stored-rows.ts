// What a store holds where no API shows it (raw events, pending actuals, the outbox's
// columns), read by a SELECT on either store: both adapters have the same tables and
// columns (test/store/postgres-migrations.test.ts compares them). Read-only inspection.
import type { Store } from '../../src/db/client.js';
import type { PostgresStore } from '../../src/store/postgres/client.js';
import type { StorePort } from '../../src/store/port.js';

/** The rows `sql` (with `?` placeholders) selects, on the store's own connection (none for a statement that selects nothing). */
export async function storedRows<T = Record<string, unknown>>(store: StorePort, sql: string, ...params: unknown[]): Promise<T[]> {
  if (store.kind === 'sqlite') {
    const st = (store as Store).sqlite.prepare(sql);
    if (st.reader) return st.all(...params) as T[];
    st.run(...params); // a statement that returns nothing (a test's setup)
    return [];
  }
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  return (await (store as PostgresStore).pool.query(text, params)).rows as T[];
}

/** The first column of the first row (a count, a max). */
export async function storedValue<T = number>(store: StorePort, sql: string, ...params: unknown[]): Promise<T> {
  const [row] = await storedRows(store, sql, ...params);
  return (row ? Object.values(row)[0] : undefined) as T;
}
