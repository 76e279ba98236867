// MonitorsRepo and EvaluationsRepo on SQLite.
import { and, asc, desc, eq } from 'drizzle-orm';
import { channels, evaluations, models, monitorChannels, monitors } from '../../db/schema/index.js';
import type { Severity } from '../../domain/alerts/state-machine.js';
import type { EvaluationRecord, MonitorRecord } from '../../domain/monitoring/monitor.js';
import type { EvaluationsRepo, MonitorsRepo } from '../ports/monitors.js';
import type { SqliteContext } from './context.js';
import { autoThresholdOf, autoThresholdText } from '../auto-threshold-column.js';

type Row = typeof monitors.$inferSelect;

function toMonitor(r: Row): MonitorRecord {
  return {
    id: r.id,
    modelId: r.modelId,
    name: r.name,
    metric: r.metric,
    feature: r.feature,
    attribute: r.attribute,
    window: r.window,
    windowMs: r.windowMs,
    schedule: r.schedule,
    comparator: r.comparator as MonitorRecord['comparator'],
    warningThreshold: r.warningThreshold,
    criticalThreshold: r.criticalThreshold,
    autoThreshold: autoThresholdOf(r.autoThreshold),
    forEvaluations: r.forEvaluations,
    minSampleSize: r.minSampleSize,
    repeatInterval: r.repeatInterval,
    repeatIntervalMs: r.repeatIntervalMs,
    enabled: r.enabled,
    version: r.version,
    segment: r.segment,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toEvaluation(r: typeof evaluations.$inferSelect): EvaluationRecord {
  return {
    monitorId: r.monitorId,
    at: r.at,
    from: r.from,
    to: r.to,
    value: r.value,
    sampleSize: r.sampleSize,
    severity: r.severity as Severity,
    warningThreshold: r.warningThreshold,
    criticalThreshold: r.criticalThreshold,
  };
}

// Evaluations read a monitor, its evaluation and its alert on every tick: prepared
// statements (drizzle builds and prepares each query anew: most of an evaluation's CPU).
const MONITOR_BY_ID = `SELECT id, model_id AS modelId, name, metric, feature, attribute, window, window_ms AS windowMs, schedule, comparator,
  warning_threshold AS warningThreshold, critical_threshold AS criticalThreshold, auto_threshold AS autoThreshold, for_evaluations AS forEvaluations,
  min_sample_size AS minSampleSize, repeat_interval AS repeatInterval, repeat_interval_ms AS repeatIntervalMs, enabled, version, segment, streak,
  created_at AS createdAt, updated_at AS updatedAt FROM monitors WHERE id = ?`;
const EVALUATION_COLUMNS =
  'monitor_id AS monitorId, at, "from", "to", value, sample_size AS sampleSize, severity, warning_threshold AS warningThreshold, critical_threshold AS criticalThreshold';
const EVALUATION_AT = `SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE monitor_id = ? AND at = ?`;
const RECORD_EVALUATION = `INSERT INTO evaluations (monitor_id, at, "from", "to", value, sample_size, severity, warning_threshold, critical_threshold, recorded_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING RETURNING ${EVALUATION_COLUMNS}`;

type RawMonitor = Omit<Row, 'enabled'> & { enabled: number };

/** The SQLite monitors repository. */
export function sqliteMonitors({ db, tx, statement }: SqliteContext): MonitorsRepo {
  const row = (id: number): Row | undefined => {
    const r = statement<[number], RawMonitor>(MONITOR_BY_ID).get(id);
    return r ? { ...r, enabled: r.enabled === 1 } : undefined;
  };
  return {
    get: (id) =>
      tx.exec(() => {
        const r = row(id);
        return r ? toMonitor(r) : null;
      }),
    withStreak: (id) =>
      tx.exec(() => {
        const r = row(id);
        return r ? { monitor: toMonitor(r), streak: r.streak } : null;
      }),
    list: (filter = {}) =>
      tx.exec(() => {
        if (filter.modelName !== undefined) {
          return db
            .select({ m: monitors })
            .from(monitors)
            .innerJoin(models, eq(models.id, monitors.modelId))
            .where(eq(models.name, filter.modelName))
            .orderBy(asc(monitors.name))
            .all()
            .map((r) => toMonitor(r.m));
        }
        const q = db.select().from(monitors);
        const rows = filter.modelId === undefined ? q.orderBy(asc(monitors.modelId), asc(monitors.name)).all() : q.where(eq(monitors.modelId, filter.modelId)).orderBy(asc(monitors.name)).all();
        return rows.map(toMonitor);
      }),
    listLinked: () =>
      tx.exec(() => {
        const rows = db.select({ m: monitors, model: models.name }).from(monitors).innerJoin(models, eq(models.id, monitors.modelId)).orderBy(asc(models.name), asc(monitors.name)).all();
        const links = db.select({ monitorId: monitorChannels.monitorId, name: channels.name }).from(monitorChannels).innerJoin(channels, eq(channels.id, monitorChannels.channelId)).all();
        const byMonitor = new Map<number, string[]>();
        for (const l of links) byMonitor.set(l.monitorId, [...(byMonitor.get(l.monitorId) ?? []), l.name]);
        return rows.map((r) => ({ record: toMonitor(r.m), model: r.model, channels: (byMonitor.get(r.m.id) ?? []).sort() }));
      }),
    idByName: (modelId, name) =>
      tx.exec(() => db.select({ id: monitors.id }).from(monitors).where(and(eq(monitors.modelId, modelId), eq(monitors.name, name))).get()?.id ?? null),
    create: (m) =>
      tx.exec(() => toMonitor(db.insert(monitors).values({ ...m, autoThreshold: autoThresholdText(m.autoThreshold), streak: 0, updatedAt: m.createdAt }).returning().get())),
    update: (id, spec, updatedAt) =>
      tx.exec(() => {
        const r = db.update(monitors).set({ ...spec, autoThreshold: autoThresholdText(spec.autoThreshold), updatedAt }).where(eq(monitors.id, id)).returning().get();
        return r ? toMonitor(r) : null;
      }),
    delete: (id) => tx.exec(() => db.delete(monitors).where(eq(monitors.id, id)).run().changes > 0),
    setChannels: (monitorId, channelIds) =>
      tx.exec(() => {
        db.delete(monitorChannels).where(eq(monitorChannels.monitorId, monitorId)).run();
        for (const channelId of channelIds) db.insert(monitorChannels).values({ monitorId, channelId }).run();
      }),
    setStreak: (id, streak) => tx.exec(() => void statement('UPDATE monitors SET streak = ? WHERE id = ?').run(streak, id)),
  };
}

/** The SQLite evaluations repository. */
export function sqliteEvaluations({ db, tx, statement }: SqliteContext): EvaluationsRepo {
  return {
    find: (monitorId, at) => tx.exec(() => statement<[number, number], EvaluationRecord>(EVALUATION_AT).get(monitorId, at) ?? null),
    record: (e, recordedAt) =>
      tx.exec(() => statement<unknown[], EvaluationRecord>(RECORD_EVALUATION).get(e.monitorId, e.at, e.from, e.to, e.value, e.sampleSize, e.severity, e.warningThreshold, e.criticalThreshold, recordedAt) ?? null),
    list: (monitorId, limit) =>
      tx.exec(() => db.select().from(evaluations).where(eq(evaluations.monitorId, monitorId)).orderBy(desc(evaluations.at)).limit(limit).all().map(toEvaluation)),
  };
}
