// The persisted outbox (ARCHITECTURE rule 3). Deciding to notify writes rows here in the
// decision's transaction; the delivery job claims due rows, calls a notifier outside any
// transaction, and records the outcome. A claimed row whose outcome was never recorded
// (a crash) is claimed again: delivery is at least once, and receivers drop repeats by
// idempotency key. A confirmed row is never sent again.
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from '../domain/alerts/retry.js';
import type { NotificationType } from '../domain/alerts/state-machine.js';
import { alertRecordOf, type AlertPayload } from '../domain/monitoring/alert.js';
import type { ChannelRecord } from '../domain/monitoring/channel.js';
import type { DeliveryOutcome, DeliveryRecord, DeliveryStatus, Notification } from '../domain/monitoring/notification.js';
import type { Deps } from './deps.js';
import { channelRecordOf, channelTargetOf } from './channel-kinds/registry.js';
import { thisInstance } from './instances.js';

export type { DeliveryRecord, DeliveryStatus };

/** The idempotency key of one alert change (its event) to one channel. */
export function idempotencyKeyOf(alertId: number, eventId: number, channelId: number): string {
  return `glassbox-alert-${alertId}-event-${eventId}-channel-${channelId}`;
}

/**
 * Queues one PENDING delivery per channel, due now, of `alert` as it is at this change.
 * Call it inside the transaction that records the change, so the decision and its
 * notifications commit together.
 */
export function enqueueNotifications(
  deps: Deps,
  n: { alertId: number; eventId: number; type: NotificationType; channelIds: number[]; alert: AlertPayload; now: number },
): Promise<void> {
  return deps.store.outbox.enqueue(
    n.channelIds.map((channelId) => {
      const idempotencyKey = idempotencyKeyOf(n.alertId, n.eventId, channelId);
      return { alertId: n.alertId, channelId, type: n.type, idempotencyKey, payload: { type: n.type, idempotencyKey, alert: n.alert }, createdAt: n.now };
    }),
  );
}

/**
 * Claims up to `limit` due deliveries (PENDING, next attempt reached, not in flight or
 * in flight longer than `leaseMs`), counting the attempt, for this instance. A delivery waits while an
 * earlier one of the same alert to the same channel is pending, so a channel hears
 * "firing" before "resolved" and a Slack thread exists before its replies.
 */
export function claimDueDeliveries(deps: Deps, now: number, limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
  return deps.store.outbox.claimDue(now, limit, leaseMs, thisInstance(deps));
}

/** Everything a notifier needs for one claimed delivery; null when its channel is gone. */
export async function notificationFor(deps: Deps, d: DeliveryRecord): Promise<Notification | null> {
  const { outbox, channels, alerts } = deps.store;
  const payload = await outbox.payload(d.id);
  const channel = await channels.get(d.channelId);
  if (!payload || !channel) return null;
  const stored = d.alertId === null ? null : await alerts.get(d.alertId);
  const thread = d.alertId === null ? undefined : await outbox.thread(d.alertId, d.channelId);
  return {
    type: d.type,
    idempotencyKey: d.idempotencyKey,
    channel: channelTargetOf(channel),
    payload,
    current: stored ? alertRecordOf(stored) : null,
    ...(thread ? { thread } : {}),
    attempt: d.attempts,
  };
}

/**
 * Records an attempt's outcome: DELIVERED (with the message ref a notifier returned),
 * PENDING again after a backoff for what may succeed, or FAILED with the reason for
 * what cannot or after the last attempt. A delivery already DELIVERED stays so. A
 * confirmation is written before this returns its first promise (no await before it).
 */
export async function recordOutcome(
  deps: Deps,
  d: DeliveryRecord,
  outcome: DeliveryOutcome,
  now: number,
  opts: { policy?: RetryPolicy; random?: () => number } = {},
): Promise<DeliveryStatus> {
  const { outbox } = deps.store;
  if (outcome.ok) {
    await outbox.confirm(d.id, now, outcome.ref);
    return 'DELIVERED';
  }
  const policy = opts.policy ?? DEFAULT_RETRY;
  const delay = outcome.retryable ? retryDelay(policy, d.attempts, (opts.random ?? Math.random)(), outcome.retryAfterMs) : null;
  if (delay === null) {
    await outbox.fail(d.id, outcome.retryable ? `gave up after ${d.attempts} attempts: ${outcome.reason}` : outcome.reason);
    return 'FAILED';
  }
  await outbox.retryLater(d.id, now + delay, outcome.reason);
  return 'PENDING';
}

/**
 * Frees, at start-up, the in-flight claims of this instance's previous run (and, on SQLite,
 * every one): those attempts died with it. Other replicas' claims end by their lease.
 */
export function releaseClaims(deps: Deps): Promise<number> {
  return deps.store.outbox.releaseClaims(thisInstance(deps));
}

/** The Slack message of the alert's first confirmed post to this channel, if a notifier reported one. */
export function findThread(deps: Deps, alertId: number, channelId: number): Promise<{ channel: string; ts: string } | undefined> {
  return deps.store.outbox.thread(alertId, channelId);
}

/** Every delivery of an alert, oldest first. */
export function listDeliveries(deps: Deps, alertId: number): Promise<DeliveryRecord[]> {
  return deps.store.outbox.ofAlert(alertId);
}

/** The channel of a delivery (for Delivery.channel). */
export async function deliveryChannel(deps: Deps, d: { channelId: number }): Promise<ChannelRecord | null> {
  const c = await deps.store.channels.get(d.channelId);
  return c ? channelRecordOf(c) : null;
}

/** How many deliveries wait, by status (for tests and metrics). */
export function countDeliveries(deps: Deps): Promise<Record<DeliveryStatus, number>> {
  return deps.store.outbox.countByStatus();
}
