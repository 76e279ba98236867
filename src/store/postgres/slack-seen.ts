// SlackSeenRepo on PostgreSQL: one table shared by every replica, pruned on every claim.
import { sql } from 'drizzle-orm';
import type { SlackSeenRepo } from '../ports/slack-seen.js';
import type { PgContext } from './context.js';
import { int8 } from './int8.js';

/** The PostgreSQL slack_seen repository. */
export function pgSlackSeen({ tx }: PgContext): SlackSeenRepo {
  return {
    // Two statements, no transaction of their own: pruning is independent of the claim, and
    // the upsert alone decides (a key another replica left expired, not pruned yet, is taken).
    claim: async (hash, now, expiresAt) => {
      const q = tx.q();
      await q.execute(sql`DELETE FROM slack_seen WHERE expires_at <= ${now}`);
      const r = await q.execute(
        sql`INSERT INTO slack_seen (hash, expires_at) VALUES (${hash}, ${expiresAt})
            ON CONFLICT (hash) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE slack_seen.expires_at <= ${now}`,
      );
      return r.rowCount === 1;
    },
    count: async () => int8((await tx.q().execute<{ n: unknown }>(sql`SELECT count(*) AS n FROM slack_seen`)).rows[0]!.n),
  };
}
