// Model versions (contract 10): created (and made current unless told otherwise), the
// current one switched, and a version's own baseline replaced. Each change is audited in
// its transaction, and the model's statistics slices follow it there (`data.syncSlices`).
import { badInput, conflict } from '../errors.js';
import { SLUG, SLUG_RULE } from '../domain/names.js';
import { preview, textProblem } from '../domain/input/text.js';
import { MAX_DESCRIPTION } from '../domain/input/limits.js';
import { closestNames } from '../domain/closest-names.js';
import type { ModelRecord } from '../domain/model.js';
import type { ModelVersionRecord } from '../domain/versions.js';
import type { BaselineRowIn } from '../domain/ingest/validate.js';
import type { BaselineInfo } from '../store/ports/data.js';
import { auditEntry, writeAudit } from './audit.js';
import { modelNotFound } from './models.js';
import { checkBaselineRows } from './baselines.js';
import { uniqueName } from './unique-names.js';
import type { Actor, Deps } from './deps.js';

export type { ModelVersionRecord };

export interface CreateModelVersionArgs {
  model: string;
  name: string;
  description?: string | null;
  makeCurrent?: boolean | null;
}

/** The model of that name, locked for the transaction it is read in (PostgreSQL: FOR UPDATE); NOT_FOUND when absent. */
async function lockedModel(deps: Deps, name: string): Promise<ModelRecord> {
  const m = await deps.store.models.byName(name);
  if (!m) throw await modelNotFound(deps, name);
  return m;
}

/** The model's version of that name; BAD_USER_INPUT at `field` naming the versions it has. */
export async function requireVersion(deps: Deps, model: ModelRecord, name: string, field: string): Promise<ModelVersionRecord> {
  const v = await deps.store.versions.byName(model.id, name);
  if (v) return v;
  const names = (await deps.store.versions.list(model.id)).map((x) => x.name);
  const near = closestNames(name, names);
  const hint = names.length === 0 ? 'it has none yet (createModelVersion)' : near.length ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : `versions: ${names.slice(-10).join(', ')}`;
  throw badInput(field, `model ${model.name} has no version named ${preview(name)}; ${hint}`);
}

/** A version's name and description checked (BAD_USER_INPUT at `prefix.name`...): the description, null when none. */
export function checkVersionInput(input: Pick<CreateModelVersionArgs, 'name' | 'description'>, prefix = 'input'): string | null {
  if (typeof input.name !== 'string' || !SLUG.test(input.name)) {
    throw badInput(`${prefix}.name`, `${preview(String(input.name))} is not a valid version name: ${SLUG_RULE}`);
  }
  const description = input.description ?? null;
  const problem = description === null ? null : textProblem(description, MAX_DESCRIPTION);
  if (problem) throw badInput(`${prefix}.description`, problem);
  return description;
}

/** Creates a version (the current one unless makeCurrent is false); CONFLICT when the name is taken. */
export async function createModelVersion(deps: Deps, actor: Actor, input: CreateModelVersionArgs): Promise<ModelVersionRecord> {
  const description = checkVersionInput(input);
  const makeCurrent = input.makeCurrent ?? true;
  const now = deps.clock.now();
  const { store } = deps;
  return store.transaction(async () => {
    const model = await lockedModel(deps, input.model);
    const taken = `model ${model.name} already has a version named "${input.name}"`;
    const created = await uniqueName(() => store.versions.create({ modelId: model.id, name: input.name, description, createdAt: now }), taken, 'input.name');
    if (!created) throw conflict(taken, 'input.name');
    if (makeCurrent) await store.versions.setCurrent(model.id, created.id);
    await writeAudit(deps, now, actor, 'createModelVersion', model.name, { ...input, makeCurrent });
    await store.data.syncSlices({ ...model, currentVersionId: makeCurrent ? created.id : (model.currentVersionId ?? null) });
    return created;
  });
}

/** Makes `version` the one events without modelVersion are attributed to; the model as it is then. */
export async function setCurrentVersion(deps: Deps, actor: Actor, modelName: string, version: string): Promise<ModelRecord> {
  const now = deps.clock.now();
  const { store } = deps;
  return store.transaction(async () => {
    const model = await lockedModel(deps, modelName);
    const v = await requireVersion(deps, model, version, 'version');
    await store.versions.setCurrent(model.id, v.id);
    await writeAudit(deps, now, actor, 'setCurrentVersion', model.name, { version });
    return { ...model, currentVersionId: v.id };
  });
}

/** Replaces a version's own baseline with `rows` (already checked): rows, profile, slices and audit in one transaction. */
export async function replaceVersionBaseline(
  deps: Deps,
  actor: Actor,
  model: ModelRecord,
  version: ModelVersionRecord,
  rows: BaselineRowIn[],
  details: Record<string, unknown>,
): Promise<BaselineInfo> {
  const now = deps.clock.now();
  const audit = auditEntry(now, actor, 'setVersionBaseline', model.name, { version: version.name, ...details, rows: rows.length });
  return deps.store.data.replaceVersionBaseline(model, version.id, rows, audit);
}

/** GraphQL door: every row must be valid (BAD_USER_INPUT names `rows[i].field`), then replaces the version's baseline. */
export async function setVersionBaseline(deps: Deps, actor: Actor, modelName: string, version: string, input: unknown[]): Promise<BaselineInfo> {
  const model = await deps.store.models.byName(modelName);
  if (!model) throw await modelNotFound(deps, modelName);
  const v = await requireVersion(deps, model, version, 'version');
  const rows = checkBaselineRows(model, input);
  return replaceVersionBaseline(deps, actor, model, v, rows, { via: 'graphql' });
}

/** The model's versions, oldest first. */
export function listVersions(deps: Deps, modelId: number): Promise<ModelVersionRecord[]> {
  return deps.store.versions.list(modelId);
}

/** The name of the model's current version, or null. */
export async function currentVersionName(deps: Deps, model: ModelRecord): Promise<string | null> {
  const id = model.currentVersionId ?? null;
  if (id === null) return null;
  return (await deps.store.versions.byId(id))?.name ?? null;
}

/** A version's own baseline summary, or null while it uses the model's. */
export function versionBaseline(v: ModelVersionRecord): BaselineInfo | null {
  return v.baselineRowCount === null || v.baselineUpdatedAt === null ? null : { rowCount: v.baselineRowCount, updatedAt: v.baselineUpdatedAt };
}
