// The statistics kept at ingest (ARCHITECTURE rule 4). Every function is synchronous and
// runs inside the caller's write transaction, so raw events and their statistics commit
// or roll back together. Rows are read, modified and written per touched UTC hour.
import type { ModelRecord } from '../domain/model.js';
import { buildBaselineProfile, type BaselineProfile, type BaselineRow } from '../domain/metrics/profile.js';
import { accumulate, applyLabel, emptyStats, type StatsEvent, type WindowStats } from '../domain/metrics/window-stats.js';
import type { Deps } from './deps.js';
import { purgedBefore } from './retention.js';
import { DAY_MS, deleteHours, eventSpan, forgetModel, HOUR_MS, readEvents, statsContext, statsFromEvents, takeHour, writeHour } from './stats-store.js';

export type { BaselineProfile, BaselineRow } from '../domain/metrics/profile.js';

/** An event as stored, with its joined actual (if any). */
export interface StoredEvent extends StatsEvent {
  id: number;
  /** the prediction's timestamp, epoch ms */
  ts: number;
}

const hourOf = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;

function groupByHour<T>(items: readonly T[], ts: (t: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const it of items) {
    const h = hourOf(ts(it));
    const list = m.get(h);
    if (list) list.push(it);
    else m.set(h, [it]);
  }
  return m;
}

/**
 * Applies `change` to the hour's statistics and stores them. A row built against an older
 * baseline is rebuilt from the raw events instead, which already include the change.
 */
function updateHour(deps: Deps, model: ModelRecord, hour: number, change: (s: WindowStats) => void): void {
  const sqlite = deps.store.sqlite;
  const ctx = statsContext(sqlite, model);
  const { stats, stale } = takeHour(sqlite, ctx, model.id, hour);
  if (stale) writeHour(sqlite, model.id, hour, statsFromEvents(sqlite, ctx, model.id, hour, hour + HOUR_MS));
  else {
    change(stats);
    writeHour(sqlite, model.id, hour, stats);
  }
}

/** Adds newly stored events (with their joined actuals) to their hours' statistics. */
export function applyEventsToStats(deps: Deps, model: ModelRecord, events: StoredEvent[]): void {
  const ctx = statsContext(deps.store.sqlite, model);
  for (const [hour, list] of groupByHour(events, (e) => e.ts)) {
    updateHour(deps, model, hour, (s) => {
      for (const e of list) accumulate(s, e, ctx);
    });
  }
}

/** Moves the statistics from each event's state before to after (an actual arrived or was replaced). */
export function applyActualsToStats(deps: Deps, model: ModelRecord, changes: Array<{ before: StoredEvent; after: StoredEvent }>): void {
  const ctx = statsContext(deps.store.sqlite, model);
  for (const [hour, list] of groupByHour(changes, (c) => c.before.ts)) {
    updateHour(deps, model, hour, (s) => {
      for (const { before, after } of list) {
        applyLabel(s, before, ctx, -1);
        applyLabel(s, after, ctx, 1);
      }
    });
  }
}

/**
 * Recomputes every hour of the model from its raw events (after a baseline or threshold
 * change). Hours purged by retention keep their rows as they are: their events are gone
 * (reading them under the new baseline is refused, see retention.ts).
 */
export function rebuildStats(deps: Deps, model: ModelRecord): void {
  const sqlite = deps.store.sqlite;
  const kept = purgedBefore(sqlite, model.id) ?? Number.MIN_SAFE_INTEGER;
  deleteHours(sqlite, model.id, kept);
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
    for (const [h, s] of hours) writeHour(sqlite, model.id, h, s);
  }
}

/**
 * Builds the profile of a new baseline (pure; the baseline service stores it in
 * `baselines.profile` and then calls `rebuildStats`). Forgets the model's cached statistics.
 */
export function setBaselineProfile(deps: Deps, model: ModelRecord, rows: BaselineRow[]): BaselineProfile {
  forgetModel(deps.store.sqlite, model.id);
  return buildBaselineProfile(model, rows);
}
