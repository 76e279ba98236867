// Opens the SQLite file with the pragmas Glassbox relies on and applies migrations.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.js';
import { immediateTransactions } from './busy.js';
import type { StorePort } from '../store/port.js';
import { sqliteContext } from '../store/sqlite/context.js';
import { sqliteRepos } from '../store/sqlite/repos.js';
import { isPostgresUrl } from '../store/postgres/url.js';

import type { Db } from './drizzle.js';

export type { Db };

/**
 * The SQLite adapter of the storage port, with the raw handles that services not yet moved
 * behind the port still use (`db`, `sqlite`); they go once every family is behind it.
 */
export interface Store extends StorePort {
  readonly kind: 'sqlite';
  db: Db;
  /** the raw handle, for prepared statements on hot paths (ingest, stats) */
  sqlite: Database.Database;
  close(): void;
}

/** drizzle/sqlite/ at the package root, whether we run from src/ (tsx) or dist/ (built). */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle', 'sqlite');

/** Why serve, ingest and demo refuse a PostgreSQL GLASSBOX_DB for now. */
export const POSTGRES_NOT_YET =
  'GLASSBOX_DB is a PostgreSQL URL, and Glassbox cannot serve, ingest or run the demo on PostgreSQL yet: ' +
  'the services are not all behind the storage port (issue 11). `glassbox migrate` already prepares the database; ' +
  'use a SQLite file (the default ./data/glassbox.db) meanwhile.';

/**
 * Opens (creating its folder) and migrates the database. WAL with synchronous=FULL:
 * a committed ingest survives a power cut, not only a crash. The page cache is sized so
 * the event and statistics indexes stay in memory.
 */
export function openStore(path: string, opts: { migrate?: boolean } = {}): Store {
  if (isPostgresUrl(path)) throw new Error(POSTGRES_NOT_YET);
  if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 32 MiB: ingest only appends (no index on random keys), so a bigger cache just fills with
  // written pages: at 256 MiB a 266 MiB NDJSON stream peaked at 427 MiB RSS; at 32, 1 GB at 252
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma('temp_store = MEMORY');
  immediateTransactions(sqlite); // another process may write the same file: see busy.ts
  const db = drizzle(sqlite, { schema });
  if (opts.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  const ctx = sqliteContext(db, sqlite);
  return {
    kind: 'sqlite',
    transaction: (fn) => ctx.tx.run(fn),
    ...sqliteRepos(ctx),
    db,
    sqlite,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

/**
 * A read-only connection to an existing database file (a read worker's): it sees every
 * transaction committed before each of its reads begins (WAL), and never writes.
 */
export function openReader(path: string): Database.Database {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma('temp_store = MEMORY');
  return sqlite;
}
