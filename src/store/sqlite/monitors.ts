// MonitorsRepo and EvaluationsRepo on SQLite.
import { and, asc, desc, eq } from 'drizzle-orm';
import { channels, evaluations, models, monitorChannels, monitors } from '../../db/schema/index.js';
import type { Severity } from '../../domain/alerts/state-machine.js';
import type { EvaluationRecord, MonitorRecord } from '../../domain/monitoring/monitor.js';
import type { EvaluationsRepo, MonitorsRepo } from '../ports/monitors.js';
import type { SqliteContext } from './context.js';

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
    forEvaluations: r.forEvaluations,
    minSampleSize: r.minSampleSize,
    repeatInterval: r.repeatInterval,
    repeatIntervalMs: r.repeatIntervalMs,
    enabled: r.enabled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toEvaluation(r: typeof evaluations.$inferSelect): EvaluationRecord {
  return { monitorId: r.monitorId, at: r.at, from: r.from, to: r.to, value: r.value, sampleSize: r.sampleSize, severity: r.severity as Severity };
}

/** The SQLite monitors repository. */
export function sqliteMonitors({ db, tx }: SqliteContext): MonitorsRepo {
  const row = (id: number) => db.select().from(monitors).where(eq(monitors.id, id)).get();
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
      tx.exec(() => toMonitor(db.insert(monitors).values({ ...m, streak: 0, updatedAt: m.createdAt }).returning().get())),
    update: (id, spec, updatedAt) =>
      tx.exec(() => {
        const r = db.update(monitors).set({ ...spec, updatedAt }).where(eq(monitors.id, id)).returning().get();
        return r ? toMonitor(r) : null;
      }),
    delete: (id) => tx.exec(() => db.delete(monitors).where(eq(monitors.id, id)).run().changes > 0),
    setChannels: (monitorId, channelIds) =>
      tx.exec(() => {
        db.delete(monitorChannels).where(eq(monitorChannels.monitorId, monitorId)).run();
        for (const channelId of channelIds) db.insert(monitorChannels).values({ monitorId, channelId }).run();
      }),
    setStreak: (id, streak) => tx.exec(() => void db.update(monitors).set({ streak }).where(eq(monitors.id, id)).run()),
  };
}

/** The SQLite evaluations repository. */
export function sqliteEvaluations({ db, tx }: SqliteContext): EvaluationsRepo {
  return {
    find: (monitorId, at) =>
      tx.exec(() => {
        const r = db.select().from(evaluations).where(and(eq(evaluations.monitorId, monitorId), eq(evaluations.at, at))).get();
        return r ? toEvaluation(r) : null;
      }),
    record: (e, recordedAt) =>
      tx.exec(() => {
        const r = db.insert(evaluations).values({ ...e, recordedAt }).onConflictDoNothing().returning().get();
        return r ? toEvaluation(r) : null;
      }),
    list: (monitorId, limit) =>
      tx.exec(() => db.select().from(evaluations).where(eq(evaluations.monitorId, monitorId)).orderBy(desc(evaluations.at)).limit(limit).all().map(toEvaluation)),
  };
}
