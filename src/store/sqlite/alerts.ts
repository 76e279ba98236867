// AlertsRepo on SQLite.
import { and, eq, lte, sql, type SQL } from 'drizzle-orm';
import { alertEvents, alerts } from '../../db/schema/index.js';
import type { AlertEventKind } from '../../domain/alerts/state-machine.js';
import type { StoredAlert } from '../../domain/monitoring/alert.js';
import type { AlertsRepo } from '../ports/alerts.js';
import type { SqliteContext } from './context.js';

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
  return {
    // BEGIN IMMEDIATE took the database's write lock: transitions are already serialised.
    lockMonitor: () => tx.exec(() => undefined),
    get: (id) => tx.exec(() => statement<[number], StoredAlert>(BY_ID).get(id) ?? null),
    openOf: (monitorId) => tx.exec(() => statement<[number], StoredAlert>(OPEN_OF).get(monitorId) ?? null),
    list: (filter, limit) =>
      tx.exec(() => {
        const conds: SQL[] = [];
        if (filter.model !== undefined) conds.push(sql`mo.name = ${filter.model}`);
        if (filter.modelId !== undefined) conds.push(sql`a.model_id = ${filter.modelId}`);
        if (filter.monitorId !== undefined) conds.push(sql`a.monitor_id = ${filter.monitorId}`);
        if (filter.status && filter.status.length) conds.push(sql`a.status IN (${sql.join(filter.status.map((st) => sql`${st}`), sql`, `)})`);
        const where = conds.length ? sql` WHERE ${sql.join(conds, sql` AND `)}` : sql``;
        return db
          .all<StoredAlert>(sql`${sql.raw(STORED)}${where} ORDER BY a.opened_at DESC, a.id DESC LIMIT ${limit}`)
          .map(({ lastNotifiedAt: _, ...record }) => record);
      }),
    open: (a) => tx.exec(() => db.insert(alerts).values(a).returning({ id: alerts.id }).get().id),
    change: (id, c) =>
      tx.exec(() => {
        // an empty change changes nothing (drizzle refuses an UPDATE without SET)
        if (Object.values(c).some((v) => v !== undefined)) db.update(alerts).set(c).where(eq(alerts.id, id)).run();
      }),
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
