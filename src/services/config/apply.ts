// applyConfig: parse and check the whole file, work out every change, then make them all
// in one transaction, or none. Planning reads inside the same transaction, so the plan is
// exactly what gets applied. Applying the same file twice changes nothing the second time.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors.js';
import { ConfigIssues, sortIssues, type ConfigIssue } from '../../domain/config/issues.js';
import { CONFIG_KEYS, parseConfig } from '../../domain/config/parse.js';
import { writeAudit } from '../audit.js';
import type { Actor, Deps } from '../deps.js';
import { KINDS } from './kinds.js';
import type { ChangeAction, PlanState, PlannedChange } from './kind.js';

export const CONFIG_SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema', 'glassbox-config.schema.json');

let schema: object | null = null;
/** The committed JSON Schema of the file, read once. */
export function configSchema(): object {
  return (schema ??= JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as object);
}

export interface ConfigChange {
  action: ChangeAction;
  kind: string;
  name: string;
  details: string[];
}

export interface ApplyResult {
  dryRun: boolean;
  changes: ConfigChange[];
  summary: string;
}

/** A file that cannot be applied: every problem, each at its path. Nothing was changed. */
export class ConfigRejected extends AppError {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super('BAD_USER_INPUT', `the configuration has ${issues.length} error${issues.length === 1 ? '' : 's'}; nothing was changed`);
    this.issues = sortIssues(issues, CONFIG_KEYS);
  }
}

export interface ApplyOptions {
  dryRun?: boolean;
  prune?: boolean;
}

/** "2 to create, 1 to update, 0 to delete" */
export function summarize(changes: ReadonlyArray<{ action: ChangeAction }>): string {
  const n = (a: ChangeAction) => changes.filter((c) => c.action === a).length;
  return `${n('CREATE')} to create, ${n('UPDATE')} to update, ${n('DELETE')} to delete`;
}

/** The server never reads its own environment for a file: a reference left in is an error. */
const NOT_SUBSTITUTED = (name: string) =>
  `\${${name}} was not replaced: glassbox apply fills \${VAR} from its own environment (set ${name} there); the server never substitutes`;

/**
 * Applies `yaml` as `actor`: all of it in one transaction, or nothing (ConfigRejected
 * with every problem). A dry run checks and plans the same way and changes nothing.
 */
export async function applyConfig(deps: Deps, actor: Actor, yaml: string, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const issues = new ConfigIssues();
  const file = parseConfig(yaml, configSchema(), {}, issues, NOT_SUBSTITUTED);
  if (!file) throw new ConfigRejected(issues.list);
  const dryRun = opts.dryRun === true;
  const now = deps.clock.now();
  const { store } = deps;
  let monitorsChanged = false;
  let notes: string[] = [];
  const planned = await store.transaction(async () => {
    const scope = new Set<string>([...file.models, ...file.versions, ...file.segments, ...file.monitors].map((i) => String(i.model ?? i.name)));
    const state: PlanState = { deps, file, issues, prune: opts.prune === true, models: new Map(), deletedModels: new Set(), scope, channels: new Set(), versions: new Map(), segments: new Map(), prunedSegments: new Set(), notes: [], broken: { models: new Set(), channels: new Set() }, monitorsChanged: false };
    const byKind: PlannedChange[][] = [];
    for (const k of KINDS) byKind.push(await k.plan(state)); // each plans on what those before leave
    if (!issues.empty) throw new ConfigRejected(issues.list);
    // shown as Terraform shows a plan: by kind, then by name; and made in that order, so that
    // concurrent applies take their row locks (inserts included) in one order
    KINDS.forEach((k, i) => {
      if (!k.fileOrder) byKind[i]!.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    });
    const changes = byKind.flat();
    monitorsChanged = state.monitorsChanged;
    notes = state.notes;
    if (dryRun || changes.length === 0) return changes;
    const at = { deps, now, actor };
    const order: PlannedChange[] = [...byKind.flatMap((cs) => cs.filter((c) => c.action !== 'DELETE')), ...[...byKind].reverse().flatMap((cs) => cs.filter((c) => c.action === 'DELETE'))];
    for (const c of order) await c.run(at);
    await writeAudit(deps, now, actor, 'applyConfig', null, { summary: summarize(changes), prune: opts.prune === true, changes: changes.map((c) => `${c.action} ${c.kind} ${c.name}`) });
    return changes;
  });
  if (!dryRun && planned.length && monitorsChanged) deps.events?.monitorsChanged?.();
  return { dryRun, changes: planned.map(({ action, kind, name, details }) => ({ action, kind, name, details })), summary: [summarize(planned), ...notes].join('; ') };
}
