// Statistics kept at ingest (ARCHITECTURE rule 4): one WindowStats per model and UTC hour,
// rebuilt from the raw events whenever the baseline changes. `data` and `hists` are the two
// binary parts of src/domain/metrics/stats-codec.ts (counters; numeric histograms, which
// only drift reads); `rev` changes on every write, so a process may keep parsed rows in
// memory and tell when one is stale (including after a rollback).
import { sqliteTable, integer, blob, primaryKey } from 'drizzle-orm/sqlite-core';
import { models } from './core.js';

export const statsHourly = sqliteTable(
  'stats_hourly',
  {
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    /** start of the UTC hour, epoch ms */
    hour: integer('hour').notNull(),
    /** random, new on every write */
    rev: integer('rev').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    hists: blob('hists', { mode: 'buffer' }),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.hour] })],
);
