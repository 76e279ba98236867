// The PostgreSQL mirror of src/db/schema/monitoring.ts (monitors, evaluations, alerts,
// channels and the outbox), same tables, columns, keys and cascades.
import { sql } from 'drizzle-orm';
import { pgTable, integer, bigint, text, doublePrecision, boolean, json, jsonb, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { models } from './core.js';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const channels = pgTable('channels', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
  kind: text('kind').notNull(),
  /** the kind's settings, secrets included (never shown, never audited): src/services/channel-kinds/ */
  config: jsonb('config').$type<Record<string, string>>().notNull().default({}),
  createdAt: ms('created_at').notNull(),
});

export const monitors = pgTable(
  'monitors',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    metric: text('metric').notNull(),
    feature: text('feature'),
    attribute: text('attribute'),
    version: text('version'),
    segment: text('segment'),
    window: text('window').notNull(),
    windowMs: ms('window_ms').notNull(),
    schedule: text('schedule').notNull(),
    comparator: text('comparator').notNull(),
    warningThreshold: doublePrecision('warning_threshold'),
    criticalThreshold: doublePrecision('critical_threshold'),
    autoThreshold: text('auto_threshold'),
    forEvaluations: integer('for_evaluations').notNull(),
    minSampleSize: integer('min_sample_size').notNull(),
    repeatInterval: text('repeat_interval').notNull(),
    repeatIntervalMs: ms('repeat_interval_ms').notNull(),
    enabled: boolean('enabled').notNull(),
    streak: integer('streak').notNull().default(0),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('monitors_model_name').on(t.modelId, t.name)],
);

export const monitorChannels = pgTable(
  'monitor_channels',
  {
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id),
  },
  (t) => [primaryKey({ columns: [t.monitorId, t.channelId] }), index('monitor_channels_channel').on(t.channelId)],
);

export const evaluations = pgTable(
  'evaluations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    at: ms('at').notNull(),
    from: ms('from').notNull(),
    to: ms('to').notNull(),
    value: doublePrecision('value'),
    sampleSize: integer('sample_size').notNull(),
    severity: text('severity').notNull(),
    warningThreshold: doublePrecision('warning_threshold'),
    criticalThreshold: doublePrecision('critical_threshold'),
    recordedAt: ms('recorded_at').notNull(),
  },
  // one evaluation per (monitor, tick), whichever replica runs it
  (t) => [uniqueIndex('evaluations_monitor_at').on(t.monitorId, t.at)],
);

export const alerts = pgTable(
  'alerts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    severity: text('severity').notNull(),
    status: text('status').notNull(),
    value: doublePrecision('value'),
    threshold: doublePrecision('threshold'),
    sampleSize: integer('sample_size'),
    message: text('message').notNull(),
    openedAt: ms('opened_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    resolvedAt: ms('resolved_at'),
    acknowledgedBy: text('acknowledged_by'),
    snoozedUntil: ms('snoozed_until'),
    lastNotifiedAt: ms('last_notified_at').notNull(),
  },
  (t) => [
    uniqueIndex('alerts_one_open').on(t.monitorId).where(sql`status <> 'RESOLVED'`),
    index('alerts_model_status').on(t.modelId, t.status),
    index('alerts_snoozed').on(t.status, t.snoozedUntil),
  ],
);

export const alertEvents = pgTable(
  'alert_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    at: ms('at').notNull(),
    kind: text('kind').notNull(),
    actor: text('actor'),
    note: text('note'),
  },
  (t) => [index('alert_events_alert').on(t.alertId)],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    alertId: integer('alert_id').references(() => alerts.id, { onDelete: 'cascade' }),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    // json, not jsonb: read back as written (key order kept), so a webhook body's bytes are SQLite's
    payload: json('payload').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ms('created_at').notNull(),
    nextAttemptAt: ms('next_attempt_at'),
    claimedAt: ms('claimed_at'),
    claimedBy: text('claimed_by'),
    deliveredAt: ms('delivered_at'),
    refChannel: text('ref_channel'),
    refTs: text('ref_ts'),
  },
  (t) => [index('deliveries_due').on(t.status, t.nextAttemptAt), index('deliveries_alert').on(t.alertId, t.channelId)],
);
