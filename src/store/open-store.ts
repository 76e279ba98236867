// The store factory: GLASSBOX_DB names a PostgreSQL database (postgres://…) or a SQLite file,
// and serve, ingest, demo and migrate open it here, so they all agree on which store runs.
import { openStore, POSTGRES_NOT_YET, type Store } from '../db/client.js';
import type { PostgresStore } from './postgres/client.js';
import { describePostgresUrl, isPostgresUrl } from './postgres/url.js';

/** Either adapter, opened and migrated; close() may be awaited on both. */
export type AnyStore = Store | PostgresStore;

/**
 * Opens GLASSBOX_DB and applies pending migrations (unless `migrate: false`): a PostgreSQL
 * URL through a pool (pg is loaded only then), anything else as a SQLite file.
 */
export async function openAnyStore(db: string, opts: { migrate?: boolean; max?: number } = {}): Promise<AnyStore> {
  if (!isPostgresUrl(db)) return openStore(db, opts);
  const { openPostgres } = await import('./postgres/client.js');
  try {
    return await openPostgres(db, opts);
  } catch (err) {
    // the one line the operator sees: which database (password masked), and why
    throw new Error(`cannot open the PostgreSQL database ${describePostgresUrl(db)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * The store services run on. Until the data family is behind the port (issue 11), that is
 * SQLite only: a PostgreSQL store is closed and refused with POSTGRES_NOT_YET.
 */
export async function openServiceStore(db: string): Promise<Store> {
  const store = await openAnyStore(db);
  if (store.kind === 'sqlite') return store;
  await store.close();
  throw new Error(POSTGRES_NOT_YET);
}
