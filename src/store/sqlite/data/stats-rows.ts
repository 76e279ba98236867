// The SQLite statistics rows behind the shared merge (domain/metrics/stats-rows.ts): each
// call one prepared statement of the stats store on this connection, with its row and
// context caches. One object per connection, so a read allocates nothing for it.
import type Database from 'better-sqlite3';
import type { StatsRows } from '../../../domain/metrics/stats-rows.js';
import { purgedBefore } from './retention.js';
import { sliceReady } from './slice-set.js';
import { hourRevs, partialsIn, partialsOfHour, readEvents, readRow, rollupRevs, statsContext } from './stats-store.js';

const made = new WeakMap<Database.Database, StatsRows>();

/** The statistics rows of the database behind `sqlite`. */
export function sqliteStatsRows(sqlite: Database.Database): StatsRows {
  let rows = made.get(sqlite);
  if (rows) return rows;
  rows = {
    purgedBefore: (modelId) => purgedBefore(sqlite, modelId),
    context: (model, slice) => statsContext(sqlite, model, slice),
    sliceReady: (modelId, slice) => sliceReady(sqlite, modelId, slice),
    hourRevs: (modelId, slice, from, to) => hourRevs(sqlite, modelId, slice, from, to),
    rollupRevs: (modelId, slice, from, to) => rollupRevs(sqlite, modelId, slice, from, to),
    readRow: (ctx, modelId, slice, level, start, withHists, rev) => readRow(sqlite, ctx, modelId, slice, level, start, withHists, rev),
    partialHours: (modelId, slice, from, to) => {
      const hours: number[] = [];
      for (const [, hour] of partialsIn(sqlite, modelId, slice, from, to)) if (hours[hours.length - 1] !== hour) hours.push(hour);
      return hours;
    },
    partialsOfHour: (ctx, modelId, slice, hour, withHists) => partialsOfHour(sqlite, ctx, modelId, slice, hour, withHists),
    events: (modelId, slice, from, to) => readEvents(sqlite, modelId, slice, from, to),
  };
  made.set(sqlite, rows);
  return rows;
}
