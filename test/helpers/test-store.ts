// The one switch between the stores the suite runs on: GLASSBOX_TEST_STORE (`sqlite`, the
// default, or `postgres`), set per vitest project (vitest.config.ts). Everything in the tests
// that creates a database asks here, so every test file runs on both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreKind, StorePort } from '../../src/store/port.js';
import type { Store } from '../../src/db/client.js';
import type { Deps } from '../../src/services/deps.js';
import { openAnyStore } from '../../src/store/open-store.js';
import { createTempDatabase, testPostgres } from './postgres.js';

function storeOf(value: string | undefined): StoreKind {
  if (value === undefined || value === '' || value === 'sqlite') return 'sqlite';
  if (value === 'postgres') return 'postgres';
  throw new Error(`GLASSBOX_TEST_STORE=${JSON.stringify(value)}: must be sqlite or postgres`);
}

/** The store this test run uses. */
export const TEST_STORE: StoreKind = storeOf(process.env.GLASSBOX_TEST_STORE);

/** For `describe.runIf(onSqlite)`: tests of what only SQLite has (say which, in one line, beside it). */
export const onSqlite = TEST_STORE === 'sqlite';

/** The SQLite adapter behind `store`, for a test of what only SQLite has (throws on another store). */
export function sqliteOf(store: StorePort): Store {
  if (store.kind !== 'sqlite') throw new Error(`a SQLite-only test ran on ${store.kind}`);
  return store as Store;
}

export interface TestDatabase {
  /** what GLASSBOX_DB is set to: a SQLite file in `dir`, or a temporary PostgreSQL database's URL */
  db: string;
  /** drops a PostgreSQL database (SQLite files go with their folder) */
  drop(): Promise<void>;
}

/**
 * A fresh database for one server or store: `dir`/glassbox.db on SQLite (`dir` default: a
 * new temporary folder, removed by `drop`); on PostgreSQL a temporary database (migrated,
 * from the template) that `drop` removes.
 */
export async function createTestDatabase(dir?: string): Promise<TestDatabase> {
  if (TEST_STORE === 'sqlite') {
    // a folder made here goes with the database; a caller's folder is the caller's
    const own = dir === undefined;
    const folder = dir ?? mkdtempSync(join(tmpdir(), 'glassbox-test-'));
    return { db: join(folder, 'glassbox.db'), drop: async () => (own ? rmSync(folder, { recursive: true, force: true }) : undefined) };
  }
  const admin = await testPostgres();
  if (!admin) throw new Error('GLASSBOX_TEST_STORE=postgres, and no PostgreSQL answers (GLASSBOX_TEST_PG, or 127.0.0.1:5432)');
  const t = await createTempDatabase(admin);
  return { db: t.url, drop: t.drop };
}

/** A store opened on a test database: `close` closes it, `drop` also removes the database. */
export type TestStore = Deps['store'] & { database: TestDatabase };

/**
 * Opens (and migrates) a store of the run's kind on `database` (default: a fresh one);
 * reopening the same `database` is a restart.
 */
export async function openTestStore(database?: TestDatabase): Promise<TestStore> {
  const db = database ?? (await createTestDatabase());
  const store: Deps['store'] = await openAnyStore(db.db);
  return Object.assign(store, { database: db });
}

/** Another connection to a test database (a second process's, a CLI's): closing it drops nothing. */
export async function connectTestStore(db: string): Promise<Deps['store']> {
  return openAnyStore(db);
}

/** Closes the store and drops its database. */
export async function disposeTestStore(store: TestStore): Promise<void> {
  await store.close();
  await store.database.drop();
}
