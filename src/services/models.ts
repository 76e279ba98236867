// The model registry: create, update, delete, look up. Validation names the field at fault.
import { SLUG, SLUG_RULE } from '../domain/names.js';
import { AppError, badInput, conflict, notFound } from '../errors.js';
import type { FeatureDef, ModelRecord, TaskType, FeatureType } from '../domain/model.js';
import { closestNames } from '../domain/closest-names.js';
import { preview } from '../domain/input/text.js';
import { MAX_RETENTION_DAYS } from '../domain/retention.js';
import { writeAudit } from './audit.js';
import type { ModelPatch } from '../store/ports/models.js';
import type { Actor, Deps } from './deps.js';

export interface CreateModelArgs {
  name: string;
  task: TaskType;
  description?: string | null;
  positiveClass?: string | null;
  decisionThreshold?: number | null;
  features: Array<{ name: string; type: FeatureType; protected?: boolean | null; min?: number | null; max?: number | null }>;
}

export interface UpdateModelArgs {
  description?: string | null;
  decisionThreshold?: number | null;
  /** 0 = forever; absent or null = unchanged */
  retentionDays?: number | null;
}

function checkThreshold(v: number | null | undefined, field: string): void {
  if (v === null || v === undefined) return;
  if (!Number.isFinite(v) || v <= 0 || v >= 1) throw badInput(field, `must be strictly between 0 and 1, got ${v}`);
}

/** A model's own retention: a whole number of days, 0 = forever; BAD_USER_INPUT at `field` otherwise. */
export function checkRetentionDays(d: number, field: string): number {
  if (!Number.isSafeInteger(d) || d < 0 || d > MAX_RETENTION_DAYS) {
    throw badInput(field, `must be a whole number of days from 0 (keep forever) to ${MAX_RETENTION_DAYS}, got ${d}`);
  }
  return d;
}

/** Checks a CreateModelInput; throws BAD_USER_INPUT naming the first field at fault (under `prefix`). */
export function validateModelInput(input: CreateModelArgs, prefix = 'input'): FeatureDef[] {
  if (!SLUG.test(input.name)) {
    throw badInput(
      `${prefix}.name`,
      `${preview(input.name)} is not a valid model name: ${SLUG_RULE}`,
    );
  }
  if (input.task === 'BINARY_CLASSIFICATION') {
    if (!input.positiveClass) throw badInput(`${prefix}.positiveClass`, 'is required for BINARY_CLASSIFICATION (the label that counts as positive)');
  } else if (input.decisionThreshold !== null && input.decisionThreshold !== undefined) {
    throw badInput(`${prefix}.decisionThreshold`, 'applies to BINARY_CLASSIFICATION only');
  }
  checkThreshold(input.decisionThreshold, `${prefix}.decisionThreshold`);
  if (input.features.length === 0) throw badInput(`${prefix}.features`, 'a model needs at least one feature');
  const seen = new Set<string>();
  return input.features.map((f, i) => {
    const field = `${prefix}.features[${i}]`;
    if (!f.name || !f.name.trim()) throw badInput(`${field}.name`, 'must not be empty');
    if (f.name.length > 128) throw badInput(`${field}.name`, 'must be at most 128 characters');
    if (seen.has(f.name)) throw badInput(`${field}.name`, `"${f.name}" is declared twice; feature names must be unique`);
    seen.add(f.name);
    if (f.protected && f.type !== 'CATEGORICAL') throw badInput(`${field}.protected`, `"${f.name}" is ${f.type}; only CATEGORICAL features can be protected`);
    const hasBounds = (f.min ?? null) !== null || (f.max ?? null) !== null;
    if (hasBounds && f.type !== 'NUMERIC') throw badInput(`${field}.min`, `"${f.name}" is CATEGORICAL; min and max apply to NUMERIC features only`);
    for (const k of ['min', 'max'] as const) {
      const v = f[k];
      if (v !== null && v !== undefined && !Number.isFinite(v)) throw badInput(`${field}.${k}`, 'must be a finite number');
    }
    if (f.min !== null && f.min !== undefined && f.max !== null && f.max !== undefined && f.min > f.max) {
      throw badInput(`${field}.min`, `min (${f.min}) must not exceed max (${f.max})`);
    }
    return { name: f.name, type: f.type, protected: !!f.protected, min: f.min ?? null, max: f.max ?? null };
  });
}

