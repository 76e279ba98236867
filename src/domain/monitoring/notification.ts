// The seam between deciding to notify and delivering (Alertmanager's notify/): the outbox
// job hands each due delivery to the Notifier of its channel's kind, which says whether
// the channel confirmed it and, if not, whether trying again can help.
import type { NotificationType } from '../alerts/state-machine.js';
import type { AlertPayload, AlertRecord } from './alert.js';
import type { ChannelKind, ChannelTarget } from './channel.js';

/** The webhook body, exactly as the contract's "Webhook channels" section gives it. */
export interface WebhookBody {
  type: NotificationType;
  idempotencyKey: string;
  /** null for a `test` notification */
  alert: AlertPayload | null;
}

export interface Notification {
  type: NotificationType;
  /** the same on every attempt of this notification to this channel */
  idempotencyKey: string;
  channel: ChannelTarget;
  /** what to send: the alert as it was when this change happened */
  payload: WebhookBody;
  /** the alert as it is now (it may have moved on since); null for a test */
  current: AlertRecord | null;
  /** the first message this alert posted on this channel, when a notifier reported one (Slack threads) */
  thread?: { channel: string; ts: string };
  /** 1 for the first attempt */
  attempt: number;
}

export type DeliveryOutcome =
  | { ok: true; ref?: { channel: string; ts: string } }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

export interface Notifier {
  kind: ChannelKind;
  /** Resolves with the outcome; a throw counts as a retryable failure. */
  deliver(n: Notification): Promise<DeliveryOutcome>;
}

/** The notifier of each channel kind this server can reach. */
export type Notifiers = Partial<Record<ChannelKind, Notifier>>;

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** One outbox row: one notification to one channel, kept as the delivery record. */
export interface DeliveryRecord {
  id: number;
  alertId: number | null;
  channelId: number;
  type: NotificationType;
  idempotencyKey: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  /** when PENDING: not before then */
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  refChannel: string | null;
  refTs: string | null;
}
