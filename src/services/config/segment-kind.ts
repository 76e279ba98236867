// Segments in a configuration, known by (model, name), checked by the very code
// createSegment runs. A changed definition replaces the segment (the API has no update):
// deleted and created again under its name in the apply's transaction, so the monitors
// narrowed to it keep narrowing to it, and its statistics are rebuilt from the stored
// events (data.syncSlices). --prune deletes the segments of the file's models that it
// does not name, after the monitors it prunes (deleteSegment refuses while one uses it).
import type { ModelRecord } from '../../domain/model.js';
import { checkSegment, type SegmentCondition, type SegmentDef } from '../../domain/segments/segment.js';
import { writeAudit } from '../audit.js';
import { createSegment, deleteSegment } from '../segments.js';
import { checkUnique, modelOfItem, type ConfigKind, type PlannedChange, type WriteContext } from './kind.js';

const OPS = [
  ['gte', '>='],
  ['gt', '>'],
  ['lte', '<='],
  ['lt', '<'],
] as const;

/** A condition as a plan shows it: `income >= 100000`, `region in [EU, UK]`, `x is missing`. */
function conditionText(c: SegmentCondition): string {
  const parts: string[] = [];
  if (c.in !== null) parts.push(`in [${c.in.join(', ')}]`);
  for (const [k, op] of OPS) if (c[k] !== null) parts.push(`${op} ${c[k]}`);
  if (c.isMissing !== null) parts.push(c.isMissing ? 'is missing' : 'is present');
  return `${c.feature} ${parts.join(' and ')}`;
}

const definition = (cs: SegmentCondition[]) => cs.map(conditionText).join(' and ');

/** Conditions compared by value, whatever order a store returns their keys in. */
const canonical = (cs: SegmentCondition[]) => JSON.stringify(cs.map((c) => [c.feature, c.in, c.gte, c.gt, c.lte, c.lt, c.isMissing]));

/** A condition as the file writes it: the operators it has. */
function conditionInFile(c: SegmentCondition): Record<string, unknown> {
  const out: Record<string, unknown> = { feature: c.feature };
  if (c.in !== null) out.in = c.in;
  for (const [k] of OPS) if (c[k] !== null) out[k] = c[k];
  if (c.isMissing !== null) out.isMissing = c.isMissing;
  return out;
}

/** Redefines a segment in place of the old one: the same name, new conditions, statistics rebuilt. */
async function redefine(at: WriteContext, modelName: string, seg: SegmentDef): Promise<void> {
  const { store } = at.deps;
  const model = (await store.models.byName(modelName))!; // locks the model, as createSegment does
  const old = (await store.segments.byName(model.id, seg.name))!;
  await store.segments.delete(old.id); // its slices and their statistics go by cascade
  await store.segments.create({ modelId: model.id, name: seg.name, conditions: seg.conditions, createdAt: at.now });
  await writeAudit(at.deps, at.now, at.actor, 'deleteSegment', model.name, { name: seg.name, replaced: true });
  await writeAudit(at.deps, at.now, at.actor, 'createSegment', model.name, { name: seg.name, conditions: seg.conditions });
  await store.data.syncSlices(model);
}

export const segmentKind: ConfigKind = {
  key: 'segments',
  kind: 'segment',
  async plan(state) {
    const { deps, issues } = state;
    const items = state.file.segments;
    const dupes = checkUnique(items, 'segments', (v) => `${String(v.model)}/${String(v.name)}`, issues, 'segment');
    const existing = new Map<string, Map<string, SegmentCondition[]>>();
    const storedOf = async (model: ModelRecord) => {
      let m = existing.get(model.name);
      if (!m) existing.set(model.name, (m = new Map(model.id ? (await deps.store.segments.list(model.id)).map((s) => [s.name, s.conditions]) : [])));
      return m;
    };
    const named = new Set<string>();
    const changes: PlannedChange[] = [];
    for (const [i, item] of items.entries()) {
      const path = `segments[${i}]`;
      if (dupes.has(i) || issues.has(path)) continue;
      const model = modelOfItem(state, item, path);
      if (!model) continue;
      // named even when refused below: a monitor narrowed to it is not refused a second time
      if (typeof item.name === 'string') named.add(`${model.name}/${item.name}`);
      const checked = checkSegment(model.features, { name: item.name, conditions: item.conditions }, path);
      if (!checked.ok) {
        issues.add(checked.field, checked.message);
        continue;
      }
      const seg = checked.segment;
      const key = `${model.name}/${seg.name}`;
      const before = (await storedOf(model)).get(seg.name);
      if (!before) {
        const input = { model: model.name, name: seg.name, conditions: seg.conditions };
        changes.push({ action: 'CREATE', kind: 'segment', name: key, details: [], run: async (at) => void (await createSegment(at.deps, at.actor, input)) });
        continue;
      }
      if (canonical(before) === canonical(seg.conditions)) continue;
      changes.push({
        action: 'UPDATE',
        kind: 'segment',
        name: key,
        details: [`conditions: ${definition(before)} -> ${definition(seg.conditions)}`, 'its statistics are rebuilt from the stored events'],
        run: (at) => redefine(at, model.name, seg),
      });
    }
    // what monitors may name once applied: every model in scope, pruned segments left out
    for (const name of state.scope) {
      const model = state.models.get(name);
      if (!model || state.deletedModels.has(name)) continue;
      const will = new Set([...(await storedOf(model)).keys()].filter((s) => !state.prune || named.has(`${name}/${s}`)));
      for (const k of named) if (k.startsWith(`${name}/`)) will.add(k.slice(name.length + 1));
      state.segments.set(name, will);
      if (!state.prune) continue;
      for (const s of (await storedOf(model)).keys()) {
        const key = `${name}/${s}`;
        if (named.has(key)) continue;
        state.prunedSegments.add(key);
        changes.push({ action: 'DELETE', kind: 'segment', name: key, details: [], run: async (at) => void (await deleteSegment(at.deps, at.actor, name, s)) });
      }
    }
    return changes;
  },
  async export(only, out) {
    const list: Array<Record<string, unknown>> = [];
    for (const m of await out.deps.store.models.list()) {
      if (only && !only.has(m.name)) continue;
      for (const s of await out.deps.store.segments.list(m.id)) list.push({ model: m.name, name: s.name, conditions: s.conditions.map(conditionInFile) });
    }
    return list;
  },
};
