// OutboxRepo on PostgreSQL: replicas share the outbox. A claim locks the due rows it takes
// (FOR UPDATE SKIP LOCKED: a row another replica is claiming is passed over, not waited
// for) and leases them for leaseMs; a replica that dies mid-delivery leaves its rows to be
// claimed again once the lease is over; one restarted under the same name releases its own
// claims at once (claimed_by). The payload is json (key order kept, as on SQLite).
import { sql, type SQL } from 'drizzle-orm';
import type { NotificationType } from '../../domain/alerts/state-machine.js';
import type { DeliveryRecord, DeliveryStatus, WebhookBody } from '../../domain/monitoring/notification.js';
import type { OutboxRepo } from '../ports/outbox.js';
import type { PgContext } from './context.js';
import { int8, int8OrNull } from './int8.js';

interface Row extends Record<string, unknown> {
  id: number;
  alert_id: number | null;
  channel_id: number;
  type: string;
  idempotency_key: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: unknown;
  next_attempt_at: unknown;
  delivered_at: unknown;
  ref_channel: string | null;
  ref_ts: string | null;
}

const NAMES = ['id', 'alert_id', 'channel_id', 'type', 'idempotency_key', 'status', 'attempts', 'last_error', 'created_at', 'next_attempt_at', 'delivered_at', 'ref_channel', 'ref_ts'];
const COLUMNS = sql.raw(NAMES.join(', '));
/** The same, qualified: the claim's UPDATE joins a CTE that has an id too. */
const CLAIMED = sql.raw(NAMES.map((n) => `deliveries.${n}`).join(', '));

function toRecord(r: Row): DeliveryRecord {
  return {
    id: r.id,
    alertId: r.alert_id,
    channelId: r.channel_id,
    type: r.type as NotificationType,
    idempotencyKey: r.idempotency_key,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: int8(r.created_at),
    nextAttemptAt: r.status === 'PENDING' ? int8OrNull(r.next_attempt_at) : null,
    deliveredAt: int8OrNull(r.delivered_at),
    refChannel: r.ref_channel,
    refTs: r.ref_ts,
  };
}

/** The PostgreSQL outbox repository. */
export function pgOutbox({ tx }: PgContext): OutboxRepo {
  const run = (query: SQL) => tx.q().execute(query);
  const records = async (query: SQL) => (await tx.q().execute<Row>(query)).rows.map(toRecord);
  return {
    enqueue: async (rows) => {
      if (!rows.length) return;
      const values = sql.join(
        rows.map(
          (r) => sql`(${r.alertId}::int, ${r.channelId}::int, ${r.type}, ${r.idempotencyKey}, ${JSON.stringify(r.payload)}::json, 'PENDING', 0, ${r.createdAt}::bigint, ${r.createdAt}::bigint)`,
        ),
        sql`, `,
      );
      await run(sql`INSERT INTO deliveries (alert_id, channel_id, type, idempotency_key, payload, status, attempts, created_at, next_attempt_at)
        VALUES ${values} ON CONFLICT (idempotency_key) DO NOTHING`);
    },
    // The lock is re-checked on the row's newest version (READ COMMITTED): a row another
    // replica claimed and committed meanwhile no longer matches and is not returned.
    claimDue: async (now, limit, leaseMs, instance) => {
      const claimed = await records(sql`WITH due AS (
          SELECT d.id FROM deliveries d
           WHERE d.status = 'PENDING' AND d.next_attempt_at <= ${now} AND (d.claimed_at IS NULL OR d.claimed_at <= ${now - leaseMs})
             AND NOT EXISTS (SELECT 1 FROM deliveries e
                              WHERE e.alert_id = d.alert_id AND e.channel_id = d.channel_id AND e.id < d.id AND e.status = 'PENDING')
           ORDER BY d.next_attempt_at, d.id LIMIT ${limit}
           FOR UPDATE SKIP LOCKED)
        UPDATE deliveries SET attempts = attempts + 1, claimed_at = ${now}, claimed_by = ${instance} FROM due WHERE deliveries.id = due.id
        RETURNING ${CLAIMED}`);
      // RETURNING has no order: the claim's (due first), as on SQLite
      return claimed.sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt! || a.id - b.id);
    },
    insertClaimed: async (d, instance) =>
      (
        await tx.q().execute<{ id: number }>(sql`INSERT INTO deliveries (alert_id, channel_id, type, idempotency_key, payload, status, attempts, created_at, claimed_at, claimed_by)
          VALUES (${d.alertId}::int, ${d.channelId}, ${d.type}, ${d.idempotencyKey}, ${JSON.stringify(d.payload)}::json, 'PENDING', 1, ${d.createdAt}::bigint, ${d.createdAt}::bigint, ${instance})
          RETURNING id`)
      ).rows[0]!.id,
    payload: async (id) => ((await tx.q().execute<{ payload: WebhookBody }>(sql`SELECT payload FROM deliveries WHERE id = ${id}`)).rows[0]?.payload ?? null),
    confirm: async (id, at, ref) =>
      (
        await run(sql`UPDATE deliveries SET status = 'DELIVERED', delivered_at = ${at}, claimed_at = NULL, claimed_by = NULL, last_error = NULL,
          ref_channel = ${ref?.channel ?? null}, ref_ts = ${ref?.ts ?? null} WHERE id = ${id} AND status = 'PENDING'`)
      ).rowCount === 1,
    retryLater: async (id, nextAttemptAt, reason) => {
      await run(sql`UPDATE deliveries SET last_error = ${reason}, next_attempt_at = ${nextAttemptAt}, claimed_at = NULL, claimed_by = NULL WHERE id = ${id} AND status = 'PENDING'`);
    },
    fail: async (id, reason) => {
      await run(sql`UPDATE deliveries SET status = 'FAILED', last_error = ${reason}, claimed_at = NULL, claimed_by = NULL WHERE id = ${id} AND status = 'PENDING'`);
    },
    // only this instance's: another replica's claim may be an attempt in flight right now
    releaseClaims: async (instance) =>
      (await run(sql`UPDATE deliveries SET claimed_at = NULL, claimed_by = NULL WHERE status = 'PENDING' AND claimed_at IS NOT NULL AND claimed_by = ${instance}`)).rowCount ?? 0,
    thread: async (alertId, channelId) => {
      const r = (
        await tx.q().execute<{ channel: string | null; ts: string | null }>(sql`SELECT ref_channel AS channel, ref_ts AS ts FROM deliveries
          WHERE alert_id = ${alertId} AND channel_id = ${channelId} AND status = 'DELIVERED' AND ref_ts IS NOT NULL ORDER BY id LIMIT 1`)
      ).rows[0];
      return r?.channel && r.ts ? { channel: r.channel, ts: r.ts } : undefined;
    },
    ofAlert: (alertId) => records(sql`SELECT ${COLUMNS} FROM deliveries WHERE alert_id = ${alertId} ORDER BY id`),
    countByStatus: async () => {
      const out: Record<DeliveryStatus, number> = { PENDING: 0, DELIVERED: 0, FAILED: 0 };
      for (const r of (await tx.q().execute<{ status: string; n: unknown }>(sql`SELECT status, count(*) AS n FROM deliveries GROUP BY status`)).rows) out[r.status as DeliveryStatus] = int8(r.n);
      return out;
    },
  };
}
