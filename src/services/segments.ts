// Segments (contract 10): named conjunctions of conditions on a model's features. A new
// segment applies to the events already stored and to every later one: its statistics
// slices are made in the transaction that creates it (`data.syncSlices`, which builds them
// from the raw events). A segment a monitor is narrowed to cannot be deleted.
import { badInput, conflict, notFound } from '../errors.js';
import { checkSegment, type SegmentRecord } from '../domain/segments/segment.js';
import { closestNames } from '../domain/closest-names.js';
import { preview } from '../domain/input/text.js';
import type { ModelRecord } from '../domain/model.js';
import { writeAudit } from './audit.js';
import { modelNotFound } from './models.js';
import { uniqueName } from './unique-names.js';
import type { Actor, Deps } from './deps.js';

export type { SegmentRecord };

export interface CreateSegmentArgs {
  model: string;
  name: unknown;
  conditions: unknown;
}

async function lockedModel(deps: Deps, name: string): Promise<ModelRecord> {
  const m = await deps.store.models.byName(name);
  if (!m) throw await modelNotFound(deps, name);
  return m;
}

/** The model's segment of that name; BAD_USER_INPUT at `field` naming the segments it has. */
export async function requireSegment(deps: Deps, model: ModelRecord, name: string, field: string): Promise<SegmentRecord> {
  const s = await deps.store.segments.byName(model.id, name);
  if (s) return s;
  const names = (await deps.store.segments.list(model.id)).map((x) => x.name);
  const near = closestNames(name, names);
  const hint = names.length === 0 ? 'it has none yet (createSegment)' : near.length ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : `segments: ${names.slice(0, 10).join(', ')}`;
  throw badInput(field, `model ${model.name} has no segment named ${preview(name)}; ${hint}`);
}

/** Creates a segment after checking its conditions against the model's features; CONFLICT when the name is taken. */
export async function createSegment(deps: Deps, actor: Actor, input: CreateSegmentArgs): Promise<SegmentRecord> {
  const now = deps.clock.now();
  const { store } = deps;
  return store.transaction(async () => {
    const model = await lockedModel(deps, input.model);
    const checked = checkSegment(model.features, input);
    if (!checked.ok) throw badInput(checked.field, checked.message);
    const { name, conditions } = checked.segment;
    const taken = `model ${model.name} already has a segment named "${name}"`;
    const created = await uniqueName(() => store.segments.create({ modelId: model.id, name, conditions, createdAt: now }), taken, 'input.name');
    if (!created) throw conflict(taken, 'input.name');
    await writeAudit(deps, now, actor, 'createSegment', model.name, { name, conditions });
    await store.data.syncSlices(model);
    return created;
  });
}

/** Deletes a segment with its statistics; CONFLICT naming the monitors narrowed to it; NOT_FOUND when absent. */
export async function deleteSegment(deps: Deps, actor: Actor, modelName: string, name: string): Promise<boolean> {
  const now = deps.clock.now();
  const { store } = deps;
  return store.transaction(async () => {
    const model = await lockedModel(deps, modelName);
    const segment = await store.segments.byName(model.id, name);
    if (!segment) throw notFound(`segment ${preview(name)} of model ${model.name}`);
    const users = (await store.monitors.list({ modelId: model.id })).filter((m) => m.segment === segment.name);
    if (users.length > 0) {
      const list = users.map((u) => `${u.name} (id ${u.id})`).join(', ');
      throw conflict(`segment "${name}" is used by monitors ${list}; delete them or narrow them elsewhere (updateMonitor segment) first`, 'name');
    }
    await store.segments.delete(segment.id);
    await writeAudit(deps, now, actor, 'deleteSegment', model.name, { name });
    await store.data.syncSlices(model);
    return true;
  });
}

/** The model's segments, by name. */
export function listSegments(deps: Deps, modelId: number): Promise<SegmentRecord[]> {
  return deps.store.segments.list(modelId);
}
