// The SQLite statistics rows behind the shared merge (domain/metrics/stats-rows.ts): each
// call one prepared statement of the stats store on this connection, with its row and
// context caches. One object per connection, so a read allocates nothing for it.
import type Database from 'better-sqlite3';
import type { StatsRows } from '../../../domain/metrics/stats-rows.js';
import { purgedBefore } from './retention.js';
import { hourRevs, partialsIn, partialsOfHour, readEvents, readRow, rollupRevs, statsContext } from './stats-store.js';

const made = new WeakMap<Database.Database, StatsRows>();

/** The statistics rows of the database behind `sqlite`. */
export function sqliteStatsRows(sqlite: Database.Database): StatsRows {
  let rows = made.get(sqlite);
  if (rows) return rows;
  const only0 = (slice: number) => {
    if (slice !== 0) throw new Error('statistics slices: not yet on SQLite');
  };
  rows = {
    purgedBefore: (modelId) => purgedBefore(sqlite, modelId),
    context: (model, slice) => (only0(slice), statsContext(sqlite, model)),
    sliceReady: (_modelId, slice) => (only0(slice), true),
    hourRevs: (modelId, slice, from, to) => (only0(slice), hourRevs(sqlite, modelId, from, to)),
    rollupRevs: (modelId, slice, from, to) => (only0(slice), rollupRevs(sqlite, modelId, from, to)),
    readRow: (ctx, modelId, slice, level, start, withHists, rev) => (only0(slice), readRow(sqlite, ctx, modelId, level, start, withHists, rev)),
    partialHours: (modelId, slice, from, to) => {
      only0(slice);
      const hours: number[] = [];
      for (const [, hour] of partialsIn(sqlite, modelId, from, to)) if (hours[hours.length - 1] !== hour) hours.push(hour);
      return hours;
    },
    partialsOfHour: (ctx, modelId, slice, hour, withHists) => (only0(slice), partialsOfHour(sqlite, ctx, modelId, hour, withHists)),
    events: (modelId, slice, from, to) => (only0(slice), readEvents(sqlite, modelId, from, to)),
  };
  made.set(sqlite, rows);
  return rows;
}
