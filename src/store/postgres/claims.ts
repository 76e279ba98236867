// ClaimsRepo on PostgreSQL: replicas race for (scope, at) with one INSERT … ON CONFLICT DO
// UPDATE … WHERE: a concurrent claimer waits for the first one's row, then re-checks the
// WHERE on it (READ COMMITTED takes the newest version), so exactly one wins; the loser
// reads who holds it. A restarted replica releases only its own open claims.
import { sql } from 'drizzle-orm';
import type { ClaimsRepo } from '../ports/claims.js';
import type { PgContext } from './context.js';
import { int8, int8OrNull } from './int8.js';

/** The PostgreSQL claims repository. */
export function pgClaims({ tx }: PgContext): ClaimsRepo {
  return {
    claim: async (scope, at, instance, now, leaseMs) => {
      const q = tx.q();
      const won = await q.execute(sql`INSERT INTO claims (scope, at, claimed_by, lease_until) VALUES (${scope}, ${at}::bigint, ${instance}, ${now + leaseMs}::bigint)
        ON CONFLICT (scope, at) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until
        WHERE claims.done_at IS NULL AND (claims.lease_until <= ${now}::bigint OR claims.claimed_by = EXCLUDED.claimed_by)
        RETURNING 1`);
      if (won.rows.length) return { claimed: true };
      const h = (
        await q.execute<{ claimed_by: string; lease_until: unknown; done_at: unknown }>(
          sql`SELECT claimed_by, lease_until, done_at FROM claims WHERE scope = ${scope} AND at = ${at}::bigint`,
        )
      ).rows[0];
      // pruned in between (a lease long over): free again, for the next try
      if (!h) return { claimed: false, done: false, heldBy: '', leaseUntil: now };
      return { claimed: false, done: int8OrNull(h.done_at) !== null, heldBy: h.claimed_by, leaseUntil: int8(h.lease_until) };
    },
    finish: async (scope, at, instance, now) => {
      await tx.q().execute(sql`INSERT INTO claims (scope, at, claimed_by, lease_until, done_at) VALUES (${scope}, ${at}::bigint, ${instance}, ${now}::bigint, ${now}::bigint)
        ON CONFLICT (scope, at) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until, done_at = EXCLUDED.done_at
        WHERE claims.done_at IS NULL`);
    },
    // only this instance's: another replica's open claim may be work in progress
    release: async (instance) => (await tx.q().execute(sql`DELETE FROM claims WHERE claimed_by = ${instance} AND done_at IS NULL`)).rowCount ?? 0,
    prune: async (before) => (await tx.q().execute(sql`DELETE FROM claims WHERE lease_until < ${before}::bigint`)).rowCount ?? 0,
  };
}
