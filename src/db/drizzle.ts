// The drizzle handle's type, apart from client.ts so that the store's SQLite adapter can
// name it without importing the module that builds the adapter.
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema>;
