// An alert, its history and its webhook form, as services, the store and notifiers exchange them.
import type { AlertEventKind, AlertStatus, BreachSeverity, OpenAlert } from '../alerts/state-machine.js';

export interface AlertRecord {
  id: number;
  monitorId: number;
  modelId: number;
  model: string;
  monitorName: string;
  metric: string;
  feature: string | null;
  attribute: string | null;
  window: string;
  severity: BreachSeverity;
  status: AlertStatus;
  value: number | null;
  threshold: number | null;
  sampleSize: number | null;
  message: string;
  openedAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  acknowledgedBy: string | null;
  snoozedUntil: number | null;
}

/** An alert with what only transitions need: when it last told its channels it fires. */
export interface StoredAlert extends AlertRecord {
  lastNotifiedAt: number;
}

export interface AlertEventRecord {
  at: number;
  kind: AlertEventKind;
  actor: string | null;
  note: string | null;
}

/** The contract's alert object inside a webhook body: the alert as it was at the change. */
export interface AlertPayload {
  id: string;
  model: string;
  monitor: { id: string; name: string };
  metric: string;
  feature: string | null;
  severity: string;
  status: string;
  value: number | null;
  threshold: number | null;
  message: string;
  openedAt: string;
  resolvedAt: string | null;
}

/** The contract's alert object for webhook bodies. */
export function alertPayload(a: AlertRecord): AlertPayload {
  return {
    id: String(a.id),
    model: a.model,
    monitor: { id: String(a.monitorId), name: a.monitorName },
    metric: a.metric,
    feature: a.feature,
    severity: a.severity,
    status: a.status,
    value: a.value,
    threshold: a.threshold,
    message: a.message,
    openedAt: new Date(a.openedAt).toISOString(),
    resolvedAt: a.resolvedAt === null ? null : new Date(a.resolvedAt).toISOString(),
  };
}

/** A stored alert as the state machine sees it: null when there is none or it is resolved. */
export function openAlertState(a: StoredAlert | null): OpenAlert | null {
  if (!a || a.status === 'RESOLVED') return null;
  return { status: a.status, severity: a.severity, snoozedUntil: a.snoozedUntil, acknowledgedBy: a.acknowledgedBy, lastNotifiedAt: a.lastNotifiedAt };
}

/** The alert as shown (GraphQL, Slack, notifiers): without transition-only fields. */
export function alertRecordOf(a: StoredAlert): AlertRecord {
  const { lastNotifiedAt: _, ...shown } = a;
  return shown;
}
