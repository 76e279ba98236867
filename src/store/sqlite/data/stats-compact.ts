// Compaction (ARCHITECTURE rule 8): folds an hour's partials into its hour row, and the
// same delta into the roll-ups (day .. year) that already cover the hour; builds
// the roll-ups of spans that have ended. Each step is one synchronous transaction that
// writes the merged rows and deletes exactly the partials it merged, so a process killed
// at any moment leaves either the partials or their merge, never both, never neither.
// Merging is associative and exact (merge-stats.ts), so when a step runs changes no answer.
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../../domain/model.js';
import { dropValuesLostIn, HOUR_PARTS, mergeInto } from '../../../domain/metrics/merge-stats.js';
import { ROLLUP_LEVELS, spanEnd, spanStart, type RollupLevel } from '../../../domain/metrics/rollup-spans.js';
import { DAY_MS, HOUR_MS } from '../../../domain/time.js';
import { emptyStats, type WindowStats } from '../../../domain/metrics/window-stats.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { addStored } from '../../../services/stats-read.js';
import { purgedBefore } from './retention.js';
import { AppError } from '../../../errors.js';
import { deletePartials, deleteRollup, hasRollup, partialsOfHour, readRow, statsContext, statsFromEvents, writeRow, type RowLevel } from './stats-store.js';
import { sqliteStatsRows } from './stats-rows.js';

function stored(sqlite: Database.Database, ctx: StatsContext, modelId: number, slice: number, level: RowLevel, start: number): WindowStats | null | 'stale' {
  const row = readRow(sqlite, ctx, modelId, slice, level, start, true);
  if (!row) return null;
  return row.stats.key === ctx.statsKey ? row.stats : 'stale';
}

/** What the hours folded in one step add to one roll-up over them. */
interface RollupDelta {
  level: RollupLevel;
  start: number;
  delta: WindowStats;
  /** the whole hours, for the exact values they no longer keep */
  hours: WindowStats[];
}

/**
 * Folds each hour's partials into its row, and the same into the roll-ups over it, in one
 * transaction (one commit). Anything built against another baseline or threshold makes
 * the hour come from its raw events, and the roll-ups over it are dropped (built again
 * later). Returns how many partials were folded in.
 */
export function compactHours(sqlite: Database.Database, model: ModelRecord, slice: number, hours: number[]): number {
  return withoutFsync(sqlite, () => {
    const ctx = statsContext(sqlite, model, slice);
    const ups = new Map<string, RollupDelta | null>();
    let n = 0;
    for (const hour of hours) n += foldHour(sqlite, ctx, model.id, slice, hour, ups);
    for (const [, u] of ups) {
      if (!u) continue;
      const up = stored(sqlite, ctx, model.id, slice, u.level, u.start);
      if (up === null) continue;
      if (up === 'stale') {
        deleteRollup(sqlite, model.id, slice, u.level, u.start);
        continue;
      }
      const merged = emptyStats(ctx);
      mergeInto(merged, up, ctx);
      mergeInto(merged, u.delta, ctx);
      for (const h of u.hours) dropValuesLostIn(merged, h);
      writeRow(sqlite, model.id, slice, u.level, u.start, merged);
    }
    return n;
  });
}

/**
 * Runs `step` in one IMMEDIATE transaction committed without waiting for fsync
 * (synchronous=NORMAL, WAL): a power cut may undo the last steps, which only leaves their
 * partials to fold again (a step is atomic either way); a killed process loses nothing.
 * The next ingest commit (FULL) syncs them anyway. Compaction commits often: with an
 * fsync each, 17,520 hours took 98 s here instead of a few.
 */
function withoutFsync<T>(sqlite: Database.Database, step: () => T): T {
  const before = sqlite.pragma('synchronous', { simple: true }) as number;
  sqlite.pragma('synchronous = NORMAL');
  try {
    return sqlite.transaction(step).immediate();
  } finally {
    sqlite.pragma(`synchronous = ${before}`);
  }
}

