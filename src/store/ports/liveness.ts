// Whether the store answers, and which server processes are alive: for `GET /healthz` and
// `Query.server.liveInstances`.
//
// Heartbeats on PostgreSQL (src/store/postgres/liveness.ts; SQLite needs no table): one row a
// replica in `instances (name text PRIMARY KEY, started_at bigint NOT NULL, beat_at bigint
// NOT NULL)`, epoch ms. `beat` upserts the row (`ON CONFLICT (name) DO UPDATE SET
// beat_at`) every HEARTBEAT_MS from a timer, outside any other transaction; `live` counts
// rows with `beat_at > now - LIVE_WITHIN_MS`, so a replica killed with `kill -9` stops
// counting within 30 s without anyone cleaning up; a graceful stop deletes its row, and rows
// not beaten for a day are deleted by `beat` itself. The time compared is the caller's
// clock, not the database's, so tests drive it.
// SQLite serves one process on one file: `beat` does nothing and `live` is always 1.

/** How often a server records that it is alive. */
export const HEARTBEAT_MS = 10_000;
/** A server whose last heartbeat is older than this is not counted as alive. */
export const LIVE_WITHIN_MS = 3 * HEARTBEAT_MS;

export interface LivenessRepo {
  /** Resolves once the store answers a trivial query; rejects when it cannot. */
  ping(): Promise<void>;
  /** Records that `instance` is alive at `now` (epoch ms). */
  beat(instance: string, now: number): Promise<void>;
  /** Forgets `instance` (a graceful stop), so it stops counting at once. */
  leave(instance: string): Promise<void>;
  /** How many server processes are alive at `now`: those that beat within LIVE_WITHIN_MS. */
  live(now: number): Promise<number>;
}
