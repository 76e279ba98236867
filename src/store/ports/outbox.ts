// The outbox: one row per notification per channel, claimed for delivery with a lease.
import type { NotificationType } from '../../domain/alerts/state-machine.js';
import type { DeliveryRecord, DeliveryStatus, WebhookBody } from '../../domain/monitoring/notification.js';

export interface NewDelivery {
  /** null for a channel test */
  alertId: number | null;
  channelId: number;
  type: NotificationType;
  idempotencyKey: string;
  payload: WebhookBody;
  createdAt: number;
}

export interface OutboxRepo {
  /** Queues PENDING rows due at their createdAt; a row whose idempotency key exists is skipped. */
  enqueue(rows: NewDelivery[]): Promise<void>;
  /**
   * Claims up to `limit` due rows in one statement-level step for `instance` and returns
   * them, each with its attempt counted, `claimed_at = now` (its lease runs until now +
   * leaseMs) and `claimed_by = instance`. Due: PENDING, next attempt reached, not claimed or
   * its lease over, and no earlier PENDING row of the same alert and channel (a channel
   * hears "firing" before "resolved"). PostgreSQL: `UPDATE deliveries SET … WHERE id IN
   * (SELECT id … ORDER BY next_attempt_at, id LIMIT $n FOR UPDATE SKIP LOCKED) RETURNING *`,
   * so replicas never claim the same row.
   */
  claimDue(now: number, limit: number, leaseMs: number, instance: string): Promise<DeliveryRecord[]>;
  /** A row already claimed by its creator `instance` (a channel test, attempt 1); its id. */
  insertClaimed(d: NewDelivery, instance: string): Promise<number>;
  /** What the row sends, or null when it is gone (its channel or alert was deleted). */
  payload(id: number): Promise<WebhookBody | null>;
  /** DELIVERED at `at` with the message a notifier returned; false when it was not PENDING. */
  confirm(id: number, at: number, ref?: { channel: string; ts: string }): Promise<boolean>;
  /** Still PENDING, due again at `nextAttemptAt`, lease released. */
  retryLater(id: number, nextAttemptAt: number, reason: string): Promise<void>;
  /** FAILED for good (only a PENDING row). */
  fail(id: number, reason: string): Promise<void>;
  /**
   * Releases, at start-up of `instance`, the leases no process can still hold: its own (a
   * restart under the same GLASSBOX_INSTANCE: its attempts died with it) and, on SQLite,
   * where one process holds the file, every one. On PostgreSQL another replica's claims are
   * left to their lease: that replica may be delivering them right now. Returns how many.
   */
  releaseClaims(instance: string): Promise<number>;
  /** The first confirmed message (ref) of the alert on the channel, if a notifier reported one. */
  thread(alertId: number, channelId: number): Promise<{ channel: string; ts: string } | undefined>;
  /** The alert's deliveries, oldest first. */
  ofAlert(alertId: number): Promise<DeliveryRecord[]>;
  countByStatus(): Promise<Record<DeliveryStatus, number>>;
}
