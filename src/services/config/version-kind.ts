// Model versions in a configuration, known by (model, name) and created through
// createModelVersion (same checks, audit and statistics slices). The API updates nothing
// of a version but which one is current, and deletes none: so a file may move
// `makeCurrent: true` from one version to another (setCurrentVersion), a changed
// description is refused, and --prune never deletes a version (the summary says which stay).
// They are created in the file's order: a model lists its versions oldest first.
import type { ModelRecord } from '../../domain/model.js';
import { checkVersionInput, createModelVersion, setCurrentVersion } from '../versions.js';
import { checkUnique, modelOfItem, shown, type ConfigKind, type PlanState, type PlannedChange } from './kind.js';
import { issueFrom } from './issue-from.js';

interface Stored {
  names: string[];
  descriptions: Map<string, string | null>;
  current: string | null;
}

/** A model's versions on the server, oldest first, and its current one (none for a model this file creates). */
async function stored(state: PlanState, model: ModelRecord): Promise<Stored> {
  if (!model.id) return { names: [], descriptions: new Map(), current: null };
  const list = await state.deps.store.versions.list(model.id);
  const current = list.find((v) => v.id === model.currentVersionId)?.name ?? null;
  return { names: list.map((v) => v.name), descriptions: new Map(list.map((v) => [v.name, v.description])), current };
}

interface Item {
  path: string;
  name: string;
  description: string | null;
  given: boolean; // description given in the file
  makeCurrent: boolean | null; // null: left out
}

export const versionKind: ConfigKind = {
  key: 'versions',
  kind: 'version',
  fileOrder: true,
  async plan(state) {
    const { issues } = state;
    const items = state.file.versions;
    const dupes = checkUnique(items, 'versions', (v) => `${String(v.model)}/${String(v.name)}`, issues, 'version');
    const byModel = new Map<string, { model: ModelRecord; items: Item[] }>();
    // refused items' names still count as the model's: a monitor naming one is not refused a second time
    const refused = new Map<string, string[]>();
    for (const [i, item] of items.entries()) {
      const path = `versions[${i}]`;
      if (dupes.has(i) || issues.has(path)) continue;
      const model = modelOfItem(state, item, path);
      if (!model) continue;
      let description: string | null;
      try {
        description = checkVersionInput(item as { name: string; description?: string | null }, path);
      } catch (err) {
        issueFrom(err, issues, path);
        if (typeof item.name === 'string') refused.set(model.name, [...(refused.get(model.name) ?? []), item.name]);
        continue;
      }
      const group = byModel.get(model.name) ?? { model, items: [] };
      group.items.push({ path, name: String(item.name), description, given: Object.prototype.hasOwnProperty.call(item, 'description'), makeCurrent: (item.makeCurrent as boolean | null | undefined) ?? null });
      byModel.set(model.name, group);
    }
    // every model in scope: what monitors may name (versions the file leaves out stay)
    const changes: PlannedChange[] = [];
    const kept: string[] = [];
    for (const name of state.scope) {
      const model = state.models.get(name);
      if (!model || state.deletedModels.has(name)) continue;
      const cur = await stored(state, model);
      const group = byModel.get(name)?.items ?? [];
      state.versions.set(name, new Set([...cur.names, ...group.map((v) => v.name), ...(refused.get(name) ?? [])]));
      const named = new Set(group.map((v) => v.name));
      kept.push(...cur.names.filter((n) => !named.has(n)).map((n) => `${name}/${n}`));
      changes.push(...planModel(state, model, cur, group));
    }
    if (state.prune && kept.length) state.notes.push(`${kept.length} version${kept.length === 1 ? '' : 's'} not in the file kept (versions are never deleted): ${kept.join(', ')}`);
    return changes;
  },
  async export(only, out) {
    const list: Array<Record<string, unknown>> = [];
    for (const m of await out.deps.store.models.list()) {
      if (only && !only.has(m.name)) continue;
      for (const v of await out.deps.store.versions.list(m.id)) {
        list.push({
          model: m.name,
          name: v.name,
          ...(v.description !== null ? { description: v.description } : {}),
          // explicit both ways: left out, a new version would become the current one
          makeCurrent: v.id === m.currentVersionId,
        });
      }
    }
    return list;
  },
};

/**
 * One model's version changes. The current version after the apply: the one with
 * `makeCurrent: true`; else the last one created with makeCurrent left out (as
 * createModelVersion's default leaves it); else the current one stays.
 */
function planModel(state: PlanState, model: ModelRecord, cur: Stored, items: Item[]): PlannedChange[] {
  const { issues } = state;
  const explicit = items.filter((v) => v.makeCurrent === true);
  for (const v of explicit.slice(1)) issues.add(`${v.path}.makeCurrent`, `only one version of model ${model.name} can be current; ${explicit[0]!.path} is made current too`);
  const exists = new Set(cur.names);
  const created = items.filter((v) => !exists.has(v.name));
  const current = explicit[0]?.name ?? created.filter((v) => v.makeCurrent === null).at(-1)?.name ?? cur.current;
  const changes: PlannedChange[] = [];
  for (const v of items) {
    const key = `${model.name}/${v.name}`;
    const becomes = current === v.name && cur.current !== v.name ? [`current version: ${shown(cur.current)} -> ${shown(v.name)}`] : [];
    if (!exists.has(v.name)) {
      const input = { model: model.name, name: v.name, description: v.description, makeCurrent: current === v.name };
      changes.push({ action: 'CREATE', kind: 'version', name: key, details: becomes, run: async (at) => void (await createModelVersion(at.deps, at.actor, input)) });
      continue;
    }
    const was = cur.descriptions.get(v.name) ?? null;
    if (v.given && was !== v.description) {
      issues.add(`${v.path}.description`, `version ${key} has description ${shown(was)}; a version's description never changes (no mutation updates it)`);
    }
    if (v.makeCurrent === false && current === v.name) {
      issues.add(`${v.path}.makeCurrent`, `version ${key} is the model's current version; make another one current (makeCurrent: true) to replace it`);
    }
    if (becomes.length) {
      changes.push({ action: 'UPDATE', kind: 'version', name: key, details: becomes, run: async (at) => void (await setCurrentVersion(at.deps, at.actor, model.name, v.name)) });
    }
  }
  return changes;
}
