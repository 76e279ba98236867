// Monitors: create, update, delete, look up; their channels and evaluations. Every change
// is audited in its own transaction.
import { badInput, conflict, notFound } from '../errors.js';
import type { ModelRecord } from '../domain/model.js';
import type { ChannelRecord } from '../domain/monitoring/channel.js';
import type { EvaluationRecord, MonitorRecord } from '../domain/monitoring/monitor.js';
import { writeAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { findModel, findModelById } from './models.js';
import { checkMonitor, type MonitorFields } from './monitor-validation.js';
import { channelRecordOf } from './channel-kinds/registry.js';
import { uniqueName } from './unique-names.js';
import { requireVersion } from './versions.js';
import { requireSegment } from './segments.js';
import type { MonitorSpec } from '../domain/monitoring/monitor.js';
import { checkHistorySize } from './threshold-history.js';

export type { EvaluationRecord, MonitorRecord };

export interface CreateMonitorArgs extends MonitorFields {
  model: string;
  channels?: string[] | null;
}

/** Fields to change; absent or null leaves a field as it is, except a null threshold, which clears it. */
export type UpdateMonitorArgs = {
  [K in keyof Omit<MonitorFields, 'metric' | 'feature' | 'attribute'>]?: MonitorFields[K] | null;
} & { channels?: string[] | null };

/** Resolves channel names to ids, naming the first unknown one. */
async function channelIds(deps: Deps, names: string[] | null | undefined, prefix: string): Promise<number[]> {
  const wanted = [...new Set(names ?? [])];
  if (wanted.length === 0) return [];
  const byName = await deps.store.channels.idsByName(wanted);
  const unknown = (names ?? []).findIndex((n) => !byName.has(n));
  if (unknown >= 0) {
    const all = (await deps.store.channels.list()).map((c) => c.name);
    throw badInput(`${prefix}.channels[${unknown}]`, `no channel named "${names![unknown]}" (${all.length ? `channels: ${all.join(', ')}` : 'create one with createChannel first'})`);
  }
  return wanted.map((n) => byName.get(n)!);
}

/**
 * Checks that the version and segment a monitor is narrowed to exist (BAD_USER_INPUT naming
 * `<prefix>.version` / `.segment`). Inside a transaction the segment stays locked until it
 * ends, so a deletion of it waits and then sees the monitor.
 */
export async function checkMonitorScope(deps: Deps, model: ModelRecord, spec: Pick<MonitorSpec, 'version' | 'segment'>, prefix = 'input'): Promise<void> {
  if (spec.version !== null) await requireVersion(deps, model, spec.version, `${prefix}.version`);
  if (spec.segment !== null) await requireSegment(deps, model, spec.segment, `${prefix}.segment`);
}

/** Passes a committed change's result on after telling the scheduler, so no caller has to remember it. */
function announced<T>(deps: Deps): (result: T) => T {
  return (result) => {
    deps.events?.monitorsChanged?.();
    return result;
  };
}

async function nameTaken(deps: Deps, modelId: number, name: string, except?: number): Promise<boolean> {
  const id = await deps.store.monitors.idByName(modelId, name);
  return id !== null && id !== except;
}

/** Creates a monitor after checking every field; audited. */
export async function createMonitor(deps: Deps, actor: Actor, input: CreateMonitorArgs): Promise<MonitorRecord> {
  const model = await findModel(deps, input.model);
  if (!model) throw badInput('input.model', `no model named "${input.model}"`);
  const spec = checkMonitor(model, input);
  const now = deps.clock.now();
  checkHistorySize(spec, now);
  const { monitors } = deps.store;
  return deps.store.transaction(async () => {
    const taken = `model ${model.name} already has a monitor named "${spec.name}"`;
    if (await nameTaken(deps, model.id, spec.name)) throw conflict(taken, 'input.name');
    await checkMonitorScope(deps, model, spec);
    const ids = await channelIds(deps, input.channels, 'input');
    const created = await uniqueName(() => monitors.create({ ...spec, modelId: model.id, createdAt: now }), taken, 'input.name');
    await monitors.setChannels(created.id, ids);
    await writeAudit(deps, now, actor, 'createMonitor', `monitor:${created.id}`, input);
    return created;
  }).then(announced(deps));
}

/** Changes the given fields, re-checking the whole definition; NOT_FOUND when absent. */
export async function updateMonitor(deps: Deps, actor: Actor, id: number, input: UpdateMonitorArgs): Promise<MonitorRecord> {
  const current = await getMonitor(deps, id);
  if (!current) throw notFound(`monitor ${id}`);
  const model = (await findModelById(deps, current.modelId))!;
  const merged: MonitorFields = { ...current };
  const clears = new Set(['warningThreshold', 'criticalThreshold', 'autoThreshold']);
  for (const [k, v] of Object.entries(input)) {
    // A null on a threshold or autoThreshold clears it; elsewhere null means "leave as it is".
    if (k === 'channels') continue;
    if (v !== undefined && (v !== null || clears.has(k))) (merged as unknown as Record<string, unknown>)[k] = v;
  }
  // Switching kinds: learned thresholds replace the fixed ones not given alongside, and a fixed one replaces learning.
  const fixedGiven = (input.warningThreshold ?? null) !== null || (input.criticalThreshold ?? null) !== null;
  if ((input.autoThreshold ?? null) !== null) {
    if (input.warningThreshold === undefined) merged.warningThreshold = null;
    if (input.criticalThreshold === undefined) merged.criticalThreshold = null;
  } else if (fixedGiven && input.autoThreshold === undefined) {
    merged.autoThreshold = null;
  }
  const spec = checkMonitor(model, merged);
  const now = deps.clock.now();
  checkHistorySize(spec, now);
  const { monitors } = deps.store;
  return deps.store.transaction(async () => {
    if (!(await monitors.get(id))) throw notFound(`monitor ${id}`);
    const taken = `model ${model.name} already has a monitor named "${spec.name}"`;
    if (await nameTaken(deps, model.id, spec.name, id)) throw conflict(taken, 'input.name');
    await checkMonitorScope(deps, model, spec);
    if (input.channels !== undefined && input.channels !== null) await monitors.setChannels(id, await channelIds(deps, input.channels, 'input'));
    const updated = (await uniqueName(() => monitors.update(id, spec, now), taken, 'input.name'))!;
    await writeAudit(deps, now, actor, 'updateMonitor', `monitor:${id}`, input);
    return updated;
  }).then(announced(deps));
}

/** Deletes a monitor with its evaluations and alerts; NOT_FOUND when absent. */
export async function deleteMonitor(deps: Deps, actor: Actor, id: number): Promise<boolean> {
  const now = deps.clock.now();
  const { monitors } = deps.store;
  return deps.store.transaction(async () => {
    const found = Number.isSafeInteger(id) ? await monitors.get(id) : null;
    if (!found) throw notFound(`monitor ${id}`);
    await monitors.delete(id);
    await writeAudit(deps, now, actor, 'deleteMonitor', `monitor:${id}`, { name: found.name });
    return true;
  }).then(announced(deps));
}

/** The monitor with that id, or null. */
export async function getMonitor(deps: Deps, id: number): Promise<MonitorRecord | null> {
  if (!Number.isSafeInteger(id)) return null;
  return deps.store.monitors.get(id);
}

/** Monitors of one model (by name; none when it does not exist) or of all, by model then name. */
export async function listMonitors(deps: Deps, filter: { model?: string | null; modelId?: number } = {}): Promise<MonitorRecord[]> {
  if (filter.model !== undefined && filter.model !== null) return deps.store.monitors.list({ modelName: filter.model });
  return deps.store.monitors.list(filter.modelId === undefined ? {} : { modelId: filter.modelId });
}

/** The model a monitor watches. */
export async function modelOfMonitor(deps: Deps, m: { modelId: number }): Promise<ModelRecord> {
  return (await findModelById(deps, m.modelId))!;
}

/** The channels a monitor notifies, by name. */
export async function monitorChannelList(deps: Deps, monitorId: number): Promise<ChannelRecord[]> {
  return (await deps.store.channels.ofMonitor(monitorId)).map(channelRecordOf);
}

/** The newest evaluations (by run time) first; limit 1..1000, default 100. */
export function listEvaluations(deps: Deps, monitorId: number, limit = 100): Promise<EvaluationRecord[]> {
  return deps.store.evaluations.list(monitorId, Math.max(1, Math.min(1000, Math.floor(limit))));
}

/** The evaluation with the latest run time, or null. */
export async function lastEvaluation(deps: Deps, monitorId: number): Promise<EvaluationRecord | null> {
  return (await listEvaluations(deps, monitorId, 1))[0] ?? null;
}
