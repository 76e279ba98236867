// Opens the PostgreSQL store: a pg Pool, drizzle over it, the migrations of drizzle/postgres
// applied at start, and the storage port's repositories on it: every family of
// src/store/port.ts. Services still on the legacy SQLite handles (src/db) do not run on it yet (issue 11).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema/index.js';
import type { StorePort } from '../port.js';
import { pgContext } from './context.js';
import { postgresRepos } from './repos.js';

import type { PgDb } from './db.js';

export type { PgDb };

/** The PostgreSQL adapter of the storage port, with its pool and drizzle handle. */
export interface PostgresStore extends StorePort {
  readonly kind: 'postgres';
  pool: pg.Pool;
  db: PgDb;
  close(): Promise<void>;
}

/** drizzle/postgres/ at the package root, whether we run from src/ (tsx) or dist/ (built). */
export const PG_MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'drizzle', 'postgres');

/** Any 64-bit constant: replicas starting together take turns at migrating. */
const MIGRATION_LOCK = 0x676c617373626f78n; // "glassbox"

/** This store's type parsing: int8 (epoch ms, ids, counts: all below 2^53) as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Applies the migrations under a session advisory lock, so that replicas starting at once
 * do not both apply the same one (drizzle's migrator reads the applied list first).
 */
export async function migratePostgres(pool: pg.Pool, folder = PG_MIGRATIONS_DIR): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await migrate(drizzle({ client, schema }), { migrationsFolder: folder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

/**
 * A connection the database ends (a restart, a failover, pg_terminate_backend) must fail
 * its queries, not the process. pg emits 'error' on the client when the backend's FATAL
 * message arrives; pg-pool listens only while the client is idle, so on a checked-out
 * client (between two statements of a transaction) nobody did and Node threw it as an
 * uncaught 'error' event (checked with a script: the process exited). Every client gets a
 * listener of its own for its whole life; the pool's still removes idle ones.
 */
export function survivingLostConnections(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Connects to `url` (checking it answers) and applies pending migrations unless told not to. */
export async function openPostgres(url: string, opts: { migrate?: boolean; max?: number } = {}): Promise<PostgresStore> {
  const pool = survivingLostConnections(new pg.Pool({ connectionString: url, max: opts.max ?? 10, types }));
  try {
    if (opts.migrate !== false) await migratePostgres(pool);
    else await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw err;
  }
  const db = drizzle({ client: pool, schema });
  const ctx = pgContext(pool, db);
  return { kind: 'postgres', transaction: (fn) => ctx.tx.run(fn), ...postgresRepos(ctx), pool, db, close: () => pool.end() };
}