function foldHour(sqlite: Database.Database, ctx: StatsContext, modelId: number, slice: number, hour: number, ups: Map<string, RollupDelta | null>): number {
  const parts = partialsOfHour(sqlite, ctx, modelId, slice, hour, true);
  if (parts.length === 0) return 0;
  const delta = emptyStats(ctx);
  let stale = false;
  for (const p of parts) {
    if (p.stats.key === ctx.statsKey) mergeInto(delta, p.stats, ctx, HOUR_PARTS);
    else stale = true;
  }
  const old = stored(sqlite, ctx, modelId, slice, 0, hour);
  if (stale || old === 'stale') {
    const purged = purgedBefore(sqlite, modelId);
    if (purged !== null && hour < purged) return 0; // no raw events to rebuild it from: left as it is (reads refuse it)
    writeRow(sqlite, modelId, slice, 0, hour, statsFromEvents(sqlite, ctx, modelId, slice, hour, hour + HOUR_MS));
    for (const level of ROLLUP_LEVELS) {
      const start = spanStart(level, hour);
      deleteRollup(sqlite, modelId, slice, level, start);
      ups.set(`${level}:${start}`, null);
    }
  } else {
    const next = emptyStats(ctx);
    if (old) mergeInto(next, old, ctx, HOUR_PARTS);
    mergeInto(next, delta, ctx, HOUR_PARTS);
    writeRow(sqlite, modelId, slice, 0, hour, next);
    for (const level of ROLLUP_LEVELS) {
      const start = spanStart(level, hour);
      const key = `${level}:${start}`;
      let u = ups.get(key);
      if (u === null) continue;
      if (u === undefined) {
        // most hours are folded before their day has a roll-up: nothing to carry then
        u = hasRollup(sqlite, modelId, slice, level, start) ? { level, start, delta: emptyStats(ctx), hours: [] } : null;
        ups.set(key, u);
        if (u === null) continue;
      }
      mergeInto(u.delta, delta, ctx);
      u.hours.push(next);
    }
  }
  deletePartials(sqlite, modelId, slice, hour, parts[parts.length - 1]!.id);
  return parts.length;
}

/** Spans of `level` that ended by `cutoff`, hold compacted hours, and have no roll-up yet. */
function missingRollups(sqlite: Database.Database, modelId: number, slice: number, level: RollupLevel, cutoff: number): number[] {
  const hours = sqlite
    .prepare(
      `SELECT DISTINCT hour - (hour % ?) FROM stats_hourly WHERE model_id = ? AND slice = ? AND hour < ?
       EXCEPT SELECT start FROM stats_rollup WHERE model_id = ? AND slice = ? AND level = 1`,
    )
    .pluck()
    .all(DAY_MS, modelId, slice, cutoff, modelId, slice) as number[];
  if (level === 1) return hours.filter((d) => d + DAY_MS <= cutoff);
  const have = new Set(sqlite.prepare('SELECT start FROM stats_rollup WHERE model_id = ? AND slice = ? AND level = ?').pluck().all(modelId, slice, level) as number[]);
  const days = sqlite.prepare('SELECT start FROM stats_rollup WHERE model_id = ? AND slice = ? AND level = 1').pluck().all(modelId, slice) as number[];
  const out = new Set<number>();
  for (const d of [...hours, ...days]) {
    const s = spanStart(level, d);
    if (!have.has(s) && spanEnd(level, s) <= cutoff) out.add(s);
  }
  return Array.from(out).sort((a, b) => a - b);
}

/**
 * Builds the roll-up of one span from the rows below it (no partials: those are folded in
 * by compactHours), in one transaction. Skipped while any hour in it is stale.
 */
export function buildRollup(sqlite: Database.Database, model: ModelRecord, slice: number, level: RollupLevel, start: number): boolean {
  return withoutFsync(sqlite, () => {
    const ctx = statsContext(sqlite, model, slice);
    const acc = emptyStats(ctx);
    let rawHours: number;
    try {
      rawHours = addStored(sqliteStatsRows(sqlite), ctx, model.id, slice, acc, start, spanEnd(level, start), { histograms: true, partials: false });
    } catch (err) {
      if (err instanceof AppError) return false; // an outdated purged hour in it: no roll-up over it
      throw err;
    }
    if (rawHours > 0) return false;
    writeRow(sqlite, model.id, slice, level, start, acc);
    return true;
  });
}

/** (model id, slice, hour) of every hour with partials, oldest first. */
export function hoursWithPartials(sqlite: Database.Database): Array<[number, number, number]> {
  return sqlite.prepare('SELECT DISTINCT model_id, slice, hour FROM stats_partial ORDER BY model_id, slice, hour').raw().all() as Array<[number, number, number]>;
}

/** Spans of `level` whose roll-up is due at `now` (build every day before asking for months). */
export function dueRollups(sqlite: Database.Database, modelId: number, slice: number, level: RollupLevel, now: number): number[] {
  return missingRollups(sqlite, modelId, slice, level, now);
}
