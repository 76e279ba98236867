// Alerts: what the state machine decided, written down with its history and its outbox
// rows in the caller's transaction; the operator's actions (acknowledge, snooze,
// resolve); and the queries over them.
import { and, desc, eq, inArray, lte, ne } from 'drizzle-orm';
import { alertEvents, alerts, models, monitorChannels, monitors } from '../db/schema/index.js';
import type { Db } from '../db/client.js';
import { badInput, conflict, notFound } from '../errors.js';
import { alertMessage } from '../domain/alerts/message.js';
import { DAY } from '../domain/windows.js';
import {
  acknowledge,
  expireSnooze,
  resolve,
  snooze,
  type AlertEventKind,
  type AlertStatus,
  type BreachSeverity,
  type OpenAlert,
  type RuleState,
  type Severity,
  type Transition,
} from '../domain/alerts/state-machine.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { toMonitorRecord, type MonitorRecord } from './monitors.js';
import type { AlertPayload } from './notifier.js';
import { enqueueNotifications } from './outbox.js';

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

export interface AlertEventRecord {
  at: number;
  kind: AlertEventKind;
  actor: string | null;
  note: string | null;
}

type AlertRow = typeof alerts.$inferSelect;

const COLUMNS = { a: alerts, monitorName: monitors.name, metric: monitors.metric, feature: monitors.feature, attribute: monitors.attribute, window: monitors.window, model: models.name };

function toRecord(r: { a: AlertRow; monitorName: string; metric: string; feature: string | null; attribute: string | null; window: string; model: string }): AlertRecord {
  const a = r.a;
  return {
    id: a.id,
    monitorId: a.monitorId,
    modelId: a.modelId,
    model: r.model,
    monitorName: r.monitorName,
    metric: r.metric,
    feature: r.feature,
    attribute: r.attribute,
    window: r.window,
    severity: a.severity as BreachSeverity,
    status: a.status as AlertStatus,
    value: a.value,
    threshold: a.threshold,
    sampleSize: a.sampleSize,
    message: a.message,
    openedAt: a.openedAt,
    updatedAt: a.updatedAt,
    resolvedAt: a.resolvedAt,
    acknowledgedBy: a.acknowledgedBy,
    snoozedUntil: a.snoozedUntil,
  };
}

function selectAlerts(db: Db) {
  return db.select(COLUMNS).from(alerts).innerJoin(monitors, eq(monitors.id, alerts.monitorId)).innerJoin(models, eq(models.id, alerts.modelId));
}

