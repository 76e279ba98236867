// AlertsRepo on PostgreSQL. Transitions of one monitor are serialised by a row lock on the
// monitor taken first in the deciding transaction (lockMonitor), held until it ends.
import { sql, type SQL } from 'drizzle-orm';
import type { AlertEventKind, AlertStatus, BreachSeverity } from '../../domain/alerts/state-machine.js';
import type { StoredAlert } from '../../domain/monitoring/alert.js';
import type { AlertChange, AlertsRepo } from '../ports/alerts.js';
import type { PgContext } from './context.js';
import { int8, int8OrNull } from './int8.js';

interface Row extends Record<string, unknown> {
  id: number;
  monitor_id: number;
  model_id: number;
  monitor_name: string;
  metric: string;
  feature: string | null;
  attribute: string | null;
  window: string;
  model: string;
  severity: string;
  status: string;
  value: number | null;
  threshold: number | null;
  sample_size: number | null;
  message: string;
  opened_at: unknown;
  updated_at: unknown;
  resolved_at: unknown;
  acknowledged_by: string | null;
  snoozed_until: unknown;
  last_notified_at: unknown;
}

const STORED = sql.raw(`SELECT a.id, a.monitor_id, a.model_id, m.name AS monitor_name, m.metric, m.feature, m.attribute, m."window", mo.name AS model,
  a.severity, a.status, a.value, a.threshold, a.sample_size, a.message, a.opened_at, a.updated_at, a.resolved_at, a.acknowledged_by,
  a.snoozed_until, a.last_notified_at
  FROM alerts a JOIN monitors m ON m.id = a.monitor_id JOIN models mo ON mo.id = a.model_id`);

function toStored(r: Row): StoredAlert {
  return {
    id: r.id,
    monitorId: r.monitor_id,
    modelId: r.model_id,
    model: r.model,
    monitorName: r.monitor_name,
    metric: r.metric,
    feature: r.feature,
    attribute: r.attribute,
    window: r.window,
    severity: r.severity as BreachSeverity,
    status: r.status as AlertStatus,
    value: r.value,
    threshold: r.threshold,
    sampleSize: r.sample_size,
    message: r.message,
    openedAt: int8(r.opened_at),
    updatedAt: int8(r.updated_at),
    resolvedAt: int8OrNull(r.resolved_at),
    acknowledgedBy: r.acknowledged_by,
    snoozedUntil: int8OrNull(r.snoozed_until),
    lastNotifiedAt: int8(r.last_notified_at),
  };
}

/** The column a change's field sets, and its type (a null parameter needs one). */
const SETTABLE: Record<keyof AlertChange, [string, string]> = {
  status: ['status', 'text'],
  severity: ['severity', 'text'],
  snoozedUntil: ['snoozed_until', 'bigint'],
  acknowledgedBy: ['acknowledged_by', 'text'],
  lastNotifiedAt: ['last_notified_at', 'bigint'],
  value: ['value', 'float8'],
  threshold: ['threshold', 'float8'],
  sampleSize: ['sample_size', 'int'],
  message: ['message', 'text'],
  updatedAt: ['updated_at', 'bigint'],
  resolvedAt: ['resolved_at', 'bigint'],
};

function assignment(k: keyof AlertChange, v: unknown): SQL {
  const [column, type] = SETTABLE[k];
  return sql`${sql.raw(column)} = ${v}::${sql.raw(type)}`;
}

/** The PostgreSQL alerts repository. */
export function pgAlerts({ tx }: PgContext): AlertsRepo {
  const stored = async (query: SQL) => (await tx.q().execute<Row>(query)).rows.map(toStored);
  return {
    // NO KEY UPDATE: the lock an UPDATE of the row takes; it excludes another lockMonitor (and
    // the monitor's deletion) but not inserts referencing the monitor (their foreign key check)
    lockMonitor: async (monitorId) => {
      await tx.q().execute(sql`SELECT 1 FROM monitors WHERE id = ${monitorId} FOR NO KEY UPDATE`);
    },
    get: async (id) => (await stored(sql`${STORED} WHERE a.id = ${id}`))[0] ?? null,
    openOf: async (monitorId) => (await stored(sql`${STORED} WHERE a.monitor_id = ${monitorId} AND a.status <> 'RESOLVED'`))[0] ?? null,
    list: async (filter, limit) => {
      const conds: SQL[] = [sql`TRUE`];
      if (filter.model !== undefined) conds.push(sql`mo.name = ${filter.model}`);
      if (filter.modelId !== undefined) conds.push(sql`a.model_id = ${filter.modelId}`);
      if (filter.monitorId !== undefined) conds.push(sql`a.monitor_id = ${filter.monitorId}`);
      if (filter.status && filter.status.length) conds.push(sql`a.status IN (${sql.join(filter.status.map((s) => sql`${s}`), sql`, `)})`);
      const found = await stored(sql`${STORED} WHERE ${sql.join(conds, sql` AND `)} ORDER BY a.opened_at DESC, a.id DESC LIMIT ${limit}`);
      return found.map(({ lastNotifiedAt: _, ...record }) => record);
    },
    open: async (a) =>
      (
        await tx.q().execute<{ id: number }>(sql`INSERT INTO alerts (monitor_id, model_id, severity, status, value, threshold, sample_size, message, opened_at, updated_at, last_notified_at)
          VALUES (${a.monitorId}, ${a.modelId}, ${a.severity}, ${a.status}, ${a.value}::float8, ${a.threshold}::float8, ${a.sampleSize}::int, ${a.message},
                  ${a.openedAt}::bigint, ${a.updatedAt}::bigint, ${a.lastNotifiedAt}::bigint) RETURNING id`)
      ).rows[0]!.id,
    change: async (id, c) => {
      const fields = (Object.keys(SETTABLE) as Array<keyof AlertChange>).filter((k) => c[k] !== undefined);
      if (!fields.length) return;
      await tx.q().execute(sql`UPDATE alerts SET ${sql.join(fields.map((k) => assignment(k, c[k])), sql`, `)} WHERE id = ${id}`);
    },
    addEvent: async (alertId, e) =>
      (await tx.q().execute<{ id: number }>(sql`INSERT INTO alert_events (alert_id, at, kind, actor, note) VALUES (${alertId}, ${e.at}::bigint, ${e.kind}, ${e.actor}, ${e.note}) RETURNING id`)).rows[0]!.id,
    events: async (alertId) =>
      (
        await tx.q().execute<{ at: unknown; kind: string; actor: string | null; note: string | null }>(
          sql`SELECT at, kind, actor, note FROM alert_events WHERE alert_id = ${alertId} ORDER BY id`,
        )
      ).rows.map((e) => ({ at: int8(e.at), kind: e.kind as AlertEventKind, actor: e.actor, note: e.note })),
    snoozesEnded: async (now) =>
      (await tx.q().execute<{ id: number }>(sql`SELECT id FROM alerts WHERE status = 'SNOOZED' AND snoozed_until <= ${now} ORDER BY id`)).rows.map((r) => r.id),
  };
}
