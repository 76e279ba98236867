// The PostgreSQL mirror of src/db/schema/core.ts: same tables and columns. Times are epoch
// ms in bigint (mode number). Features and audit details are json, not jsonb: they read back as
// written (key order, as SQLite's JSON text), and nothing queries inside them.
import { pgTable, integer, bigint, text, doublePrecision, json, index } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const models = pgTable('models', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
  task: text('task').notNull(),
  description: text('description'),
  positiveClass: text('positive_class'),
  decisionThreshold: doublePrecision('decision_threshold'),
  features: json('features').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
  retentionDays: integer('retention_days'),
  purgedBefore: ms('purged_before'),
  purgedNewest: ms('purged_newest'),
  currentVersionId: integer('current_version_id'),
});

export const apiKeys = pgTable('api_keys', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  secretHash: text('secret_hash').notNull().unique(),
  createdAt: ms('created_at').notNull(),
  revokedAt: ms('revoked_at'),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    at: ms('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    details: json('details'),
  },
  (t) => [index('audit_log_at').on(t.at)],
);
