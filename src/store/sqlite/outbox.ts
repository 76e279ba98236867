// OutboxRepo on SQLite: claims and confirmations are prepared statements (the hot path of
// delivery); one process holds the database, so a claim is one IMMEDIATE transaction.
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { deliveries } from '../../db/schema/index.js';
import type { NotificationType } from '../../domain/alerts/state-machine.js';
import type { DeliveryRecord, DeliveryStatus, WebhookBody } from '../../domain/monitoring/notification.js';
import type { OutboxRepo } from '../ports/outbox.js';
import type { SqliteContext } from './context.js';

type Row = typeof deliveries.$inferSelect;

function toRecord(r: Row): DeliveryRecord {
  return {
    id: r.id,
    alertId: r.alertId,
    channelId: r.channelId,
    type: r.type as NotificationType,
    idempotencyKey: r.idempotencyKey,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt,
    nextAttemptAt: r.status === 'PENDING' ? r.nextAttemptAt : null,
    deliveredAt: r.deliveredAt,
    refChannel: r.refChannel,
    refTs: r.refTs,
  };
}

const DUE = `SELECT d.id FROM deliveries d
  WHERE d.status = 'PENDING' AND d.next_attempt_at <= ? AND (d.claimed_at IS NULL OR d.claimed_at <= ?)
    AND NOT EXISTS (SELECT 1 FROM deliveries e
                     WHERE e.alert_id = d.alert_id AND e.channel_id = d.channel_id AND e.id < d.id AND e.status = 'PENDING')
  ORDER BY d.next_attempt_at, d.id LIMIT ?`;
const ENQUEUE = `INSERT INTO deliveries (alert_id, channel_id, type, idempotency_key, payload, status, attempts, created_at, next_attempt_at)
  VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?) ON CONFLICT DO NOTHING`;
const MARK = `UPDATE deliveries SET attempts = attempts + 1, claimed_at = ?, claimed_by = ? WHERE id = ?`;
// Prepared at the claim, before the attempt: between a channel's 2xx and the durable write,
// no SQL is built or compiled. Measured: the drizzle update took 0.8 ms (3.5 ms the first time), this 0.15 ms.
const CONFIRM = `UPDATE deliveries SET status = 'DELIVERED', delivered_at = ?, claimed_at = NULL, claimed_by = NULL, last_error = NULL, ref_channel = ?, ref_ts = ?
  WHERE id = ? AND status = 'PENDING'`;

/** The SQLite outbox repository. */
export function sqliteOutbox({ db, sqlite, tx, statement }: SqliteContext): OutboxRepo {
  const stillPending = (id: number) => and(eq(deliveries.id, id), eq(deliveries.status, 'PENDING'));
  const claim = sqlite.transaction((now: number, limit: number, leaseMs: number, instance: string) => {
    const ids = statement<[number, number, number], { id: number }>(DUE)
      .all(now, now - leaseMs, limit)
      .map((r) => r.id);
    for (const id of ids) statement(MARK).run(now, instance, id);
    return ids.map((id) => toRecord(db.select().from(deliveries).where(eq(deliveries.id, id)).get()!));
  });
  return {
    enqueue: (rows) =>
      tx.exec(() => {
        for (const r of rows) statement(ENQUEUE).run(r.alertId, r.channelId, r.type, r.idempotencyKey, JSON.stringify(r.payload), r.createdAt, r.createdAt);
      }),
    claimDue: (now, limit, leaseMs, instance) =>
      tx.exec(() => {
        const claimed = claim.immediate(now, limit, leaseMs, instance);
        if (claimed.length) statement(CONFIRM);
        return claimed;
      }),
    insertClaimed: (d, instance) =>
      tx.exec(() => db.insert(deliveries).values({ ...d, status: 'PENDING', attempts: 1, claimedAt: d.createdAt, claimedBy: instance }).returning({ id: deliveries.id }).get().id),
    payload: (id) => tx.exec(() => (db.select({ p: deliveries.payload }).from(deliveries).where(eq(deliveries.id, id)).get()?.p as WebhookBody | undefined) ?? null),
    confirm: (id, at, ref) => tx.exec(() => statement(CONFIRM).run(at, ref?.channel ?? null, ref?.ts ?? null, id).changes > 0),
    retryLater: (id, nextAttemptAt, reason) =>
      tx.exec(() => void db.update(deliveries).set({ lastError: reason, nextAttemptAt, claimedAt: null, claimedBy: null }).where(stillPending(id)).run()),
    fail: (id, reason) => tx.exec(() => void db.update(deliveries).set({ status: 'FAILED', lastError: reason, claimedAt: null, claimedBy: null }).where(stillPending(id)).run()),
    // every claim, whoever's: one process holds the file, so no other attempt can be in flight
    releaseClaims: () =>
      tx.exec(
        () =>
          db
            .update(deliveries)
            .set({ claimedAt: null, claimedBy: null })
            .where(and(eq(deliveries.status, 'PENDING'), isNotNull(deliveries.claimedAt)))
            .run().changes,
      ),
    thread: (alertId, channelId) =>
      tx.exec(() => {
        const r = db
          .select({ channel: deliveries.refChannel, ts: deliveries.refTs })
          .from(deliveries)
          .where(and(eq(deliveries.alertId, alertId), eq(deliveries.channelId, channelId), eq(deliveries.status, 'DELIVERED'), isNotNull(deliveries.refTs)))
          .orderBy(asc(deliveries.id))
          .get();
        return r?.channel && r.ts ? { channel: r.channel, ts: r.ts } : undefined;
      }),
    ofAlert: (alertId) => tx.exec(() => db.select().from(deliveries).where(eq(deliveries.alertId, alertId)).orderBy(asc(deliveries.id)).all().map(toRecord)),
    countByStatus: () =>
      tx.exec(() => {
        const out: Record<DeliveryStatus, number> = { PENDING: 0, DELIVERED: 0, FAILED: 0 };
        for (const r of db.select({ status: deliveries.status, n: sql<number>`count(*)` }).from(deliveries).groupBy(deliveries.status).all()) out[r.status as DeliveryStatus] = Number(r.n);
        return out;
      }),
  };
}
