// Tombstones of events retention deleted (purged_events), so that a late actual for one is
// refused with its reason instead of waiting forever as pending. SQLite keys them by a
// 53-bit hash computed in JavaScript; here the key is computed by the server
// (hashtextextended: 64 bits, seeded with the model id, stable across versions since hash
// partitioning depends on it), so that whole partitions are tombstoned without reading their
// eventIds out. Only this adapter reads the keys it writes.

/** SQL of the tombstone key of eventId expression `id` of model expression `model`. */
export const TOMBSTONE_KEY = (id: string, model: string): string => `hashtextextended(${id}, ${model})`;

/**
 * SQL inserting the tombstones of the eventIds `source` selects (a query with an
 * `event_id` column) for model $1, expiring at $2 (a purge again moves their expiry on).
 */
export const tombstoneInsert = (source: string): string =>
  `INSERT INTO purged_events (key, model_id, expires_at)
   SELECT DISTINCT ${TOMBSTONE_KEY('s.event_id', '$1')}, $1::int, $2::bigint FROM (${source}) AS s
   ON CONFLICT (key) DO UPDATE SET model_id = excluded.model_id, expires_at = excluded.expires_at`;
