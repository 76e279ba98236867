// The statistics kept at ingest, on SQLite (ARCHITECTURE rules 4 and 8). Every function is synchronous
// and runs inside the caller's write transaction, so raw events and their statistics
// commit or roll back together. Ingest only appends: a transaction merges its events per
// UTC hour in memory and appends one small partial row per hour it touched, whatever the
// order of the events; compaction (stats-compact.ts) folds partials into hours later.
// A streamed call's predictions go through its head instead (stats-head.ts).
import type { ModelRecord } from '../../../domain/model.js';
import { buildBaselineProfile, type BaselineProfile, type BaselineRow } from '../../../domain/metrics/profile.js';
import { accumulate, accumulateRow, applyLabel, emptyStats, readRow, settleLog, valueRowsFor, type StatsEvent, type WindowStats } from '../../../domain/metrics/window-stats.js';
import { LOG_MAX_EVENTS, RowLog } from '../../../domain/metrics/value-log.js';
import type Database from 'better-sqlite3';
import { presetPartialValues, trimPartialValues } from './stats-hints.js';
import { purgedBefore } from './retention.js';
import { dropUncovered } from './stats-head.js';
import { appendPartial, DAY_MS, deleteStatsFrom, eventSpan, forgetModel, HOUR_MS, readEvents, writeRow } from './stats-store.js';
import { hintKey, itemsBySlice } from './slice-routing.js';
import { markAllReady } from './slice-backfill.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { groupByHour } from '../../../domain/time.js';

export type { BaselineProfile, BaselineRow } from '../../../domain/metrics/profile.js';

/** An event as stored, with its joined actual (if any). */
export interface StoredEvent extends StatsEvent {
  id: number;
  /** the prediction's timestamp, epoch ms */
  ts: number;
  /** its model version (model_versions.id), null or absent: none */
  versionId?: number | null;
}

const hourOf = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;

/** Applies `change` per item to the statistics of its hour in each of its slices, then appends one partial per slice and hour. */
function appendByHour<T>(
  sqlite: Database.Database,
  model: ModelRecord,
  items: readonly T[],
  event: (t: T) => StoredEvent,
  change: (s: WindowStats, t: T, ctx: StatsContext) => void,
): void {
  for (const { slice, ctx, items: mine } of itemsBySlice(sqlite, model, items, event)) {
    // an hour at a time: its statistics stay in the CPU's cache (see stats-head.ts byHour)
    for (const [h, group] of groupByHour(mine, (t) => event(t).ts)) {
      const s = emptyStats(ctx);
      for (const it of group) change(s, it, ctx);
      appendPartial(sqlite, model.id, slice, h, s);
    }
  }
}

/**
 * Adds newly stored events (with their joined actuals) to their hours' statistics, in
 * every slice they belong to: one partial per slice and hour. As in a call's head, each
 * event's numeric values are read once into a row its slices share, and an hour logs its
 * rows and settles them at once (value-log.ts): a call spread over a week gives each hour
 * a few events, which hash tables per column would make pay a cache miss a value.
 */
export function applyEventsToStats(sqlite: Database.Database, model: ModelRecord, events: StoredEvent[]): void {
  const slices = itemsBySlice(sqlite, model, events.map((_, i) => i), (i) => events[i]!);
  const rows = valueRowsFor(slices[0]!.ctx);
  for (const e of events) readRow(rows, e, slices[0]!.ctx);
  for (const { slice, ctx, items } of slices) {
    const key = hintKey(model, slice);
    for (const [h, group] of groupByHour(items, (i) => events[i]!.ts)) {
      const s = emptyStats(ctx);
      presetPartialValues(sqlite, key, h, s);
      if (group.length <= LOG_MAX_EVENTS) {
        const log = new RowLog();
        for (const i of group) accumulateRow(s, events[i]!, ctx, log, i);
        settleLog(s, ctx, rows, log);
      } else for (const i of group) accumulate(s, events[i]!, ctx);
      trimPartialValues(sqlite, key, h, s, ctx);
      appendPartial(sqlite, model.id, slice, h, s);
    }
  }
}

/** Moves the statistics from each event's state before to after (an actual arrived or was replaced). */
export function applyActualsToStats(sqlite: Database.Database, model: ModelRecord, changes: Array<{ before: StoredEvent; after: StoredEvent }>): void {
  appendByHour(sqlite, model, changes, (c) => c.before, (s, { before, after }, ctx) => {
    applyLabel(s, before, ctx, -1);
    applyLabel(s, after, ctx, 1);
  });
}

/**
 * Recomputes every hour of the model and of each of its slices from the raw events (after
 * a baseline or threshold change); their partials and the roll-ups over them go,
 * compaction builds those again. Hours purged by retention keep their rows as they are:
 * their events are gone (reading them under the new baseline is refused, see retention.ts).
 * With `readyAt`, every slice is complete from then on (a backfill in progress is over).
 */
export function rebuildStats(sqlite: Database.Database, model: ModelRecord, readyAt?: number): void {
  const kept = purgedBefore(sqlite, model.id) ?? Number.MIN_SAFE_INTEGER;
  deleteStatsFrom(sqlite, model.id, kept);
  // the batches ingest calls hold in memory are rebuilt here too (those calls see it and drop their heads)
  dropUncovered(sqlite, model.id);
  const span = eventSpan(sqlite, model.id);
  // a day at a time: the connection cannot write while a read is still iterating
  if (span) {
    for (let day = Math.floor(Math.max(span[0], kept) / DAY_MS) * DAY_MS; day <= span[1]; day += DAY_MS) {
      // a purge cut short may have left events before `kept`: their hours are final
      const events = Array.from(readEvents(sqlite, model.id, 0, Math.max(day, kept), day + DAY_MS));
      for (const { slice, ctx, items } of itemsBySlice(sqlite, model, events, (e) => e)) {
        const hours = new Map<number, WindowStats>();
        for (const e of items) {
          const h = hourOf(e.ts);
          let s = hours.get(h);
          if (!s) hours.set(h, (s = emptyStats(ctx)));
          accumulate(s, e, ctx);
        }
        for (const [h, s] of hours) writeRow(sqlite, model.id, slice, 0, h, s);
      }
    }
  }
  if (readyAt !== undefined) markAllReady(sqlite, model.id, readyAt);
}

/**
 * Builds the profile of a new baseline (pure; baselines.ts stores it in
 * `baselines.profile` and then calls `rebuildStats`). Forgets the model's cached statistics.
 */
export function setBaselineProfile(sqlite: Database.Database, model: ModelRecord, rows: BaselineRow[]): BaselineProfile {
  forgetModel(sqlite, model.id);
  return buildBaselineProfile(model, rows);
}
