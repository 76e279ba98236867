// What Slack sent us lately, so that nothing it sent acts twice: the hash of each
// accepted request signature (a replay carries the same one) and of each button press
// (a duplicate press carries the same action). Rows expire with Slack's five-minute
// signature window and are pruned; in the database, so replicas share them.
import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

export const slackSeen = sqliteTable(
  'slack_seen',
  {
    /** sha256 hex of `sig:<x-slack-signature>` or `action:<team>:<user>:<action_id>:<action_ts>:<value>` */
    hash: text('hash').primaryKey(),
    /** epoch ms after which a replay of it is refused by its timestamp anyway */
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('slack_seen_expires_at').on(t.expiresAt)],
);
