// Tables of Glassbox. Times are integer epoch milliseconds (UTC); JSON columns hold
// plain objects. Every table that belongs to a model cascades on the model's delete,
// so `deleteModel` removes everything of it in one statement.
import { sqliteTable, integer, text, real, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

export const models = sqliteTable('models', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  task: text('task').notNull(),
  description: text('description'),
  positiveClass: text('positive_class'),
  decisionThreshold: real('decision_threshold'),
  /** [{ name, type, protected, min, max }] in declaration order */
  features: text('features', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  /** days of raw events kept; null = the server's GLASSBOX_RETENTION_DAYS, 0 = forever */
  retentionDays: integer('retention_days'),
  /**
   * events before this instant (a UTC hour) may have been deleted: set before the first
   * delete of a retention run, so a crash midway never leaves it behind the data
   */
  purgedBefore: integer('purged_before'),
  /** the latest timestamp among deleted events (Model.storage.newestEvent after a full purge) */
  purgedNewest: integer('purged_newest'),
  /** the version events without modelVersion are attributed to (model_versions.id), null while none */
  currentVersionId: integer('current_version_id'),
});

export const apiKeys = sqliteTable('api_keys', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  role: text('role').notNull(),
  /** sha256 hex of the secret; the secret itself is shown once and never stored */
  secretHash: text('secret_hash').notNull().unique(),
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    details: text('details', { mode: 'json' }),
  },
  (t) => [index('audit_log_at').on(t.at)],
);
