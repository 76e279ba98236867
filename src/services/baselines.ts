// A model's baseline: replaced as a whole, its drift profile computed once, and every
// statistic that depends on it rebuilt, all in one transaction (the store's
// `data.replaceBaseline`, with the audit entry built here).
import { badInput } from '../errors.js';
import type { ModelRecord } from '../domain/model.js';
import { checkBaselineRow, type BaselineRowIn, type IngestError } from '../domain/ingest/validate.js';
import type { BaselineInfo } from '../store/ports/data.js';
import { auditEntry } from './audit.js';
import { requireModel } from './models.js';
import type { IngestResult, LineConsumer } from './ingest-run.js';
import type { Actor, Deps } from './deps.js';

export type { BaselineInfo } from '../store/ports/data.js';

type Via = 'graphql' | 'ndjson' | 'cli' | 'window';

/** The model's baseline summary, or null when it has none. */
export async function getBaseline(deps: Deps, modelId: number): Promise<BaselineInfo | null> {
  return deps.store.data.baseline(modelId);
}

/**
 * Replaces the model's baseline with `rows` in one transaction: rows, profile, every
 * dependent statistic and the audit entry commit together or not at all.
 */
export function replaceBaseline(
  deps: Deps,
  actor: Actor,
  model: ModelRecord,
  rows: BaselineRowIn[],
  action: string,
  details: Record<string, unknown>,
): Promise<BaselineInfo> {
  const now = deps.clock.now();
  return deps.store.data.replaceBaseline(model, rows, auditEntry(now, actor, action, model.name, { ...details, rows: rows.length }));
}

/** Baseline rows given as a list (GraphQL): all must be valid, else BAD_USER_INPUT names `rows[i].field`. */
export function checkBaselineRows(model: ModelRecord, input: readonly unknown[]): BaselineRowIn[] {
  if (input.length === 0) throw badInput('rows', 'a baseline needs at least one row');
  const rows: BaselineRowIn[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = checkBaselineRow(model, input[i], i);
    if (!c.ok) throw badInput(`rows[${i}].${c.field}`, c.reason);
    rows.push(c.row);
  }
  return rows;
}

/** GraphQL door: every row must be valid (BAD_USER_INPUT names `rows[i].field`), then replaces. */
export async function setBaseline(deps: Deps, actor: Actor, modelName: string, input: unknown[]): Promise<BaselineInfo> {
  const model = await requireModel(deps, modelName);
  return replaceBaseline(deps, actor, model, checkBaselineRows(model, input), 'setBaseline', { via: 'graphql' });
}

/** Replaces the baseline with a copy of the model's events in [from, to). */
export async function setBaselineFromWindow(deps: Deps, actor: Actor, modelName: string, from: number, to: number): Promise<BaselineInfo> {
  const model = await requireModel(deps, modelName);
  if (!(from < to)) throw badInput('to', 'must be later than from');
  const rows = await deps.store.data.eventsAsBaselineRows(model.id, from, to);
  if (rows.length === 0) {
    const purged = await deps.store.data.purgedBefore(model.id);
    const why = purged !== null && from < purged ? ` (its events before ${new Date(purged).toISOString()} were deleted by retention)` : '';
    throw badInput('from', `model "${model.name}" has no events in [${new Date(from).toISOString()}, ${new Date(to).toISOString()})${why}`);
  }
  return replaceBaseline(deps, actor, model, rows, 'setBaselineFromWindow', {
    via: 'window',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
}

/** Replaces the baseline a collector gathered: the model's, or one version's (`?version=`, `--version`). */
export type BaselineTarget = (rows: BaselineRowIn[], details: Record<string, unknown>) => Promise<unknown>;

/**
 * NDJSON and CLI door: collects the valid rows of a body (the profile needs them all),
 * then replaces the baseline once at the end (the model's, or `target`'s). Rejected lines
 * are left out and listed; a body with no valid row leaves the current baseline as it is.
 */
export class BaselineCollector implements LineConsumer {
  private readonly rows: BaselineRowIn[] = [];
  private readonly errors: IngestError[] = [];
  private rejected = 0;

  constructor(
    private readonly deps: Deps,
    private readonly actor: Actor,
    private readonly model: ModelRecord,
    private readonly via: Via,
    private readonly maxErrors = Number.POSITIVE_INFINITY,
    private readonly target?: BaselineTarget,
  ) {}

  add(index: number, input: unknown, featuresText: string | null = null): void {
    const c = checkBaselineRow(this.model, input, index, featuresText);
    if (c.ok) this.rows.push(c.row);
    else this.reject(index, c.error.message);
  }

  reject(index: number, message: string): void {
    this.rejected++;
    if (this.errors.length < this.maxErrors) this.errors.push({ index, eventId: null, message });
  }

  finish(): IngestResult | Promise<IngestResult> {
    const result: IngestResult = { accepted: this.rows.length, duplicates: 0, rejected: this.rejected, errors: this.errors };
    if (this.rows.length === 0) return result;
    const details = { via: this.via, rejected: this.rejected };
    const replaced = this.target ? this.target(this.rows, details) : replaceBaseline(this.deps, this.actor, this.model, this.rows, 'setBaseline', details);
    return replaced.then(() => result);
  }

  /** A baseline is replaced whole at the end: nothing of a cut-off body is kept. */
  settled(): { lines: number; accepted: number; duplicates: number } {
    return { lines: 0, accepted: 0, duplicates: 0 };
  }

  abort(): IngestResult {
    return { accepted: 0, duplicates: 0, rejected: this.rejected, errors: this.errors };
  }
}

