// The PostgreSQL mirror of src/db/schema/slices.ts (versions, segments, statistics slices).
import { pgTable, integer, bigint, text, json, jsonb, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { models } from './core.js';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const modelVersions = pgTable(
  'model_versions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: ms('created_at').notNull(),
    baselineRowCount: integer('baseline_row_count'),
    baselineUpdatedAt: ms('baseline_updated_at'),
    baselineProfile: jsonb('baseline_profile'),
  },
  (t) => [uniqueIndex('model_versions_model_name').on(t.modelId, t.name)],
);

export const segments = pgTable(
  'segments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    conditions: json('conditions').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [uniqueIndex('segments_model_name').on(t.modelId, t.name)],
);

export const statsSlices = pgTable(
  'stats_slices',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    versionId: integer('version_id').references(() => modelVersions.id, { onDelete: 'cascade' }),
    segmentId: integer('segment_id').references(() => segments.id, { onDelete: 'cascade' }),
    profile: jsonb('profile'),
    backfillTotal: ms('backfill_total').notNull().default(0),
    backfillDone: ms('backfill_done').notNull().default(0),
    readyAt: ms('ready_at'),
  },
  (t) => [index('stats_slices_model').on(t.modelId)],
);
