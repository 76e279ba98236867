// What merging a window's statistics reads from a store, synchronously (types only): the
// merge and the metric computation (services/stats-read.ts, services/answer-reads.ts)
// exist once over it. SQLite answers each call with a prepared statement inside one read
// transaction; PostgreSQL loads the rows a read needs in a few queries first
// (store/postgres/data/preloaded-rows.ts) and answers from memory.
// Every call names the model and the slice (domain/slices.ts; 0 = the whole model): a
// slice's rows are the model's rows of the events in it, against the slice's own profile.
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
  /** The slice's statistics context against its current baseline profile (slice 0: the model's). */
  context(model: ModelRecord, slice: number): StatsContext;
  /**
   * Whether the slice's stored statistics hold every one of its events (slice 0 always);
   * while a new slice (or one whose profile changed) is being built, it is read from raw events.
   */
  sliceReady(modelId: number, slice: number): boolean;
  /** (hour, rev) of the slice's hour rows in [from, to), by hour. */
  hourRevs(modelId: number, slice: number, from: number, to: number): Array<[number, number]>;
  /** (level, start, rev) of the slice's roll-ups starting in [from, to). */
  rollupRevs(modelId: number, slice: number, from: number, to: number): Array<[RollupLevel, number, number]>;
  /**
   * An hour (level 0) or roll-up row, with or without the numeric histograms; `rev` known
   * from a listing lets a cached copy answer. Null when there is none; the caller checks its key.
   */
  readRow(ctx: StatsContext, modelId: number, slice: number, level: RowLevel, start: number, withHists: boolean, rev?: number): StoredRow | null;
  /** The hours in [from, to) where the slice has partials, ascending. */
  partialHours(modelId: number, slice: number, from: number, to: number): number[];
  /** The slice's partials of one hour, decoded, oldest first. */
  partialsOfHour(ctx: StatsContext, modelId: number, slice: number, hour: number, withHists: boolean): Array<{ id: number; stats: WindowStats }>;
  /** The slice's raw events in [from, to), by time: the model's with the slice's version and in its segment. */
  events(modelId: number, slice: number, from: number, to: number): Iterable<StatsEvent>;
}
