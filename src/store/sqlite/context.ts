// What every SQLite repository is built from: the drizzle handle, the raw connection (for
// prepared statements on hot paths) and the async transaction gate they all go through.
import type Database from 'better-sqlite3';
import type { Db } from '../../db/drizzle.js';
import { SqliteTransactions } from './transaction.js';

export interface SqliteContext {
  db: Db;
  sqlite: Database.Database;
  tx: SqliteTransactions;
  /** The connection's prepared statement for `sql`, prepared on first use (tables may not exist before migrating). */
  statement<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R>;
}

/** A repository context on one connection. */
export function sqliteContext(db: Db, sqlite: Database.Database): SqliteContext {
  const cache = new Map<string, Database.Statement>();
  return {
    db,
    sqlite,
    tx: new SqliteTransactions(sqlite),
    statement<P extends unknown[], R>(sql: string) {
      let s = cache.get(sql);
      if (!s) cache.set(sql, (s = sqlite.prepare(sql)));
      return s as unknown as Database.Statement<P, R>;
    },
  };
}
