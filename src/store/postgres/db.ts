// The drizzle handle's type over the PostgreSQL schema (its own module: the client, the
// context and the transactions all name it, and the client imports the other two).
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as schema from './schema/index.js';

export type PgDb = NodePgDatabase<typeof schema>;
