// The seam between deciding to notify and delivering: the types live in
// src/domain/monitoring/notification.ts, below every service, so that the outbox, the
// channels and the notifiers share them without importing one another.
export type { NotificationType } from '../domain/alerts/state-machine.js';
export type { ChannelKind, ChannelTarget } from '../domain/monitoring/channel.js';
export type { AlertPayload } from '../domain/monitoring/alert.js';
export type { DeliveryOutcome, Notification, Notifier, Notifiers, WebhookBody } from '../domain/monitoring/notification.js';
