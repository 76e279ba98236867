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
  rows = {
    purgedBefore: (modelId) => purgedBefore(sqlite, modelId),
    context: (model) => statsContext(sqlite, model),
    hourRevs: (modelId, from, to) => hourRevs(sqlite, modelId, from, to),
    rollupRevs: (modelId, from, to) => rollupRevs(sqlite, modelId, from, to),
    readRow: (ctx, modelId, level, start, withHists, rev) => readRow(sqlite, ctx, modelId, level, start, withHists, rev),
    partialHours: (modelId, from, to) => {
      const hours: number[] = [];
      for (const [, hour] of partialsIn(sqlite, modelId, from, to)) if (hours[hours.length - 1] !== hour) hours.push(hour);
      return hours;
    },
    partialsOfHour: (ctx, modelId, hour, withHists) => partialsOfHour(sqlite, ctx, modelId, hour, withHists),
    events: (modelId, from, to) => readEvents(sqlite, modelId, from, to),
  };
  made.set(sqlite, rows);
  return rows;
}
