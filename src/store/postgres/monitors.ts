// MonitorsRepo and EvaluationsRepo on PostgreSQL. Names sort by code point (COLLATE "C"),
// as on SQLite; one evaluation per (monitor, at) is the unique key's (ON CONFLICT DO NOTHING
// waits for a concurrent insert of the same tick, then answers null).
import { sql, type SQL } from 'drizzle-orm';
import type { Severity } from '../../domain/alerts/state-machine.js';
import type { EvaluationRecord, MonitorRecord, MonitorSpec } from '../../domain/monitoring/monitor.js';
import type { EvaluationsRepo, MonitorsRepo } from '../ports/monitors.js';
import type { PgContext } from './context.js';
import { int8 } from './int8.js';
import { uniquely } from './unique.js';
import { autoThresholdOf, autoThresholdText } from '../auto-threshold-column.js';

interface Row extends Record<string, unknown> {
  id: number;
  model_id: number;
  name: string;
  metric: string;
  feature: string | null;
  attribute: string | null;
  window: string;
  window_ms: unknown;
  schedule: string;
  comparator: string;
  warning_threshold: number | null;
  critical_threshold: number | null;
  auto_threshold: string | null;
  for_evaluations: number;
  min_sample_size: number;
  repeat_interval: string;
  repeat_interval_ms: unknown;
  enabled: boolean;
  version: string | null;
  segment: string | null;
  streak: number;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS = sql.raw(
  `m.id, m.model_id, m.name, m.metric, m.feature, m.attribute, m."window", m.window_ms, m.schedule, m.comparator, m.warning_threshold,
   m.critical_threshold, m.auto_threshold, m.for_evaluations, m.min_sample_size, m.repeat_interval, m.repeat_interval_ms, m.enabled, m.version, m.segment, m.streak, m.created_at, m.updated_at`,
);

function toMonitor(r: Row): MonitorRecord {
  return {
    id: r.id,
    modelId: r.model_id,
    name: r.name,
    metric: r.metric,
    feature: r.feature,
    attribute: r.attribute,
    window: r.window,
    windowMs: int8(r.window_ms),
    schedule: r.schedule,
    comparator: r.comparator as MonitorRecord['comparator'],
    warningThreshold: r.warning_threshold,
    criticalThreshold: r.critical_threshold,
    autoThreshold: autoThresholdOf(r.auto_threshold),
    forEvaluations: r.for_evaluations,
    minSampleSize: r.min_sample_size,
    repeatInterval: r.repeat_interval,
    repeatIntervalMs: int8(r.repeat_interval_ms),
    enabled: r.enabled,
    version: r.version,
    segment: r.segment,
    createdAt: int8(r.created_at),
    updatedAt: int8(r.updated_at),
  };
}

/** The spec's columns, in SPEC_COLUMNS' order. */
const SPEC_COLUMNS = sql.raw(
  'name, metric, feature, attribute, "window", window_ms, schedule, comparator, warning_threshold, critical_threshold, auto_threshold, for_evaluations, min_sample_size, repeat_interval, repeat_interval_ms, enabled, version, segment',
);
const specValues = (s: MonitorSpec) =>
  sql`${s.name}, ${s.metric}, ${s.feature}, ${s.attribute}, ${s.window}, ${s.windowMs}::bigint, ${s.schedule}, ${s.comparator}, ${s.warningThreshold}::float8,
    ${s.criticalThreshold}::float8, ${autoThresholdText(s.autoThreshold)}::text, ${s.forEvaluations}::int, ${s.minSampleSize}::int, ${s.repeatInterval}, ${s.repeatIntervalMs}::bigint, ${s.enabled}::boolean,
    ${s.version}::text, ${s.segment}::text`;

/** The PostgreSQL monitors repository. */
export function pgMonitors({ tx }: PgContext): MonitorsRepo {
  const rows = async (query: SQL) => (await tx.q().execute<Row>(query)).rows;
  const one = async (query: SQL) => (await rows(query))[0];
  const byId = (id: number) => one(sql`SELECT ${COLUMNS} FROM monitors m WHERE m.id = ${id}`);
  return {
    get: async (id) => {
      const r = await byId(id);
      return r ? toMonitor(r) : null;
    },
    withStreak: async (id) => {
      const r = await byId(id);
      return r ? { monitor: toMonitor(r), streak: r.streak } : null;
    },
    list: async (filter = {}) => {
      if (filter.modelName !== undefined) {
        return (await rows(sql`SELECT ${COLUMNS} FROM monitors m JOIN models mo ON mo.id = m.model_id WHERE mo.name = ${filter.modelName} ORDER BY m.name COLLATE "C"`)).map(toMonitor);
      }
      if (filter.modelId !== undefined) return (await rows(sql`SELECT ${COLUMNS} FROM monitors m WHERE m.model_id = ${filter.modelId} ORDER BY m.name COLLATE "C"`)).map(toMonitor);
      return (await rows(sql`SELECT ${COLUMNS} FROM monitors m ORDER BY m.model_id, m.name COLLATE "C"`)).map(toMonitor);
    },
    listLinked: async () => {
      const q = tx.q();
      const found = await q.execute<Row & { model: string }>(
        sql`SELECT ${COLUMNS}, mo.name AS model FROM monitors m JOIN models mo ON mo.id = m.model_id ORDER BY mo.name COLLATE "C", m.name COLLATE "C"`,
      );
      const links = await q.execute<{ monitor_id: number; name: string }>(sql`SELECT l.monitor_id, c.name FROM monitor_channels l JOIN channels c ON c.id = l.channel_id`);
      const byMonitor = new Map<number, string[]>();
      for (const l of links.rows) byMonitor.set(l.monitor_id, [...(byMonitor.get(l.monitor_id) ?? []), l.name]);
      return found.rows.map((r) => ({ record: toMonitor(r), model: r.model, channels: (byMonitor.get(r.id) ?? []).sort() }));
    },
    idByName: async (modelId, name) => (await tx.q().execute<{ id: number }>(sql`SELECT id FROM monitors WHERE model_id = ${modelId} AND name = ${name}`)).rows[0]?.id ?? null,
    create: (m) =>
      uniquely('monitors.model_id, monitors.name', async () =>
        toMonitor(
          (await one(sql`INSERT INTO monitors AS m (model_id, ${SPEC_COLUMNS}, streak, created_at, updated_at)
            VALUES (${m.modelId}, ${specValues(m)}, 0, ${m.createdAt}::bigint, ${m.createdAt}::bigint) RETURNING ${COLUMNS}`))!,
        ),
      ),
    update: (id, spec, updatedAt) =>
      uniquely('monitors.model_id, monitors.name', async () => {
        const r = await one(sql`UPDATE monitors AS m SET (${SPEC_COLUMNS}, updated_at) = (${specValues(spec)}, ${updatedAt}::bigint) WHERE m.id = ${id} RETURNING ${COLUMNS}`);
        return r ? toMonitor(r) : null;
      }),
    delete: async (id) => (await tx.q().execute(sql`DELETE FROM monitors WHERE id = ${id}`)).rowCount === 1,
    setChannels: (monitorId, channelIds) =>
      tx.atomic(async (q) => {
        await q.execute(sql`DELETE FROM monitor_channels WHERE monitor_id = ${monitorId}`);
        if (!channelIds.length) return;
        const values = sql.join(channelIds.map((c) => sql`(${monitorId}, ${c})`), sql`, `);
        await q.execute(sql`INSERT INTO monitor_channels (monitor_id, channel_id) VALUES ${values}`);
      }),
    setStreak: async (id, streak) => {
      await tx.q().execute(sql`UPDATE monitors SET streak = ${streak} WHERE id = ${id}`);
    },
  };
}

interface EvaluationRow extends Record<string, unknown> {
  monitor_id: number;
  at: unknown;
  from: unknown;
  to: unknown;
  value: number | null;
  sample_size: number;
  severity: string;
  warning_threshold: number | null;
  critical_threshold: number | null;
}

const EVALUATION_COLUMNS = sql.raw('monitor_id, at, "from", "to", value, sample_size, severity, warning_threshold, critical_threshold');

function toEvaluation(r: EvaluationRow): EvaluationRecord {
  return { monitorId: r.monitor_id, at: int8(r.at), from: int8(r.from), to: int8(r.to), value: r.value, sampleSize: r.sample_size, severity: r.severity as Severity,
    warningThreshold: r.warning_threshold, criticalThreshold: r.critical_threshold };
}

/** The PostgreSQL evaluations repository. */
export function pgEvaluations({ tx }: PgContext): EvaluationsRepo {
  const first = async (query: SQL) => {
    const r = (await tx.q().execute<EvaluationRow>(query)).rows[0];
    return r ? toEvaluation(r) : null;
  };
  return {
    find: (monitorId, at) => first(sql`SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE monitor_id = ${monitorId} AND at = ${at}`),
    record: (e, recordedAt) =>
      first(sql`INSERT INTO evaluations (monitor_id, at, "from", "to", value, sample_size, severity, warning_threshold, critical_threshold, recorded_at)
        VALUES (${e.monitorId}, ${e.at}::bigint, ${e.from}::bigint, ${e.to}::bigint, ${e.value}::float8, ${e.sampleSize}::int, ${e.severity},
          ${e.warningThreshold}::float8, ${e.criticalThreshold}::float8, ${recordedAt}::bigint)
        ON CONFLICT (monitor_id, at) DO NOTHING RETURNING ${EVALUATION_COLUMNS}`),
    list: async (monitorId, limit) =>
      (await tx.q().execute<EvaluationRow>(sql`SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE monitor_id = ${monitorId} ORDER BY at DESC LIMIT ${limit}`)).rows.map(toEvaluation),
  };
}
