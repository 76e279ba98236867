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
import { settleAllHeads } from '../store/sqlite/data/shared-heads.js';
import { isPostgresUrl } from '../store/postgres/url.js';

import type { Db } from './drizzle.js';

export type { Db };

/**
 * The SQLite adapter of the storage port, with its raw handles (`db`, `sqlite`): no service
 * uses them (every family is behind the port); tests, benches and SQLite-only tools do.
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

/** Why openStore refuses a PostgreSQL URL: it opens SQLite files; GLASSBOX_DB of either kind goes through openAnyStore. */
export const NOT_A_SQLITE_FILE = 'openStore opens SQLite files: a PostgreSQL GLASSBOX_DB is opened by openAnyStore (src/store/open-store.ts)';

/**
 * Opens (creating its folder) and migrates the database. WAL with synchronous=FULL:
 * a committed ingest survives a power cut, not only a crash. The page cache is sized so
 * the event and statistics indexes stay in memory.
 */
export function openStore(path: string, opts: { migrate?: boolean; synchronous?: 'FULL' | 'NORMAL' } = {}): Store {
  if (isPostgresUrl(path)) throw new Error(NOT_A_SQLITE_FILE);
  if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL only where a rerun recreates the data (the demo): a power cut may undo its last commits
  sqlite.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 32 MiB: ingest only appends (no index on random keys), so a bigger cache just fills with
  // written pages: at 256 MiB a 266 MiB NDJSON stream peaked at 427 MiB RSS; at 32, 1 GB at 252
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoint every ~40 MB of WAL instead of every ~4 MB: events that arrive shuffled rewrite
  // the last leaf of ~170 hour runs of the events index in every commit, and a checkpoint
  // copies each page once however many versions the WAL holds (scratch loop, 300k rows
  // shuffled over a week, 2000 a commit: 5.6-6.1 us a row at 1000 pages, 4.7-4.9 at 10000,
  // no better at 25000; in time order 3.8-3.9 and 3.6-3.8)
  sqlite.pragma('wal_autocheckpoint = 10000');
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
      if (!sqlite.open) return;
      settleAllHeads(ctx);
      sqlite.close();
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
