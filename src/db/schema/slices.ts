// Versions, segments and the statistics slices they make (issue: versions, segments and
// explanations). A slice is the model seen through a filter: one version, one segment, or
// both. Each keeps its statistics in the stats tables under its own `slice` id (0 = the
// whole model) and against its own baseline profile (METRICS.md "Segments and versions":
// the version's baseline, else the model's, restricted to the segment's rows), so that a
// narrowed metric costs what the model's costs.
import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { models } from './core.js';

export const modelVersions = sqliteTable(
  'model_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: integer('created_at').notNull(),
    /** the version's own baseline (setVersionBaseline): null while it uses the model's */
    baselineRowCount: integer('baseline_row_count'),
    baselineUpdatedAt: integer('baseline_updated_at'),
    baselineProfile: text('baseline_profile', { mode: 'json' }),
  },
  (t) => [uniqueIndex('model_versions_model_name').on(t.modelId, t.name)],
);

export const segments = sqliteTable(
  'segments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** [SegmentCondition] as created (src/domain/segments/segment.ts) */
    conditions: text('conditions', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('segments_model_name').on(t.modelId, t.name)],
);

/**
 * One row per (version, segment, both) of a model whose statistics are kept. `profile` is
 * the slice's baseline profile (null: no baseline row falls in it); `ready_at` stays null
 * while the events stored before the slice existed are being folded in (backfill), with
 * `backfill_done` of `backfill_total` events done so far.
 */
export const statsSlices = sqliteTable(
  'stats_slices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    versionId: integer('version_id').references(() => modelVersions.id, { onDelete: 'cascade' }),
    segmentId: integer('segment_id').references(() => segments.id, { onDelete: 'cascade' }),
    profile: text('profile', { mode: 'json' }),
    backfillTotal: integer('backfill_total').notNull().default(0),
    backfillDone: integer('backfill_done').notNull().default(0),
    readyAt: integer('ready_at'),
  },
  (t) => [index('stats_slices_model').on(t.modelId)],
);
