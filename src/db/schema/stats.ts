// Statistics kept at ingest (ARCHITECTURE rules 4 and 8: write cheap, merge later). Every
// row holds a WindowStats in the two binary parts of src/domain/metrics/stats-codec.ts
// (`data`: counters; `hists`: numeric histograms, which only drift reads).
//
// - `stats_partial`: appended by each ingest transaction, one row per UTC hour it touched
//   (the merge of that batch's events of the hour). Never updated.
// - `stats_hourly`: the compacted hour, i.e. the merge of the partials compaction folded in.
// - `stats_rollup`: per UTC day, ten days, month, quarter and year (rollup-spans.ts): the
//   merge of every compacted hour row in its span. Compaction keeps this invariant in the
//   transaction that deletes the partials it folds in, so a window is (roll-ups + hour
//   rows covering it) + the partials still in it, whatever was compacted when.
// `rev` changes on every write, so a process may keep parsed rows in memory and tell when
// one is stale (including after a rollback).
import { sqliteTable, integer, blob, primaryKey, index, text } from 'drizzle-orm/sqlite-core';
import { models } from './core.js';

export const statsHourly = sqliteTable(
  'stats_hourly',
  {
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    /** stats_slices.id, 0 = the whole model */
    slice: integer('slice').notNull().default(0),
    /** start of the UTC hour, epoch ms */
    hour: integer('hour').notNull(),
    /** random, new on every write */
    rev: integer('rev').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    hists: blob('hists', { mode: 'buffer' }),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.slice, t.hour] })],
);

export const statsPartial = sqliteTable(
  'stats_partial',
  {
    id: integer('id').primaryKey(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    /** stats_slices.id, 0 = the whole model */
    slice: integer('slice').notNull().default(0),
    /** start of the UTC hour, epoch ms */
    hour: integer('hour').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    hists: blob('hists', { mode: 'buffer' }),
  },
  (t) => [index('stats_partial_model_hour').on(t.modelId, t.slice, t.hour)],
);

export const statsRollup = sqliteTable(
  'stats_rollup',
  {
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    slice: integer('slice').notNull().default(0),
    /** 1 day, 2 ten days (1-10, 11-20, 21-end of a month), 3 month, 4 quarter, 5 year (UTC calendar) */
    level: integer('level').notNull(),
    /** start of the span, epoch ms */
    start: integer('start').notNull(),
    rev: integer('rev').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    hists: blob('hists', { mode: 'buffer' }),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.slice, t.level, t.start] })],
);

/**
 * Events stored whose statistics are not written yet: an ingest call keeps the statistics
 * of its batches in memory (a head, stats-head.ts) and writes them every few seconds or at
 * its end, in the transaction that deletes its rows here. Each row is one committed batch
 * (its events are the rows `first_id`..`last_id` of the model); whoever deletes a row
 * accounts for its events, so after a crash they are folded from the raw rows once.
 */
export const statsUncovered = sqliteTable('stats_uncovered', {
  id: integer('id').primaryKey(),
  modelId: integer('model_id')
    .notNull()
    .references(() => models.id, { onDelete: 'cascade' }),
  firstId: integer('first_id').notNull(),
  lastId: integer('last_id').notNull(),
  /** the statistics head writing them: `<process token>:<head number>` */
  owner: text('owner').notNull(),
  /** clock time of the batch, epoch ms */
  at: integer('at').notNull(),
});
