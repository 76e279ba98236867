// Claims on scheduled work, so that replicas sharing a database each set out to do it and
// one does it: a monitor's tick (scope `monitor:<id>`, at = the tick) or the day's retention
// run (scope `retention`, at = the day's scheduled time). A claim names its holder and has a
// lease: a holder killed mid-work (kill -9) or failing leaves it to the others once the lease
// is over, without anyone cleaning up; a holder that finished marks it done, and it is never
// claimed again. What makes the work happen once is the claim; what makes a second run
// harmless is the work's own idempotency (one evaluation per (monitor, at) by unique key).
// PostgreSQL: `INSERT … ON CONFLICT (scope, at) DO UPDATE … WHERE lease over AND NOT done
// RETURNING`, one statement, so two replicas never both win (the loser waits for the
// winner's row, then sees it held). Times are the caller's clock (tests drive it).

/** What a claim answered. */
export type ClaimAnswer =
  | { claimed: true }
  /** held by `heldBy` until `leaseUntil`, or done (by `heldBy`) */
  | { claimed: false; done: boolean; heldBy: string; leaseUntil: number };

export interface ClaimsRepo {
  /**
   * Claims (scope, at) for `instance` until now + leaseMs when it is free: never claimed, or
   * its lease is over (at or before `now`), or `instance` holds it already (renewed). Never
   * a done claim.
   */
  claim(scope: string, at: number, instance: string, now: number, leaseMs: number): Promise<ClaimAnswer>;
  /** Marks (scope, at) done at `now` by `instance` (recorded so even when no claim was taken). */
  finish(scope: string, at: number, instance: string, now: number): Promise<void>;
  /**
   * Releases, at start-up of `instance`, the claims no process can still be working on: its
   * own (a restart under the same GLASSBOX_INSTANCE) and, on SQLite, where one process holds
   * the file, every one; on PostgreSQL other replicas' claims end by their lease. Returns
   * how many.
   */
  release(instance: string): Promise<number>;
  /** Forgets claims whose lease ended before `before`, done or not (they no longer decide anything). */
  prune(before: number): Promise<number>;
}
