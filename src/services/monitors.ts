// Monitors: create, update, delete, look up; their channels and evaluations. Every change
// is audited in its own transaction.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { channels, evaluations, models, monitorChannels, monitors } from '../db/schema/index.js';
import type { Db } from '../db/client.js';
import { badInput, conflict, notFound } from '../errors.js';
import type { ModelRecord } from '../domain/model.js';
import type { Severity } from '../domain/alerts/state-machine.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { findModel, findModelById } from './models.js';
import { checkMonitor, type MonitorFields, type MonitorSpec } from './monitor-validation.js';
import { toChannelRecord, type ChannelRecord } from './channels.js';

export interface MonitorRecord extends MonitorSpec {
  id: number;
  modelId: number;
  createdAt: number;
  updatedAt: number;
}

export interface EvaluationRecord {
  monitorId: number;
  at: number;
  from: number;
  to: number;
  value: number | null;
  sampleSize: number;
  severity: Severity;
}

export interface CreateMonitorArgs extends MonitorFields {
  model: string;
  channels?: string[] | null;
}

/** Fields to change; absent or null leaves a field as it is, except a null threshold, which clears it. */
export type UpdateMonitorArgs = {
  [K in keyof Omit<MonitorFields, 'metric' | 'feature' | 'attribute'>]?: MonitorFields[K] | null;
} & { channels?: string[] | null };

type Row = typeof monitors.$inferSelect;

/** A monitors row as a record. */
export function toMonitorRecord(r: Row): MonitorRecord {
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

/** An evaluations row as a record. */
export function toEvaluationRecord(r: typeof evaluations.$inferSelect): EvaluationRecord {
  return { monitorId: r.monitorId, at: r.at, from: r.from, to: r.to, value: r.value, sampleSize: r.sampleSize, severity: r.severity as Severity };
}

/** Resolves channel names to ids, naming the first unknown one. */
function channelIds(tx: Db, names: string[] | null | undefined, prefix: string): number[] {
  const wanted = [...new Set(names ?? [])];
  if (wanted.length === 0) return [];
  const found = tx.select({ id: channels.id, name: channels.name }).from(channels).where(inArray(channels.name, wanted)).all();
  const byName = new Map(found.map((c) => [c.name, c.id]));
  (names ?? []).forEach((n, i) => {
    if (!byName.has(n)) {
      const all = tx.select({ name: channels.name }).from(channels).orderBy(asc(channels.name)).all().map((c) => c.name);
      throw badInput(`${prefix}.channels[${i}]`, `no channel named "${n}" (${all.length ? `channels: ${all.join(', ')}` : 'create one with createChannel first'})`);
    }
  });
  return wanted.map((n) => byName.get(n)!);
}

function setChannels(tx: Db, monitorId: number, ids: number[]): void {
  tx.delete(monitorChannels).where(eq(monitorChannels.monitorId, monitorId)).run();
  for (const channelId of ids) tx.insert(monitorChannels).values({ monitorId, channelId }).run();
}

function nameTaken(tx: Db, modelId: number, name: string, except?: number): boolean {
  const row = tx.select({ id: monitors.id }).from(monitors).where(and(eq(monitors.modelId, modelId), eq(monitors.name, name))).get();
  return !!row && row.id !== except;
}

/** Creates a monitor after checking every field; audited. */
export async function createMonitor(deps: Deps, actor: Actor, input: CreateMonitorArgs): Promise<MonitorRecord> {
  const model = await findModel(deps, input.model);
  if (!model) throw badInput('input.model', `no model named "${input.model}"`);
  const spec = checkMonitor(model, input);
  const now = deps.clock.now();
  return deps.store.db.transaction((tx) => {
    if (nameTaken(tx, model.id, spec.name)) throw conflict(`model ${model.name} already has a monitor named "${spec.name}"`, 'input.name');
    const ids = channelIds(tx, input.channels, 'input');
    const row = tx
      .insert(monitors)
      .values({ ...spec, modelId: model.id, streak: 0, createdAt: now, updatedAt: now })
      .returning()
      .get();
    setChannels(tx, row.id, ids);
    recordAudit(tx, now, actor, 'createMonitor', `monitor:${row.id}`, input);
    return toMonitorRecord(row);
  });
}

/** Changes the given fields, re-checking the whole definition; NOT_FOUND when absent. */
export async function updateMonitor(deps: Deps, actor: Actor, id: number, input: UpdateMonitorArgs): Promise<MonitorRecord> {
  const current = await getMonitor(deps, id);
  if (!current) throw notFound(`monitor ${id}`);
  const model = (await findModelById(deps, current.modelId))!;
  const merged: MonitorFields = { ...current };
  for (const [k, v] of Object.entries(input)) {
    // A null on a threshold clears it; elsewhere null means "leave as it is".
    if (k === 'channels') continue;
    if (v !== undefined && (v !== null || k === 'warningThreshold' || k === 'criticalThreshold')) (merged as unknown as Record<string, unknown>)[k] = v;
  }
  const spec = checkMonitor(model, merged);
  const now = deps.clock.now();
  return deps.store.db.transaction((tx) => {
    if (!tx.select({ id: monitors.id }).from(monitors).where(eq(monitors.id, id)).get()) throw notFound(`monitor ${id}`);
    if (nameTaken(tx, model.id, spec.name, id)) throw conflict(`model ${model.name} already has a monitor named "${spec.name}"`, 'input.name');
    if (input.channels !== undefined && input.channels !== null) setChannels(tx, id, channelIds(tx, input.channels, 'input'));
    const row = tx.update(monitors).set({ ...spec, updatedAt: now }).where(eq(monitors.id, id)).returning().get();
    recordAudit(tx, now, actor, 'updateMonitor', `monitor:${id}`, input);
    return toMonitorRecord(row);
  });
}

/** Deletes a monitor with its evaluations and alerts; NOT_FOUND when absent. */
export async function deleteMonitor(deps: Deps, actor: Actor, id: number): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.db.transaction((tx) => {
    const row = tx.select({ id: monitors.id, name: monitors.name }).from(monitors).where(eq(monitors.id, id)).get();
    if (!row) throw notFound(`monitor ${id}`);
    tx.delete(monitors).where(eq(monitors.id, id)).run();
    recordAudit(tx, now, actor, 'deleteMonitor', `monitor:${id}`, { name: row.name });
    return true;
  });
}

