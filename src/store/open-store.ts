// The store factory: GLASSBOX_DB names a PostgreSQL database (postgres://…) or a SQLite file,
// and serve, ingest, demo and migrate open it here, so they all agree on which store runs.
import { openStore, type Store } from '../db/client.js';
import type { PostgresStore } from './postgres/client.js';
import { describePostgresUrl, isPostgresUrl } from './postgres/url.js';

/** Either adapter, opened and migrated; close() may be awaited on both. */
export type AnyStore = Store | PostgresStore;

export interface OpenStoreOptions {
  /** apply pending migrations first (default true) */
  migrate?: boolean;
  /** PostgreSQL: the pool's size (default 10) */
  max?: number;
  /** SQLite: NORMAL only where a rerun recreates the data (the demo); default FULL */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens GLASSBOX_DB and applies pending migrations (unless `migrate: false`): a PostgreSQL
 * URL through a pool (pg is loaded only then), anything else as a SQLite file.
 */
export async function openAnyStore(db: string, opts: OpenStoreOptions = {}): Promise<AnyStore> {
  const { max, synchronous, ...both } = opts;
  if (!isPostgresUrl(db)) return openStore(db, { ...both, ...(synchronous ? { synchronous } : {}) });
  const { openPostgres } = await import('./postgres/client.js');
  try {
    return await openPostgres(db, { ...both, ...(max ? { max } : {}) });
  } catch (err) {
    // the one line the operator sees: which database (password masked), and why
    throw new Error(`cannot open the PostgreSQL database ${describePostgresUrl(db)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
