// Heartbeats of the server processes sharing this database (src/store/ports/liveness.ts).
// PostgreSQL only: on SQLite one process serves the file, so there is nothing to count.
// Times are the caller's clock in epoch ms, like every other time of the store.
import { pgTable, bigint, text, index } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const instances = pgTable(
  'instances',
  {
    name: text('name').primaryKey(),
    startedAt: ms('started_at').notNull(),
    beatAt: ms('beat_at').notNull(),
  },
  (t) => [index('instances_beat_at').on(t.beatAt)],
);
