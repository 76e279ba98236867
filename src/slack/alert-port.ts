// The Slack side of the alert service: the very functions the GraphQL mutations call,
// with their records shaped for the alert message.
import { acknowledgeAlert, getAlert, listAlertEvents, resolveAlert, snoozeAlert, type AlertRecord } from '../services/alerts.js';
import type { Deps } from '../services/deps.js';
import type { AlertView } from './blocks/alert.js';
import type { AlertPort } from './context.js';

/** An alert record as the alert message shows it; `lastActor` is who made the latest change. */
export function alertView(a: AlertRecord, lastActor: string | null = null): AlertView {
  return {
    id: String(a.id),
    model: a.model,
    monitor: a.monitorName,
    metric: a.metric,
    feature: a.feature ?? a.attribute,
    severity: a.severity,
    status: a.status,
    value: a.value,
    threshold: a.threshold,
    message: a.message,
    openedAt: a.openedAt,
    resolvedAt: a.resolvedAt,
    acknowledgedBy: a.acknowledgedBy,
    snoozedUntil: a.snoozedUntil,
    lastActor,
  };
}

/** Who made the alert's latest change; null when a monitor evaluation made it. */
export async function lastActorOf(deps: Deps, alertId: number): Promise<string | null> {
  const events = await listAlertEvents(deps, alertId);
  return events.at(-1)?.actor ?? null;
}

const parseId = (id: string) => (/^\d+$/.test(id) ? Number(id) : NaN);

/** The AlertPort over the alert service. */
export function createAlertPort(deps: Deps): AlertPort {
  const view = async (a: AlertRecord) => alertView(a, await lastActorOf(deps, a.id));
  return {
    async get(id) {
      const a = await getAlert(deps, parseId(id));
      return a ? view(a) : null;
    },
    acknowledge: async (actor, id) => view(await acknowledgeAlert(deps, actor, parseId(id), null)),
    snooze: async (actor, id, until) => view(await snoozeAlert(deps, actor, parseId(id), until, null)),
    resolve: async (actor, id) => view(await resolveAlert(deps, actor, parseId(id), null)),
  };
}
