// The SLACK Notifier of the outbox: a notification -> a Slack message, or a reply in the
// thread of the alert's first message plus a redraw of that message.
import type { webApi } from '@slack/bolt';
import type { Deps } from '../services/deps.js';
import type { AlertPayload, Notification, Notifier } from '../services/notifier.js';
import { slackChannelOf } from '../services/channel-kinds/slack.js';
import { alertView, lastActorOf } from './alert-port.js';
import type { AlertView } from './blocks/alert.js';
import { deliverToSlack } from './delivery.js';

/** The alert as the notification's payload saw it (the state at the change). */
export function payloadView(p: AlertPayload, current: AlertView | null): AlertView {
  return {
    id: p.id,
    model: p.model,
    monitor: p.monitor.name,
    metric: p.metric,
    feature: p.feature,
    severity: p.severity,
    status: p.status as AlertView['status'],
    value: p.value,
    threshold: p.threshold,
    message: p.message,
    openedAt: Date.parse(p.openedAt),
    resolvedAt: p.resolvedAt === null ? null : Date.parse(p.resolvedAt),
    acknowledgedBy: current?.acknowledgedBy ?? null,
    snoozedUntil: current?.snoozedUntil ?? null,
    lastActor: current?.lastActor ?? null,
  };
}

/** The SLACK notifier: never throws; failures come back classified for the outbox. */
export function createSlackNotifier(deps: Deps, client: webApi.WebClient): Notifier {
  return {
    kind: 'SLACK',
    async deliver(n: Notification) {
      const slackChannel = slackChannelOf(n.channel.config);
      if (!slackChannel) return { ok: false, retryable: false, reason: `channel "${n.channel.name}" has no slackChannel` };
      const current = n.current ? alertView(n.current, await lastActorOf(deps, n.current.id)) : null;
      const alert = n.payload.alert ? payloadView(n.payload.alert, current) : current;
      return deliverToSlack(client, { type: n.type, slackChannel, alert, current, thread: n.thread ?? null }, deps.log);
    },
  };
}
