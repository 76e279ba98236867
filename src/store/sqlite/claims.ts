// ClaimsRepo on SQLite: the same rows and answers as on PostgreSQL (one statement per
// claim), though one process holds the file; at start-up it releases every open claim,
// since no other process can be working on one.
import type { ClaimAnswer, ClaimsRepo } from '../ports/claims.js';
import type { SqliteContext } from './context.js';

const CLAIM = `INSERT INTO claims (scope, at, claimed_by, lease_until) VALUES (?, ?, ?, ?)
  ON CONFLICT (scope, at) DO UPDATE SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until
  WHERE claims.done_at IS NULL AND (claims.lease_until <= ? OR claims.claimed_by = excluded.claimed_by)
  RETURNING 1 AS ok`;
const HELD = 'SELECT claimed_by AS heldBy, lease_until AS leaseUntil, done_at AS doneAt FROM claims WHERE scope = ? AND at = ?';
const FINISH = `INSERT INTO claims (scope, at, claimed_by, lease_until, done_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (scope, at) DO UPDATE SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until, done_at = excluded.done_at
  WHERE claims.done_at IS NULL`;

/** The SQLite claims repository. */
export function sqliteClaims({ tx, statement }: SqliteContext): ClaimsRepo {
  return {
    claim: (scope, at, instance, now, leaseMs) =>
      tx.exec((): ClaimAnswer => {
        if (statement(CLAIM).get(scope, at, instance, now + leaseMs, now)) return { claimed: true };
        const h = statement<[string, number], { heldBy: string; leaseUntil: number; doneAt: number | null }>(HELD).get(scope, at)!;
        return { claimed: false, done: h.doneAt !== null, heldBy: h.heldBy, leaseUntil: h.leaseUntil };
      }),
    finish: (scope, at, instance, now) => tx.exec(() => void statement(FINISH).run(scope, at, instance, now, now)),
    release: () => tx.exec(() => statement('DELETE FROM claims WHERE done_at IS NULL').run().changes),
    prune: (before) => tx.exec(() => statement('DELETE FROM claims WHERE lease_until < ?').run(before).changes),
  };
}
