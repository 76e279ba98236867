// AlertsRepo on SQLite.
import { and, desc, eq, inArray, lte, ne, type SQL } from 'drizzle-orm';
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

/** The SQLite alerts repository. */
export function sqliteAlerts({ db, tx }: SqliteContext): AlertsRepo {
  const select = () => db.select(COLUMNS).from(alerts).innerJoin(monitors, eq(monitors.id, alerts.monitorId)).innerJoin(models, eq(models.id, alerts.modelId));
  const one = (where: SQL | undefined) => {
    const r = select().where(where).get();
    return r ? toStored(r) : null;
  };
  return {
    // BEGIN IMMEDIATE took the database's write lock: transitions are already serialised.
    lockMonitor: () => tx.exec(() => undefined),
    get: (id) => tx.exec(() => one(eq(alerts.id, id))),
    openOf: (monitorId) => tx.exec(() => one(and(eq(alerts.monitorId, monitorId), ne(alerts.status, 'RESOLVED')))),
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
    addEvent: (alertId, e) =>
      tx.exec(() => db.insert(alertEvents).values({ alertId, at: e.at, kind: e.kind, actor: e.actor, note: e.note }).returning({ id: alertEvents.id }).get().id),
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
