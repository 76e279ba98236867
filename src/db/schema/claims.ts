// Claims on scheduled work (src/store/ports/claims.ts): one row per (scope, at), e.g. a
// monitor's tick or a day's retention run, naming the server that does it and until when.
// A single SQLite process claims too, so both stores keep the same rows and tests.
import { sqliteTable, integer, text, index, primaryKey } from 'drizzle-orm/sqlite-core';

export const claims = sqliteTable(
  'claims',
  {
    /** what is claimed: `monitor:<id>`, `retention` */
    scope: text('scope').notNull(),
    /** the scheduled time it is claimed for (epoch ms) */
    at: integer('at').notNull(),
    /** the instance doing it (GLASSBOX_INSTANCE, else host:pid) */
    claimedBy: text('claimed_by').notNull(),
    /** until when the holder may work before another takes it over (epoch ms) */
    leaseUntil: integer('lease_until').notNull(),
    /** set once the work is done: never claimed again */
    doneAt: integer('done_at'),
  },
  (t) => [primaryKey({ columns: [t.scope, t.at] }), index('claims_lease').on(t.leaseUntil)],
);
