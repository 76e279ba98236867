// Raw data of a model: logged predictions (with their joined actuals), actuals that
// arrived before their prediction, and the baseline rows. Raw rows are the source of
// truth; every statistic can be rebuilt from them.
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, real, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { models } from './core.js';
import { HOUR_MS } from '../../domain/time.js';

/** The span of the events index's time key (see the index below). */
export const EVENT_BLOCK_MS = 3 * HOUR_MS;

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    /** the prediction's timestamp (epoch ms), never the arrival time */
    ts: integer('ts').notNull(),
    /** the features object exactly as it came, as JSON text */
    features: text('features').notNull(),
    score: real('score'),
    predictedLabel: text('predicted_label'),
    value: real('value'),
    actualLabel: text('actual_label'),
    actualValue: real('actual_value'),
    actualAt: integer('actual_at'),
    /** the model version that made it (model_versions.id), null: none */
    versionId: integer('version_id'),
    /** per-feature attributions as JSON text, as they came (null: none) */
    attributions: text('attributions'),
  },
  // By (model, 3-hour UTC block) rather than (model, ts): events that arrive shuffled over a
  // week then append to 56 runs (rowid order within a block) instead of landing all over the
  // index, so a 2000-row commit dirties a few dozen index pages, not thousands. Scratch loop,
  // 300k rows shuffled over a week, 2000 a transaction, best of 4: (model_id, ts) 8.4-8.6 us
  // a row (an earlier run), by hour 4.18, by 3 hours 3.55, by day 3.29, in time order 2.97.
  // The block bounds what a window's ragged ends read (every row of the block is checked on
  // ts): a half-hour end over 1M shuffled events reads in 35 ms by 3 hours, 28 by hour, 135
  // by day. Queries by time name the expression as event-blocks.ts does.
  (t) => [index('events_model_block').on(t.modelId, sql`${t.ts} / ${sql.raw(String(EVENT_BLOCK_MS))}`)],
);

/** Actuals whose prediction has not arrived yet; joined and removed when it does. */
export const pendingActuals = sqliteTable(
  'pending_actuals',
  {
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    actualLabel: text('actual_label'),
    actualValue: real('actual_value'),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.eventId] })],
);

export const baselines = sqliteTable('baselines', {
  modelId: integer('model_id')
    .primaryKey()
    .references(() => models.id, { onDelete: 'cascade' }),
  rowCount: integer('row_count').notNull(),
  updatedAt: integer('updated_at').notNull(),
  /** what drift needs, computed once when the baseline is set (BaselineProfile) */
  profile: text('profile', { mode: 'json' }).notNull(),
});

export const baselineRows = sqliteTable(
  'baseline_rows',
  {
    id: integer('id').primaryKey(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    features: text('features').notNull(),
    score: real('score'),
    predictedLabel: text('predicted_label'),
    value: real('value'),
    actualLabel: text('actual_label'),
    actualValue: real('actual_value'),
    /** the version whose baseline this row is (model_versions.id); null: the model's */
    versionId: integer('version_id'),
    attributions: text('attributions'),
  },
  (t) => [index('baseline_rows_model').on(t.modelId)],
);

/**
 * Tombstones of events deleted by retention, so that a late actual for one is rejected
 * with its reason instead of waiting forever as pending. The key (the rowid itself, so no
 * second index) is the 53-bit hash of model id and eventId (retention.ts): ~25 bytes a
 * deleted event. A tombstone expires one retention period after its purge.
 */
export const purgedEvents = sqliteTable('purged_events', {
  key: integer('key').primaryKey(),
  modelId: integer('model_id')
    .notNull()
    .references(() => models.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at').notNull(),
});
