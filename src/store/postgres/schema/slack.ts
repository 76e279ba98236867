// The PostgreSQL mirror of src/db/schema/slack.ts: Slack replay keys, shared by replicas.
import { pgTable, bigint, text, index } from 'drizzle-orm/pg-core';

export const slackSeen = pgTable(
  'slack_seen',
  {
    hash: text('hash').primaryKey(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('slack_seen_expires_at').on(t.expiresAt)],
);