/** The monitor with that id, or null. */
export async function getMonitor(deps: Deps, id: number): Promise<MonitorRecord | null> {
  if (!Number.isSafeInteger(id)) return null;
  const row = deps.store.db.select().from(monitors).where(eq(monitors.id, id)).get();
  return row ? toMonitorRecord(row) : null;
}

/** Monitors of one model (by name; none when it does not exist) or of all, by model then name. */
export async function listMonitors(deps: Deps, filter: { model?: string | null; modelId?: number } = {}): Promise<MonitorRecord[]> {
  const { db } = deps.store;
  let modelId = filter.modelId;
  if (filter.model !== undefined && filter.model !== null) {
    const m = db.select({ id: models.id }).from(models).where(eq(models.name, filter.model)).get();
    if (!m) return [];
    modelId = m.id;
  }
  const q = db.select().from(monitors);
  const rows = modelId === undefined ? q.orderBy(asc(monitors.modelId), asc(monitors.name)).all() : q.where(eq(monitors.modelId, modelId)).orderBy(asc(monitors.name)).all();
  return rows.map(toMonitorRecord);
}

/** The model a monitor watches. */
export async function modelOfMonitor(deps: Deps, m: { modelId: number }): Promise<ModelRecord> {
  return (await findModelById(deps, m.modelId))!;
}

/** The channels a monitor notifies, by name. */
export async function monitorChannelList(deps: Deps, monitorId: number): Promise<ChannelRecord[]> {
  const rows = deps.store.db
    .select({ c: channels })
    .from(monitorChannels)
    .innerJoin(channels, eq(channels.id, monitorChannels.channelId))
    .where(eq(monitorChannels.monitorId, monitorId))
    .orderBy(asc(channels.name))
    .all();
  return rows.map((r) => toChannelRecord(r.c));
}

/** The newest evaluations (by run time) first; limit 1..1000, default 100. */
export async function listEvaluations(deps: Deps, monitorId: number, limit = 100): Promise<EvaluationRecord[]> {
  const n = Math.max(1, Math.min(1000, Math.floor(limit)));
  return deps.store.db
    .select()
    .from(evaluations)
    .where(eq(evaluations.monitorId, monitorId))
    .orderBy(desc(evaluations.at))
    .limit(n)
    .all()
    .map(toEvaluationRecord);
}

/** The evaluation with the latest run time, or null. */
export async function lastEvaluation(deps: Deps, monitorId: number): Promise<EvaluationRecord | null> {
  return (await listEvaluations(deps, monitorId, 1))[0] ?? null;
}
