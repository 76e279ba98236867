// The PostgreSQL mirror of src/db/schema/events.ts, plus `event_keys`. `events` is declared
// here for queries and for drizzle-kit, but the table itself is partitioned (by model, then
// by UTC day of `ts`) by the custom migration drizzle/postgres/0001_events_partitioned.sql:
// see docs/postgres.md. Features stay JSON text as they came: jsonb would be parsed on every
// ingested row (~30% of COPY throughput, STACK.md). Neither table has a foreign key: a
// per-row RI check on the ingest path buys nothing, since deleting a model drops its
// partitions and deletes its keys.
import { pgTable, integer, bigint, bigserial, text, doublePrecision, jsonb, index, primaryKey } from 'drizzle-orm/pg-core';
import { models } from './core.js';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    modelId: integer('model_id').notNull(),
    eventId: text('event_id').notNull(),
    ts: ms('ts').notNull(),
    features: text('features').notNull(),
    score: doublePrecision('score'),
    predictedLabel: text('predicted_label'),
    value: doublePrecision('value'),
    actualLabel: text('actual_label'),
    actualValue: doublePrecision('actual_value'),
    actualAt: ms('actual_at'),
    versionId: integer('version_id'),
    attributions: text('attributions'),
  },
  (t) => [index('events_model_ts').on(t.modelId, t.ts)],
);

/**
 * One row per stored event, unpartitioned, so that (model, eventId) is unique across every
 * partition and replica: ingest inserts here first (ON CONFLICT DO NOTHING) and stores in
 * `events` only the rows that were new. `ts` says which partition holds the event.
 */
export const eventKeys = pgTable(
  'event_keys',
  {
    modelId: integer('model_id').notNull(),
    eventId: text('event_id').notNull(),
    ts: ms('ts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.eventId] })],
);

export const pendingActuals = pgTable(
  'pending_actuals',
  {
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    actualLabel: text('actual_label'),
    actualValue: doublePrecision('actual_value'),
    receivedAt: ms('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.eventId] })],
);

export const baselines = pgTable('baselines', {
  modelId: integer('model_id')
    .primaryKey()
    .references(() => models.id, { onDelete: 'cascade' }),
  rowCount: integer('row_count').notNull(),
  updatedAt: ms('updated_at').notNull(),
  profile: jsonb('profile').notNull(),
});

export const baselineRows = pgTable(
  'baseline_rows',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    features: text('features').notNull(),
    score: doublePrecision('score'),
    predictedLabel: text('predicted_label'),
    value: doublePrecision('value'),
    actualLabel: text('actual_label'),
    actualValue: doublePrecision('actual_value'),
    versionId: integer('version_id'),
    attributions: text('attributions'),
  },
  (t) => [index('baseline_rows_model').on(t.modelId)],
);

/** Tombstones of events deleted by retention (see src/db/schema/events.ts). */
export const purgedEvents = pgTable('purged_events', {
  key: bigint('key', { mode: 'number' }).primaryKey(),
  modelId: integer('model_id')
    .notNull()
    .references(() => models.id, { onDelete: 'cascade' }),
  expiresAt: ms('expires_at').notNull(),
});
