// The statistics kept at ingest, on SQLite (ARCHITECTURE rules 4 and 8). Every function is synchronous
// and runs inside the caller's write transaction, so raw events and their statistics
// commit or roll back together. Ingest only appends: a transaction merges its events per
// UTC hour in memory and appends one small partial row per hour it touched, whatever the
// order of the events; compaction (stats-compact.ts) folds partials into hours later.
// A streamed call's predictions go through its head instead (stats-head.ts).
import type { ModelRecord } from '../../../domain/model.js';
import { buildBaselineProfile, type BaselineProfile, type BaselineRow } from '../../../domain/metrics/profile.js';
import { accumulate, applyLabel, emptyStats, type StatsEvent, type WindowStats } from '../../../domain/metrics/window-stats.js';
import type Database from 'better-sqlite3';
import { presetPartialValues, trimPartialValues } from './stats-hints.js';
import { purgedBefore } from './retention.js';
import { dropUncovered } from './stats-head.js';
import { appendPartial, DAY_MS, deleteStatsFrom, eventSpan, forgetModel, HOUR_MS, readEvents, statsContext, writeRow } from './stats-store.js';
import { groupByHour } from '../../../domain/time.js';

export type { BaselineProfile, BaselineRow } from '../../../domain/metrics/profile.js';

/** An event as stored, with its joined actual (if any). */
export interface StoredEvent extends StatsEvent {
  id: number;
  /** the prediction's timestamp, epoch ms */
  ts: number;
}

const hourOf = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;

/** Applies `change` per item to the statistics of its hour, then appends one partial per hour. */
function appendByHour<T>(sqlite: Database.Database, model: ModelRecord, items: readonly T[], ts: (t: T) => number, change: (s: WindowStats, t: T) => void, trim = false): void {
  const ctx = statsContext(sqlite, model);
  const groups = groupByHour(items, ts);
  // an hour at a time: its statistics stay in the CPU's cache (see stats-head.ts byHour)
  const hours = new Map<number, WindowStats>();
  for (const [h, group] of groups) {
    const s = emptyStats(ctx);
    hours.set(h, s);
    if (trim) presetPartialValues(sqlite, `${model.id}:${model.createdAt}`, h, s);
    for (const it of group) change(s, it);
  }
  for (const [h, s] of hours) {
    if (trim) trimPartialValues(sqlite, `${model.id}:${model.createdAt}`, h, s);
    appendPartial(sqlite, model.id, h, s);
  }
}

/** Adds newly stored events (with their joined actuals) to their hours' statistics. */
export function applyEventsToStats(sqlite: Database.Database, model: ModelRecord, events: StoredEvent[]): void {
  const ctx = statsContext(sqlite, model);
  appendByHour(sqlite, model, events, (e) => e.ts, (s, e) => accumulate(s, e, ctx), true);
}

/** Moves the statistics from each event's state before to after (an actual arrived or was replaced). */
export function applyActualsToStats(sqlite: Database.Database, model: ModelRecord, changes: Array<{ before: StoredEvent; after: StoredEvent }>): void {
  const ctx = statsContext(sqlite, model);
  appendByHour(sqlite, model, changes, (c) => c.before.ts, (s, { before, after }) => {
    applyLabel(s, before, ctx, -1);
    applyLabel(s, after, ctx, 1);
  });
}

/**
 * Recomputes every hour of the model from its raw events (after a baseline or threshold
 * change); their partials and the roll-ups over them go, compaction builds those again.
 * Hours purged by retention keep their rows as they are: their events are gone (reading
 * them under the new baseline is refused, see retention.ts).
 */
export function rebuildStats(sqlite: Database.Database, model: ModelRecord): void {
  const kept = purgedBefore(sqlite, model.id) ?? Number.MIN_SAFE_INTEGER;
  deleteStatsFrom(sqlite, model.id, kept);
  // the batches ingest calls hold in memory are rebuilt here too (those calls see it and drop their heads)
  dropUncovered(sqlite, model.id);
  const ctx = statsContext(sqlite, model);
  const span = eventSpan(sqlite, model.id);
  if (!span) return;
  // a day at a time: the connection cannot write while a read is still iterating
  for (let day = Math.floor(Math.max(span[0], kept) / DAY_MS) * DAY_MS; day <= span[1]; day += DAY_MS) {
    const hours = new Map<number, WindowStats>();
    // a purge cut short may have left events before `kept`: their hours are final
    for (const e of readEvents(sqlite, model.id, Math.max(day, kept), day + DAY_MS)) {
      const h = hourOf(e.ts);
      let s = hours.get(h);
      if (!s) hours.set(h, (s = emptyStats(ctx)));
      accumulate(s, e, ctx);
    }
    for (const [h, s] of hours) writeRow(sqlite, model.id, 0, h, s);
  }
}

/**
 * Builds the profile of a new baseline (pure; baselines.ts stores it in
 * `baselines.profile` and then calls `rebuildStats`). Forgets the model's cached statistics.
 */
export function setBaselineProfile(sqlite: Database.Database, model: ModelRecord, rows: BaselineRow[]): BaselineProfile {
  forgetModel(sqlite, model.id);
  return buildBaselineProfile(model, rows);
}
