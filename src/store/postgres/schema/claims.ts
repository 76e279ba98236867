// The PostgreSQL mirror of src/db/schema/claims.ts: claims on scheduled work, shared by the
// replicas (src/store/ports/claims.ts).
import { pgTable, bigint, text, index, primaryKey } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const claims = pgTable(
  'claims',
  {
    scope: text('scope').notNull(),
    at: ms('at').notNull(),
    claimedBy: text('claimed_by').notNull(),
    leaseUntil: ms('lease_until').notNull(),
    doneAt: ms('done_at'),
  },
  (t) => [primaryKey({ columns: [t.scope, t.at] }), index('claims_lease').on(t.leaseUntil)],
);
