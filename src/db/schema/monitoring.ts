// Monitors, their evaluations, alerts with their history, notification channels and the
// outbox of deliveries. A model's monitors (and so their evaluations, alerts and
// deliveries) go with the model.
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, real, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { models } from './core.js';

export const channels = sqliteTable('channels', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** SLACK | WEBHOOK */
  kind: text('kind').notNull(),
  /** the kind's settings, secrets included (never shown, never audited): src/services/channel-kinds/ */
  config: text('config', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
  createdAt: integer('created_at').notNull(),
});

export const monitors = sqliteTable(
  'monitors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    metric: text('metric').notNull(),
    feature: text('feature'),
    attribute: text('attribute'),
    /** narrows the monitor to one version / one segment (names; null: all) */
    version: text('version'),
    segment: text('segment'),
    /** as the user wrote it ("24h"), and in ms */
    window: text('window').notNull(),
    windowMs: integer('window_ms').notNull(),
    schedule: text('schedule').notNull(),
    comparator: text('comparator').notNull(),
    warningThreshold: real('warning_threshold'),
    criticalThreshold: real('critical_threshold'),
    /** learned thresholds instead (JSON: src/store/auto-threshold-column.ts); null for fixed ones */
    autoThreshold: text('auto_threshold'),
    forEvaluations: integer('for_evaluations').notNull(),
    minSampleSize: integer('min_sample_size').notNull(),
    repeatInterval: text('repeat_interval').notNull(),
    repeatIntervalMs: integer('repeat_interval_ms').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** breaching evaluations in a row, in the order they were made (the state machine's memory) */
    streak: integer('streak').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('monitors_model_name').on(t.modelId, t.name)],
);

export const monitorChannels = sqliteTable(
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

export const evaluations = sqliteTable(
  'evaluations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    /** the run time; the window is [from, to) with to = at */
    at: integer('at').notNull(),
    from: integer('from').notNull(),
    to: integer('to').notNull(),
    value: real('value'),
    sampleSize: integer('sample_size').notNull(),
    severity: text('severity').notNull(),
    /** the thresholds this evaluation used (learned ones for an autoThreshold monitor) */
    warningThreshold: real('warning_threshold'),
    criticalThreshold: real('critical_threshold'),
    recordedAt: integer('recorded_at').notNull(),
  },
  // One evaluation per tick: an overlapping or repeated run of the same tick records nothing.
  (t) => [uniqueIndex('evaluations_monitor_at').on(t.monitorId, t.at)],
);

export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    severity: text('severity').notNull(),
    status: text('status').notNull(),
    value: real('value'),
    threshold: real('threshold'),
    sampleSize: integer('sample_size'),
    message: text('message').notNull(),
    openedAt: integer('opened_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    resolvedAt: integer('resolved_at'),
    acknowledgedBy: text('acknowledged_by'),
    snoozedUntil: integer('snoozed_until'),
    /** last firing/escalation/reminder notification, for repeatInterval */
    lastNotifiedAt: integer('last_notified_at').notNull(),
  },
  (t) => [
    // A monitor has at most one open alert.
    uniqueIndex('alerts_one_open').on(t.monitorId).where(sql`status <> 'RESOLVED'`),
    index('alerts_model_status').on(t.modelId, t.status),
    index('alerts_snoozed').on(t.status, t.snoozedUntil),
  ],
);

export const alertEvents = sqliteTable(
  'alert_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    kind: text('kind').notNull(),
    actor: text('actor'),
    note: text('note'),
  },
  (t) => [index('alert_events_alert').on(t.alertId)],
);

/** The outbox: one row per notification per channel, kept as the delivery record. */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** null for a channel test */
    alertId: integer('alert_id').references(() => alerts.id, { onDelete: 'cascade' }),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    /** the same on every attempt, so receivers can drop repeats */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** the webhook body (the alert as it was at the change), JSON */
    payload: text('payload', { mode: 'json' }).notNull(),
    /** PENDING | DELIVERED | FAILED */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    nextAttemptAt: integer('next_attempt_at'),
    /** set while an attempt is in flight; a crash leaves it set, and start-up releases it */
    claimedAt: integer('claimed_at'),
    /** the instance whose attempt is in flight (a restart releases only its own) */
    claimedBy: text('claimed_by'),
    deliveredAt: integer('delivered_at'),
    /** the message a Slack notifier posted (so later changes go to its thread) */
    refChannel: text('ref_channel'),
    refTs: text('ref_ts'),
  },
  (t) => [index('deliveries_due').on(t.status, t.nextAttemptAt), index('deliveries_alert').on(t.alertId, t.channelId)],
);
