// Retention: deletes raw events (and their actuals) older than each model's retention,
// keeping every hour's statistics, so metrics over purged time still answer. The policy is
// here (which models, which cut, how long tombstones answer late actuals, the audit entry);
// how a purge deletes without stalling ingest is the store's (`store.data.purge`).
import { effectiveRetentionDays, retentionCut } from '../domain/retention.js';
import { DAY_MS } from '../domain/time.js';
import type { ModelRecord } from '../domain/model.js';
import { writeAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';

export interface RetentionResult {
  deletedEvents: number;
  /** models that had events deleted */
  models: number;
}

export interface RetentionOptions {
  /** GLASSBOX_RETENTION_DAYS: the retention of models without their own */
  defaultDays: number;
  /** the run's time (the job's scheduled tick); default the clock's now */
  now?: number;
}

export interface ModelStorage {
  rawEvents: number;
  oldestRawEvent: number | null;
  newestEvent: number | null;
  retentionDays: number;
  purgedBefore: number | null;
}

/** When retention last ran (its audit entry), or null. */
export function lastRetentionRun(deps: Deps): Promise<number | null> {
  return deps.store.audit.lastAt('applyRetention');
}

/** What the model keeps, and for how long. */
export async function modelStorage(deps: Deps, model: ModelRecord, defaultDays: number): Promise<ModelStorage> {
  const span = await deps.store.data.storedSpan(model.id);
  if (!span) return { rawEvents: 0, oldestRawEvent: null, newestEvent: null, retentionDays: effectiveRetentionDays(model.retentionDays ?? null, defaultDays), purgedBefore: null };
  const { rawEvents, oldestRawEvent, newestEvent, purgedBefore } = span;
  return { rawEvents, oldestRawEvent, newestEvent, retentionDays: effectiveRetentionDays(span.ownRetentionDays, defaultDays), purgedBefore };
}

/**
 * Applies every model's retention at `now` (the daily job and the applyRetention
 * mutation) and writes one audit entry for the run (for a scheduled run, only when it
 * deleted something). Idempotent: running it again at the
 * same `now` deletes nothing more.
 */
export async function applyRetention(deps: Deps, actor: Actor | string, opts: RetentionOptions): Promise<RetentionResult> {
  const now = opts.now ?? deps.clock.now();
  const perModel: Array<{ model: string; before: string; deleted: number }> = [];
  let deletedEvents = 0;
  const models = (await deps.store.models.list()).sort((a, b) => a.id - b.id);
  for (const listed of models) {
    const days = effectiveRetentionDays(listed.retentionDays ?? null, opts.defaultDays);
    const cut = retentionCut(now, days);
    if (cut === null) continue;
    // read again: it may have changed or gone while earlier models were purged
    const model = await deps.store.models.byId(listed.id);
    if (!model) continue;
    // a tombstone answers late actuals for one retention period after its purge
    const deleted = await deps.store.data.purge(model, cut, now, now + days * DAY_MS);
    deletedEvents += deleted;
    if (deleted > 0) perModel.push({ model: listed.name, before: new Date(cut).toISOString(), deleted });
  }
  await deps.store.data.expireTombstones(now);
  // a scheduled run that deleted nothing leaves no entry (it would be one a day, saying nothing)
  if (deletedEvents > 0 || typeof actor !== 'string') {
    await writeAudit(deps, now, actor, 'applyRetention', null, { deletedEvents, models: perModel });
  }
  if (deletedEvents > 0) deps.log.info({ deletedEvents, models: perModel.length }, 'retention applied');
  return { deletedEvents, models: perModel.length };
}
