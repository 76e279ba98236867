// Writing down what the alert state machine decided: the alert row (opened, changed or
// resolved), one history event per step and, for each step that notifies, one outbox row
// per channel of the monitor. Called inside the transaction of the decision, after
// `store.alerts.lockMonitor`; the queries and the operator's actions live in alerts.ts.
import { alertMessage, type ThresholdBand } from '../domain/alerts/message.js';
import type { BreachSeverity, Severity, Transition } from '../domain/alerts/state-machine.js';
import { alertPayload, type StoredAlert } from '../domain/monitoring/alert.js';
import type { MonitorRecord } from '../domain/monitoring/monitor.js';
import type { Deps } from './deps.js';
import { enqueueNotifications } from './outbox.js';
import type { UsedThresholds } from '../domain/monitoring/monitor.js';

export interface ChangeContext {
  monitor: MonitorRecord;
  modelName: string;
  /** the open alert before the change */
  open: StoredAlert | null;
  tr: Transition;
  /** when the change happened: the evaluation's run time, or now for an operator's action */
  at: number;
  /** wall-clock time, for the outbox rows */
  now: number;
  /** the evaluation that caused it, if one did */
  evaluation?: { value: number | null; sampleSize: number; severity: Severity; importance?: number | null; used?: UsedThresholds };
  /** who resolved it by hand */
  resolvedBy?: string;
}

/**
 * The threshold an alert states for severity `s` (the evaluation's own, learned or fixed;
 * the monitor's when no evaluation is at hand), with its band when it was learned.
 */
function thresholdFor(m: MonitorRecord, s: BreachSeverity | 'RESOLVED', used: UsedThresholds | undefined): { threshold: number | null; band: ThresholdBand | null } {
  const warning = used ? used.warning : m.warningThreshold;
  const critical = used ? used.critical : m.criticalThreshold;
  const level = s === 'CRITICAL' ? 'critical' : s === 'WARNING' ? 'warning' : warning !== null ? 'warning' : 'critical';
  const threshold = level === 'critical' ? critical : warning;
  const learned = used?.learned;
  const auto = m.autoThreshold;
  if (threshold === null || !learned || learned.mean === null || !auto) return { threshold, band: null };
  const sigmas = level === 'critical' ? auto.criticalSigmas : auto.warningSigmas;
  if (sigmas === null) return { threshold, band: null };
  return { threshold, band: { mean: learned.mean, sigmas, side: m.comparator === 'GT' || m.comparator === 'GTE' ? 'above' : 'below' } };
}

/**
 * Writes a transition (alert row, events, outbox rows); call it inside the decision's
 * `store.transaction`. Returns the alert's id, if there is one.
 */
export async function writeTransition(deps: Deps, c: ChangeContext): Promise<number | null> {
  const { alerts, channels } = deps.store;
  const { monitor: m, tr, evaluation: ev, at } = c;
  const breach = ev && (ev.severity === 'WARNING' || ev.severity === 'CRITICAL');
  const text = (state: 'WARNING' | 'CRITICAL' | 'RESOLVED', value: number | null, threshold: number | null, n: number | null, band: ThresholdBand | null = null) =>
    alertMessage({ state, metric: m.metric, feature: m.feature, attribute: m.attribute, model: c.modelName, value, threshold, band, window: m.window, sampleSize: n, importance: ev?.importance ?? null, ...(c.resolvedBy ? { resolvedBy: c.resolvedBy } : {}) });
  let id: number | null = c.open?.id ?? null;
  const next = tr.state.alert;

  if (tr.opened && next) {
    const { threshold, band } = thresholdFor(m, next.severity, ev?.used);
    const value = ev?.value ?? null;
    const n = ev?.sampleSize ?? null;
    id = await alerts.open({ monitorId: m.id, modelId: m.modelId, severity: next.severity, status: next.status, value, threshold, sampleSize: n, message: text(next.severity, value, threshold, n, band), openedAt: at, updatedAt: at, lastNotifiedAt: next.lastNotifiedAt });
  } else if (tr.resolved && c.open) {
    const o = c.open;
    const byHand = !ev;
    const value = byHand ? o.value : ev.value;
    const { threshold, band } = byHand ? { threshold: o.threshold, band: null } : thresholdFor(m, 'RESOLVED', ev.used);
    const n = byHand ? o.sampleSize : ev.sampleSize;
    await alerts.change(o.id, { status: 'RESOLVED', resolvedAt: at, updatedAt: at, snoozedUntil: null, message: text('RESOLVED', value, threshold, n, band) });
  } else if (next && c.open && (tr.steps.length > 0 || breach)) {
    const o = c.open;
    // a breach states this evaluation's threshold; otherwise (a snooze ran out on NO_DATA) the monitor's
    const { threshold, band } = thresholdFor(m, next.severity, breach ? ev.used : undefined);
    const value = breach ? ev.value : o.value;
    const n = breach ? ev.sampleSize : o.sampleSize;
    await alerts.change(o.id, {
      status: next.status,
      severity: next.severity,
      snoozedUntil: next.snoozedUntil,
      acknowledgedBy: next.acknowledgedBy,
      lastNotifiedAt: next.lastNotifiedAt,
      value,
      threshold,
      sampleSize: n,
      // an operator's step changes no figure: the message (with what only an evaluation knows) stands
      message: breach ? text(next.severity, value, threshold, n, band) : o.message,
      updatedAt: Math.max(o.updatedAt, at),
    });
  }

  if (id === null || tr.steps.length === 0) return id;
  const snapshot = alertPayload((await alerts.get(id))!);
  const channelIds = await channels.idsOfMonitor(m.id);
  for (const s of tr.steps) {
    const eventId = await alerts.addEvent(id, { at, kind: s.kind, actor: s.actor ?? null, note: s.note ?? null });
    if (s.notify) await enqueueNotifications(deps, { alertId: id, eventId, type: s.notify, channelIds, now: c.now, alert: snapshot });
  }
  return id;
}
