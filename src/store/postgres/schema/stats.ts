// The PostgreSQL mirror of src/db/schema/stats.ts: the binary statistics rows (bytea).
import { pgTable, integer, bigint, customType, primaryKey, index, text } from 'drizzle-orm/pg-core';
import { models } from './core.js';

/** epoch ms, and other 53-bit numbers (rev) */
const ms = (name: string) => bigint(name, { mode: 'number' });

/** bytea as a Node Buffer (drizzle-orm 0.45 has no bytea builder; pg returns Buffers). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const statsHourly = pgTable(
  'stats_hourly',
  {
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    slice: integer('slice').notNull().default(0),
    hour: ms('hour').notNull(),
    rev: ms('rev').notNull(),
    data: bytea('data').notNull(),
    hists: bytea('hists'),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.slice, t.hour] })],
);

export const statsPartial = pgTable(
  'stats_partial',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    slice: integer('slice').notNull().default(0),
    hour: ms('hour').notNull(),
    data: bytea('data').notNull(),
    hists: bytea('hists'),
  },
  (t) => [index('stats_partial_model_hour').on(t.modelId, t.slice, t.hour)],
);

export const statsRollup = pgTable(
  'stats_rollup',
  {
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    slice: integer('slice').notNull().default(0),
    level: integer('level').notNull(),
    start: ms('start').notNull(),
    rev: ms('rev').notNull(),
    data: bytea('data').notNull(),
    hists: bytea('hists'),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.slice, t.level, t.start] })],
);

/** Batches whose statistics an ingest call still holds in memory (src/db/schema/stats.ts). */
export const statsUncovered = pgTable('stats_uncovered', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  modelId: integer('model_id')
    .notNull()
    .references(() => models.id, { onDelete: 'cascade' }),
  firstId: ms('first_id').notNull(),
  lastId: ms('last_id').notNull(),
  owner: text('owner').notNull(),
  at: ms('at').notNull(),
});
