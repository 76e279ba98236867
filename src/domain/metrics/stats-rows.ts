// What merging a window's statistics reads from a store, synchronously (types only): the
// merge and the metric computation (services/stats-read.ts, services/answer-reads.ts)
// exist once over it. SQLite answers each call with a prepared statement inside one read
// transaction; PostgreSQL loads the rows a read needs in a few queries first
// (store/postgres/data/preloaded-rows.ts) and answers from memory.
import type { ModelRecord } from '../model.js';
import type { StatsContext } from './context.js';
import type { RollupLevel } from './rollup-spans.js';
import type { StatsEvent } from './stats-event.js';
import type { WindowStats } from './window-stats.js';

/** Where a stored row lives: level 0 = an hour row, 1-5 = a roll-up. */
export type RowLevel = 0 | RollupLevel;

/** A stored row, for reading only (never mutate its stats). */
export interface StoredRow {
  rev: number;
  stats: WindowStats;
}

export interface StatsRows {
  /** The instant before which the model's events may have been deleted, or null (read fresh). */
  purgedBefore(modelId: number): number | null;
  /** The model's statistics context against its current baseline. */
  context(model: ModelRecord): StatsContext;
  /** (hour, rev) of the model's hour rows in [from, to), by hour. */
  hourRevs(modelId: number, from: number, to: number): Array<[number, number]>;
  /** (level, start, rev) of the model's roll-ups starting in [from, to). */
  rollupRevs(modelId: number, from: number, to: number): Array<[RollupLevel, number, number]>;
  /**
   * An hour (level 0) or roll-up row, with or without the numeric histograms; `rev` known
   * from a listing lets a cached copy answer. Null when there is none; the caller checks its key.
   */
  readRow(ctx: StatsContext, modelId: number, level: RowLevel, start: number, withHists: boolean, rev?: number): StoredRow | null;
  /** The hours in [from, to) that have partials, ascending. */
  partialHours(modelId: number, from: number, to: number): number[];
  /** The partials of one hour, decoded, oldest first. */
  partialsOfHour(ctx: StatsContext, modelId: number, hour: number, withHists: boolean): Array<{ id: number; stats: WindowStats }>;
  /** The model's raw events in [from, to), by time. */
  events(modelId: number, from: number, to: number): Iterable<StatsEvent>;
}
