// One kind of configured thing (model, version, segment, channel, monitor):
// each kind checks its items, works out its changes and exports itself, in its own
// module. apply.ts runs the kinds in KINDS order, creates and updates first, then
// deletes in reverse order (a monitor goes before its channel, a model last).
// The apply runs in one `deps.store.transaction`: every kind reads and writes through
// `deps.store`, so all of it joins that transaction.
import type { ModelRecord } from '../../domain/model.js';
import type { ConfigFile, ConfigKey } from '../../domain/config/parse.js';
import type { ConfigIssues } from '../../domain/config/issues.js';
import type { Actor, Deps } from '../deps.js';

export type ChangeAction = 'CREATE' | 'UPDATE' | 'DELETE';

/** One planned change, with what carries it out inside the apply transaction. */
export interface PlannedChange {
  action: ChangeAction;
  kind: string;
  name: string;
  details: string[];
  run(at: WriteContext): void | Promise<void>;
}

export interface WriteContext {
  deps: Deps;
  now: number;
  actor: Actor;
}

/** What the file will leave on the server, as the kinds before work it out for the kinds after. */
export interface PlanState {
  deps: Deps;
  file: ConfigFile;
  issues: ConfigIssues;
  prune: boolean;
  /** the models as they will be, by name (existing ones the file does not name included) */
  models: Map<string, ModelRecord>;
  /** models the file deletes */
  deletedModels: Set<string>;
  /** models the file names anywhere: the scope of prune */
  scope: Set<string>;
  /** channel names that will exist */
  channels: Set<string>;
  /** version names each model of the scope will have (versions are never deleted) */
  versions: Map<string, Set<string>>;
  /** segment names each model of the scope will have (pruned ones left out) */
  segments: Map<string, Set<string>>;
  /** MODEL/NAME of the segments --prune deletes */
  prunedSegments: Set<string>;
  /** what the summary adds after its counts (e.g. that versions are never pruned) */
  notes: string[];
  /** names of items with problems: what refers to them is not checked again (one reason is enough) */
  broken: { models: Set<string>; channels: Set<string> };
  /** a monitor changed: the scheduler must follow */
  monitorsChanged: boolean;
}

export interface ConfigKind {
  /** the file's top-level list */
  key: ConfigKey;
  /** the change's kind, as ConfigChange.kind says it */
  kind: string;
  /** changes made (and shown) in the file's order, not by name: a model's versions are listed oldest first */
  fileOrder?: boolean;
  /** checks the items (problems into state.issues) and returns the changes they make */
  plan(state: PlanState): PlannedChange[] | Promise<PlannedChange[]>;
  /** the kind's items as the file writes them, for these models (all when null) */
  export(models: Set<string> | null, out: ExportState): Array<Record<string, unknown>> | Promise<Array<Record<string, unknown>>>;
}

export interface ExportState {
  deps: Deps;
  /** channel names the exported monitors use */
  usedChannels: Set<string>;
}

/** A value as a plan shows it. */
export function shown(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}

/** `field: old -> new` for each field that differs. */
export function differences(fields: readonly string[], before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const a = before[f] ?? null;
    const b = after[f] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${f}: ${shown(a)} -> ${shown(b)}`);
  }
  return out;
}

/** Names given twice in one list: an issue at the second, naming the first. */
export function checkUnique(items: Array<Record<string, unknown>>, key: string, keyOf: (item: Record<string, unknown>) => string, issues: ConfigIssues, what: string): Set<number> {
  const first = new Map<string, number>();
  const dupes = new Set<number>();
  items.forEach((item, i) => {
    const k = keyOf(item);
    const j = first.get(k);
    if (j === undefined) first.set(k, i);
    else {
      issues.add(`${key}[${i}].name`, `${what} "${k}" is already defined at ${key}[${j}]`);
      dupes.add(i);
    }
  });
  return dupes;
}

/**
 * The model an item of versions, segments or monitors names, as the file leaves it; null
 * (with an issue at `path.model`, unless the model's own item is broken) when there is none.
 */
export function modelOfItem(state: PlanState, item: Record<string, unknown>, path: string): ModelRecord | null {
  const name = String(item.model);
  if (state.broken.models.has(name)) return null;
  if (state.deletedModels.has(name)) {
    state.issues.add(`${path}.model`, `model ${name} is deleted by this file (delete: true)`);
    return null;
  }
  const model = state.models.get(name);
  if (!model) state.issues.add(`${path}.model`, `no model named "${name}", neither in this file nor on the server`);
  return model ?? null;
}