/** Creates a model; CONFLICT when the name is taken. */
export async function createModel(deps: Deps, actor: Actor, input: CreateModelArgs): Promise<ModelRecord> {
  const features = validateModelInput(input);
  const now = deps.clock.now();
  const { store } = deps;
  return store.transaction(async () => {
    const model = await store.models.create({
      name: input.name,
      task: input.task,
      description: input.description ?? null,
      positiveClass: input.positiveClass ?? null,
      decisionThreshold: input.task === 'BINARY_CLASSIFICATION' ? (input.decisionThreshold ?? 0.5) : null,
      features,
      retentionDays: null,
      createdAt: now,
    });
    if (!model) throw conflict(`a model named "${input.name}" already exists`, 'input.name');
    await writeAudit(deps, now, actor, 'createModel', input.name, input);
    return model;
  });
}

/**
 * Updates description, decision threshold and retention. A new decision threshold changes
 * every stored confusion count: the statistics are rebuilt in the same transaction.
 */
export async function updateModel(deps: Deps, actor: Actor, name: string, input: UpdateModelArgs): Promise<ModelRecord> {
  const { store } = deps;
  const now = deps.clock.now();
  return store.transaction(async () => {
    const cur = await store.models.byName(name);
    if (!cur) throw notFound(`model "${name}"`);
    const patch: ModelPatch = { updatedAt: now };
    if (input.description !== undefined) patch.description = input.description;
    if (input.decisionThreshold !== undefined && input.decisionThreshold !== null) {
      if (cur.task !== 'BINARY_CLASSIFICATION') throw badInput('input.decisionThreshold', 'applies to BINARY_CLASSIFICATION only');
      checkThreshold(input.decisionThreshold, 'input.decisionThreshold');
      patch.decisionThreshold = input.decisionThreshold;
    }
    if (input.retentionDays !== undefined && input.retentionDays !== null) {
      patch.retentionDays = checkRetentionDays(input.retentionDays, 'input.retentionDays');
    }
    const updated = (await store.models.update(cur.id, patch))!;
    await writeAudit(deps, now, actor, 'updateModel', name, input);
    if (patch.decisionThreshold !== undefined && patch.decisionThreshold !== cur.decisionThreshold) await store.data.rebuildStats(updated);
    return updated;
  });
}

/** Deletes a model and, by cascade, everything of it. NOT_FOUND when absent. */
export async function deleteModel(deps: Deps, actor: Actor, name: string): Promise<boolean> {
  const { store } = deps;
  const now = deps.clock.now();
  return store.transaction(async () => {
    const cur = await store.models.byName(name);
    // false: deleted by someone else since the lookup; no entry may claim this deletion
    if (!cur || !(await store.models.remove(cur.id))) throw notFound(`model "${name}"`);
    await writeAudit(deps, now, actor, 'deleteModel', name);
    return true;
  });
}

/** All models, by name. */
export async function listModels(deps: Deps): Promise<ModelRecord[]> {
  return deps.store.models.list();
}

/** The model of that name, or null. */
export async function findModel(deps: Deps, name: string): Promise<ModelRecord | null> {
  return deps.store.models.byName(name);
}

/** The model with that id, or null. */
export async function findModelById(deps: Deps, id: number): Promise<ModelRecord | null> {
  return deps.store.models.byId(id);
}

/** The model of that name; NOT_FOUND when absent (for mutations), suggesting the closest names. */
export async function requireModel(deps: Deps, name: string): Promise<ModelRecord> {
  const m = await findModel(deps, name);
  if (!m) throw await modelNotFound(deps, name);
  return m;
}

/** NOT_FOUND for a model name, with "did you mean" when a model's name is close to it. */
export async function modelNotFound(deps: Deps, name: string): Promise<AppError> {
  const shown = name.length <= 64 ? `"${name}"` : preview(name);
  // a name longer than any valid one is not a typo of one
  const near = name.length <= 64 ? closestNames(name, (await listModels(deps)).map((m) => m.name)) : [];
  const hint = near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
  return new AppError('NOT_FOUND', `model ${shown} not found${hint}`);
}
