// What every PostgreSQL repository is built from: the pool (for what drizzle does not
// cover, e.g. partitions), drizzle over it, and the transaction tracker they all go through.
import type pg from 'pg';
import type { PgDb } from './db.js';
import { PgTransactions } from './transaction.js';

export interface PgContext {
  pool: pg.Pool;
  db: PgDb;
  tx: PgTransactions;
}

/** A repository context on one pool. */
export function pgContext(pool: pg.Pool, db: PgDb): PgContext {
  return { pool, db, tx: new PgTransactions(db) };
}
