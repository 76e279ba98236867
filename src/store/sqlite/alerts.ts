// AlertsRepo on SQLite.
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import { alertEvents, alerts, models, monitors } from '../../db/schema/index.js';
import type { AlertEventKind, AlertStatus, BreachSeverity } from '../../domain/alerts/state-machine.js';
import type { StoredAlert } from '../../domain/monitoring/alert.js';
import type { AlertsRepo } from '../ports/alerts.js';
import type { SqliteContext } from './context.js';

const COLUMNS = { a: alerts, monitorName: monitors.name, metric: monitors.metric, feature: monitors.feature, attribute: monitors.attribute, window: monitors.window, model: models.name };

type Joined = { a: typeof alerts.$inferSelect; monitorName: string; metric: string; feature: string | null; attribute: string | null; window: string; model: string };

function toStored(r: Joined): StoredAlert {
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
    lastNotifiedAt: a.lastNotifiedAt,
  };
}

// Every transition reads the alert it changes: prepared statements (see monitors.ts).
const STORED = `SELECT a.id, a.monitor_id AS monitorId, a.model_id AS modelId, m.name AS monitorName, m.metric, m.feature, m.attribute, m.window,
  mo.name AS model, a.severity, a.status, a.value, a.threshold, a.sample_size AS sampleSize, a.message, a.opened_at AS openedAt,
  a.updated_at AS updatedAt, a.resolved_at AS resolvedAt, a.acknowledged_by AS acknowledgedBy, a.snoozed_until AS snoozedUntil,
  a.last_notified_at AS lastNotifiedAt
  FROM alerts a JOIN monitors m ON m.id = a.monitor_id JOIN models mo ON mo.id = a.model_id`;
const BY_ID = `${STORED} WHERE a.id = ?`;
const OPEN_OF = `${STORED} WHERE a.monitor_id = ? AND a.status <> 'RESOLVED'`;
const ADD_EVENT = 'INSERT INTO alert_events (alert_id, at, kind, actor, note) VALUES (?, ?, ?, ?, ?) RETURNING id';

/** The SQLite alerts repository. */
export function sqliteAlerts({ db, tx, statement }: SqliteContext): AlertsRepo {
  const select = () => db.select(COLUMNS).from(alerts).innerJoin(monitors, eq(monitors.id, alerts.monitorId)).innerJoin(models, eq(models.id, alerts.modelId));
  return {
    // BEGIN IMMEDIATE took the database's write lock: transitions are already serialised.
    lockMonitor: () => tx.exec(() => undefined),
    get: (id) => tx.exec(() => statement<[number], StoredAlert>(BY_ID).get(id) ?? null),
    openOf: (monitorId) => tx.exec(() => statement<[number], StoredAlert>(OPEN_OF).get(monitorId) ?? null),
    list: (filter, limit) =>
      tx.exec(() => {
        const conds = [];
        if (filter.model !== undefined) conds.push(eq(models.name, filter.model));
        if (filter.modelId !== undefined) conds.push(eq(alerts.modelId, filter.modelId));
        if (filter.monitorId !== undefined) conds.push(eq(alerts.monitorId, filter.monitorId));
        if (filter.status && filter.status.length) conds.push(inArray(alerts.status, filter.status));
        return select()
          .where(and(...conds))
          .orderBy(desc(alerts.openedAt), desc(alerts.id))
          .limit(limit)
          .all()
          .map((r) => {
            const { lastNotifiedAt: _, ...record } = toStored(r);
            return record;
          });
      }),
    open: (a) => tx.exec(() => db.insert(alerts).values(a).returning({ id: alerts.id }).get().id),
    change: (id, c) => tx.exec(() => void db.update(alerts).set(c).where(eq(alerts.id, id)).run()),
    addEvent: (alertId, e) => tx.exec(() => statement<unknown[], { id: number }>(ADD_EVENT).get(alertId, e.at, e.kind, e.actor, e.note)!.id),
    events: (alertId) =>
      tx.exec(() =>
        db
          .select()
          .from(alertEvents)
          .where(eq(alertEvents.alertId, alertId))
          .orderBy(alertEvents.id)
          .all()
          .map((e) => ({ at: e.at, kind: e.kind as AlertEventKind, actor: e.actor, note: e.note })),
      ),
    snoozesEnded: (now) =>
      tx.exec(() =>
        db
          .select({ id: alerts.id })
          .from(alerts)
          .where(and(eq(alerts.status, 'SNOOZED'), lte(alerts.snoozedUntil, now)))
          .all()
          .map((r) => r.id),
      ),
  };
}
