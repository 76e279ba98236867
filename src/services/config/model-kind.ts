// Models in a configuration: created, their description, decision threshold and retention updated,
// deleted with `delete: true`. Their task, positive class and features never change:
// the events and statistics already stored would mean something else.
import type { FeatureDef, ModelRecord, TaskType } from '../../domain/model.js';
import { conflict } from '../../errors.js';
import { writeAudit } from '../audit.js';
import { checkRetentionDays, validateModelInput, type CreateModelArgs } from '../models.js';
import { listMonitors } from '../monitors.js';
import { checkUnique, differences, type ConfigKind, type PlannedChange } from './kind.js';
import { issueFrom } from './issue-from.js';

const sameFeature = (a: FeatureDef, b: FeatureDef) => JSON.stringify([a.type, a.protected, a.min, a.max]) === JSON.stringify([b.type, b.protected, b.min, b.max]);

/** How the declared features differ from the stored ones, or [] when they do not. */
function featureChanges(before: FeatureDef[], after: FeatureDef[]): string[] {
  const old = new Map(before.map((f) => [f.name, f]));
  const now = new Map(after.map((f) => [f.name, f]));
  const out: string[] = [];
  const added = after.filter((f) => !old.has(f.name)).map((f) => f.name);
  const removed = before.filter((f) => !now.has(f.name)).map((f) => f.name);
  const changed = after.filter((f) => old.has(f.name) && !sameFeature(old.get(f.name)!, f)).map((f) => f.name);
  if (added.length) out.push(`features added: ${added.join(', ')}`);
  if (removed.length) out.push(`features removed: ${removed.join(', ')}`);
  if (changed.length) out.push(`features changed: ${changed.join(', ')}`);
  return out;
}