function readAlert(db: Db, id: number): AlertRecord | null {
  const row = selectAlerts(db).where(eq(alerts.id, id)).get();
  return row ? toRecord(row) : null;
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

/** The open alert row of a monitor as the state machine sees it. */
export function openAlertState(row: AlertRow | undefined): OpenAlert | null {
  if (!row || row.status === 'RESOLVED') return null;
  return {
    status: row.status as OpenAlert['status'],
    severity: row.severity as BreachSeverity,
    snoozedUntil: row.snoozedUntil,
    acknowledgedBy: row.acknowledgedBy,
    lastNotifiedAt: row.lastNotifiedAt,
  };
}

/** The monitor's open alert row, if any. */
export function openAlertRow(tx: Db, monitorId: number): AlertRow | undefined {
  return tx.select().from(alerts).where(and(eq(alerts.monitorId, monitorId), ne(alerts.status, 'RESOLVED'))).get();
}

const thresholdFor = (m: MonitorRecord, s: BreachSeverity) => (s === 'CRITICAL' ? m.criticalThreshold : m.warningThreshold);

export interface ChangeContext {
  monitor: MonitorRecord;
  modelName: string;
  /** the open alert before the change */
  open: AlertRow | undefined;
  tr: Transition;
  /** when the change happened: the evaluation's run time, or now for an operator's action */
  at: number;
  /** wall-clock time, for the outbox rows */
  now: number;
  /** the evaluation that caused it, if one did */
  evaluation?: { value: number | null; sampleSize: number; severity: Severity };
  /** who resolved it by hand */
  resolvedBy?: string;
}

/**
 * Writes a transition: the alert row (opened, changed or resolved), one event per step,
 * and one outbox row per channel of the monitor for each step that notifies. Synchronous:
 * call it inside the transaction of the decision. Returns the alert's id, if there is one.
 */
export function writeTransition(tx: Db, c: ChangeContext): number | null {
  const { monitor: m, tr, evaluation: ev, at } = c;
  const breach = ev && (ev.severity === 'WARNING' || ev.severity === 'CRITICAL');
  const text = (state: 'WARNING' | 'CRITICAL' | 'RESOLVED', value: number | null, threshold: number | null, n: number | null) =>
    alertMessage({ state, metric: m.metric, feature: m.feature, attribute: m.attribute, model: c.modelName, value, threshold, window: m.window, sampleSize: n, ...(c.resolvedBy ? { resolvedBy: c.resolvedBy } : {}) });
  let id: number | null = c.open?.id ?? null;
  const next = tr.state.alert;

  if (tr.opened && next) {
    const threshold = thresholdFor(m, next.severity);
    const value = ev?.value ?? null;
    const n = ev?.sampleSize ?? null;
    id = tx
      .insert(alerts)
      .values({ monitorId: m.id, modelId: m.modelId, severity: next.severity, status: next.status, value, threshold, sampleSize: n, message: text(next.severity, value, threshold, n), openedAt: at, updatedAt: at, lastNotifiedAt: next.lastNotifiedAt })
      .returning({ id: alerts.id })
      .get().id;
  } else if (tr.resolved && c.open) {
    const o = c.open;
    const byHand = !ev;
    const value = byHand ? o.value : ev.value;
    const threshold = byHand ? o.threshold : (m.warningThreshold ?? m.criticalThreshold);
    const n = byHand ? o.sampleSize : ev.sampleSize;
    tx.update(alerts).set({ status: 'RESOLVED', resolvedAt: at, updatedAt: at, snoozedUntil: null, message: text('RESOLVED', value, threshold, n) }).where(eq(alerts.id, o.id)).run();
  } else if (next && c.open && (tr.steps.length > 0 || breach)) {
    const o = c.open;
    const threshold = thresholdFor(m, next.severity);
    const value = breach ? ev.value : o.value;
    const n = breach ? ev.sampleSize : o.sampleSize;
    tx.update(alerts)
      .set({ status: next.status, severity: next.severity, snoozedUntil: next.snoozedUntil, acknowledgedBy: next.acknowledgedBy, lastNotifiedAt: next.lastNotifiedAt, value, threshold, sampleSize: n, message: text(next.severity, value, threshold, n), updatedAt: Math.max(o.updatedAt, at) })
      .where(eq(alerts.id, o.id))
      .run();
  }

  if (id === null || tr.steps.length === 0) return id;
  const snapshot = alertPayload(readAlert(tx, id)!);
  const channelIds = tx.select({ id: monitorChannels.channelId }).from(monitorChannels).where(eq(monitorChannels.monitorId, m.id)).all().map((r) => r.id);
  for (const s of tr.steps) {
    const eventId = tx
      .insert(alertEvents)
      .values({ alertId: id, at, kind: s.kind, actor: s.actor ?? null, note: s.note ?? null })
      .returning({ id: alertEvents.id })
      .get().id;
    const type = s.notify;
    if (type) enqueueNotifications(tx, { alertId: id, eventId, type, channelIds, now: c.now, body: (idempotencyKey) => ({ type, idempotencyKey, alert: snapshot }) });
  }
  return id;
}

type Action = 'acknowledgeAlert' | 'snoozeAlert' | 'resolveAlert';

function act(
  deps: Deps,
  actor: Actor,
  id: number,
  action: Action,
  step: (s: RuleState) => Transition,
  details: Record<string, unknown>,
  check?: (now: number) => void,
): AlertRecord {
  const now = deps.clock.now();
  return deps.store.db.transaction((tx) => {
    const row = Number.isSafeInteger(id) ? tx.select().from(alerts).where(eq(alerts.id, id)).get() : undefined;
    if (!row) throw notFound(`alert ${id}`);
    check?.(now);
    if (row.status === 'RESOLVED') {
      // Resolving twice (a double click in Slack) is one resolution; anything else is too late.
      if (action === 'resolveAlert') return readAlert(tx, id)!;
      throw conflict(`alert ${id} was already resolved at ${new Date(row.resolvedAt ?? row.updatedAt).toISOString()}; only an open alert can be acknowledged or snoozed`, 'id');
    }
    const monitor = toMonitorRecord(tx.select().from(monitors).where(eq(monitors.id, row.monitorId)).get()!);
    const modelName = tx.select({ name: models.name }).from(models).where(eq(models.id, row.modelId)).get()!.name;
    const tr = step({ streak: 0, alert: openAlertState(row) });
    // Nothing to do (acknowledged again, the same snooze again: a double click, a replayed
    // Slack press): no event, no notification, no audit entry.
    if (tr.steps.length === 0) return readAlert(tx, id)!;
    writeTransition(tx, { monitor, modelName, open: row, tr, at: now, now, ...(action === 'resolveAlert' ? { resolvedBy: actor.name } : {}) });
    if (tr.resolved) tx.update(monitors).set({ streak: 0 }).where(eq(monitors.id, monitor.id)).run();
    recordAudit(tx, now, actor, action, `alert:${id}`, details);
    return readAlert(tx, id)!;
  });
}

/** ACKNOWLEDGED by the actor: reminders stop, escalation and resolution are still notified. */
export async function acknowledgeAlert(deps: Deps, actor: Actor, id: number, note?: string | null): Promise<AlertRecord> {
  return act(deps, actor, id, 'acknowledgeAlert', (s) => acknowledge(s, actor.name, note ?? undefined), { note: note ?? null });
}

/** Longest snooze: beyond it, resolve the alert or disable the monitor instead. */
export const MAX_SNOOZE_MS = 30 * DAY;

/** SNOOZED until `until` (in the future, at most 30 days away): nothing notified until then, then FIRING again. */
export async function snoozeAlert(deps: Deps, actor: Actor, id: number, until: number, note?: string | null): Promise<AlertRecord> {
  const check = (now: number) => {
    if (!Number.isFinite(until) || until <= now) throw badInput('until', `must be in the future (now is ${new Date(now).toISOString()})`);
    if (until - now > MAX_SNOOZE_MS) throw badInput('until', 'a snooze lasts at most 30 days; resolve the alert or disable its monitor instead');
  };
  return act(deps, actor, id, 'snoozeAlert', (s) => snooze(s, until, actor.name, note ?? undefined), { until: new Date(until).toISOString() }, check);
}

/** RESOLVED at once (notified); a new alert needs forEvaluations new breaches. Resolving twice is harmless. */
export async function resolveAlert(deps: Deps, actor: Actor, id: number, note?: string | null): Promise<AlertRecord> {
  return act(deps, actor, id, 'resolveAlert', (s) => resolve(s, actor.name, note ?? undefined), { note: note ?? null });
}

/** Ends every snooze whose time has come (FIRING again, notified); returns how many. */
export function expireSnoozes(deps: Deps, now: number): number {
  const { db } = deps.store;
  const due = db.select({ id: alerts.id }).from(alerts).where(and(eq(alerts.status, 'SNOOZED'), lte(alerts.snoozedUntil, now))).all();
  let n = 0;
  for (const { id } of due) {
    db.transaction((tx) => {
      const row = tx.select().from(alerts).where(eq(alerts.id, id)).get();
      const tr = expireSnooze({ streak: 0, alert: openAlertState(row) }, now);
      if (!row || tr.steps.length === 0) return;
      const monitor = toMonitorRecord(tx.select().from(monitors).where(eq(monitors.id, row.monitorId)).get()!);
      const modelName = tx.select({ name: models.name }).from(models).where(eq(models.id, row.modelId)).get()!.name;
      writeTransition(tx, { monitor, modelName, open: row, tr, at: now, now });
      n++;
    });
  }
  return n;
}

/** The alert with that id, or null. */
export async function getAlert(deps: Deps, id: number): Promise<AlertRecord | null> {
  if (!Number.isSafeInteger(id)) return null;
  return readAlert(deps.store.db, id);
}

/** Alerts, newest first (at most 1000), of one model (by name or id) and/or in the given statuses. */
export async function listAlerts(
  deps: Deps,
  filter: { model?: string | null; modelId?: number; monitorId?: number; status?: AlertStatus[] | null } = {},
): Promise<AlertRecord[]> {
  const conds = [];
  if (filter.model !== undefined && filter.model !== null) conds.push(eq(models.name, filter.model));
  if (filter.modelId !== undefined) conds.push(eq(alerts.modelId, filter.modelId));
  if (filter.monitorId !== undefined) conds.push(eq(alerts.monitorId, filter.monitorId));
  if (filter.status && filter.status.length) conds.push(inArray(alerts.status, filter.status));
  return selectAlerts(deps.store.db)
    .where(and(...conds))
    .orderBy(desc(alerts.openedAt), desc(alerts.id))
    .limit(1000)
    .all()
    .map(toRecord);
}

/** The model's open alerts (FIRING, ACKNOWLEDGED, SNOOZED), most severe first: what health reports. */
export async function listOpenAlerts(deps: Deps, modelId: number): Promise<AlertRecord[]> {
  const open = await listAlerts(deps, { modelId, status: ['FIRING', 'ACKNOWLEDGED', 'SNOOZED'] });
  return open.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'CRITICAL' ? -1 : 1));
}

/** The monitor's open alert, or null. */
export async function openAlertOf(deps: Deps, monitorId: number): Promise<AlertRecord | null> {
  const row = openAlertRow(deps.store.db, monitorId);
  return row ? readAlert(deps.store.db, row.id) : null;
}

/** The alert's history, oldest first. */
export async function listAlertEvents(deps: Deps, alertId: number): Promise<AlertEventRecord[]> {
  return deps.store.db
    .select()
    .from(alertEvents)
    .where(eq(alertEvents.alertId, alertId))
    .orderBy(alertEvents.id)
    .all()
    .map((e) => ({ at: e.at, kind: e.kind as AlertEventKind, actor: e.actor, note: e.note }));
}