export const modelKind: ConfigKind = {
  key: 'models',
  kind: 'model',
  async plan(state) {
    const { deps, issues } = state;
    const items = state.file.models;
    const dupes = checkUnique(items, 'models', (m) => String(m.name), issues, 'model');
    // the file's models locked first, in name order (as every apply does: no deadlock), then
    // the rest read: what the plan says of the file's models is what gets applied
    // a name holding NUL names no stored model (validation reports it): PostgreSQL refuses it even as a parameter
    const named = [...new Set(items.map((m) => String(m.name)))].filter((n) => !n.includes('\0'));
    const locked = new Map((await deps.store.models.byNames(named)).map((m) => [m.name, m]));
    const existing = new Map((await deps.store.models.list()).map((m) => [m.name, m]));
    for (const n of named) {
      // one created and committed since the lock: planned as new, its insert then conflicts
      const m = locked.get(n);
      if (m) existing.set(n, m);
      else existing.delete(n);
    }
    for (const [name, m] of existing) state.models.set(name, m);
    const changes: PlannedChange[] = [];
    for (const [i, item] of items.entries()) {
      if (dupes.has(i)) continue;
      const path = `models[${i}]`;
      const name = String(item.name);
      const cur = existing.get(name);
      if (issues.has(path)) {
        state.broken.models.add(name);
        continue;
      }
      if (item.delete === true) {
        state.deletedModels.add(name);
        state.models.delete(name);
        if (!cur) continue;
        const n = (await listMonitors(deps, { modelId: cur.id })).length;
        if (n > 0) state.monitorsChanged = true;
        changes.push({
          action: 'DELETE',
          kind: 'model',
          name,
          details: [`with its ${n} monitor${n === 1 ? '' : 's'}, events, baseline, statistics and alerts`],
          run: async (at) => {
            await at.deps.store.models.remove(cur.id);
            await writeAudit(at.deps, at.now, at.actor, 'deleteModel', name);
          },
        });
        continue;
      }
      let features: FeatureDef[];
      let retention: number | null | undefined;
      try {
        features = validateModelInput(item as unknown as CreateModelArgs, path);
        const r = item.retentionDays as number | null | undefined;
        retention = r === undefined || r === null ? r : checkRetentionDays(r, `${path}.retentionDays`);
      } catch (err) {
        issueFrom(err, issues, path);
        state.broken.models.add(name);
        continue;
      }
      const task = item.task as TaskType;
      // description, decisionThreshold and retentionDays left out: as they are (the defaults for a new model)
      const given = (k: string) => Object.prototype.hasOwnProperty.call(item, k);
      const threshold = (item.decisionThreshold as number | null | undefined) ?? (given('decisionThreshold') ? null : (cur?.decisionThreshold ?? null));
      const desired = {
        task,
        description: given('description') ? ((item.description as string | null) ?? null) : (cur?.description ?? null),
        positiveClass: (item.positiveClass as string | null | undefined) ?? null,
        decisionThreshold: task === 'BINARY_CLASSIFICATION' ? (threshold ?? 0.5) : null,
        // null: the server's GLASSBOX_RETENTION_DAYS
        retentionDays: retention === undefined ? (cur?.retentionDays ?? null) : retention,
        features,
      };
      if (!cur) {
        state.models.set(name, { id: 0, name, ...desired, createdAt: 0, updatedAt: 0 });
        changes.push({
          action: 'CREATE',
          kind: 'model',
          name,
          details: [],
          run: async (at) => {
            if (!(await at.deps.store.models.create({ name, ...desired, createdAt: at.now }))) throw conflict(`a model named "${name}" already exists`, path);
            await writeAudit(at.deps, at.now, at.actor, 'createModel', name, item);
          },
        });
        continue;
      }
      const refused = [
        ...(cur.task !== task ? [`task ${cur.task} -> ${task}`] : []),
        ...(cur.positiveClass !== desired.positiveClass ? [`positiveClass ${cur.positiveClass ?? '(none)'} -> ${desired.positiveClass ?? '(none)'}`] : []),
        ...featureChanges(cur.features, features),
      ];
      if (refused.length) {
        issues.add(
          path,
          `model ${name} cannot change its ${refused.join('; ')}: a model's task, positive class and features are fixed once it has data (register a new model, or delete this one with delete: true)`,
        );
        continue;
      }
      const details = differences(['description', 'decisionThreshold', 'retentionDays'], cur as unknown as Record<string, unknown>, desired);
      const next: ModelRecord = { ...cur, description: desired.description, decisionThreshold: desired.decisionThreshold, retentionDays: desired.retentionDays };
      state.models.set(name, next);
      if (!details.length) continue;
      changes.push({
        action: 'UPDATE',
        kind: 'model',
        name,
        details,
        run: async (at) => {
          const patch = { description: desired.description, decisionThreshold: desired.decisionThreshold, retentionDays: desired.retentionDays };
          const updated = (await at.deps.store.models.update(cur.id, { ...patch, updatedAt: at.now }))!;
          await writeAudit(at.deps, at.now, at.actor, 'updateModel', name, patch);
          if (cur.decisionThreshold !== desired.decisionThreshold) await at.deps.store.data.rebuildStats(updated); // in this transaction, as updateModel does
        },
      });
    }
    return changes;
  },
  async export(only, out) {
    return (await out.deps.store.models.list())
      .filter((m) => !only || only.has(m.name))
      .map((m) => ({
        name: m.name,
        task: m.task,
        ...(m.description !== null ? { description: m.description } : {}),
        ...(m.positiveClass !== null ? { positiveClass: m.positiveClass } : {}),
        ...(m.decisionThreshold !== null ? { decisionThreshold: m.decisionThreshold } : {}),
        ...(m.retentionDays !== null && m.retentionDays !== undefined ? { retentionDays: m.retentionDays } : {}),
        features: m.features.map((f) => ({
          name: f.name,
          type: f.type,
          ...(f.protected ? { protected: true } : {}),
          ...(f.min !== null ? { min: f.min } : {}),
          ...(f.max !== null ? { max: f.max } : {}),
        })),
      }));
  },
};
