// SlackSeenRepo on SQLite: one small table, pruned on every claim.
import type { SlackSeenRepo } from '../ports/slack-seen.js';
import type { SqliteContext } from './context.js';

/** The SQLite slack_seen repository. */
export function sqliteSlackSeen({ sqlite, tx, statement }: SqliteContext): SlackSeenRepo {
  const claim = sqlite.transaction((hash: string, now: number, expiresAt: number) => {
    statement('DELETE FROM slack_seen WHERE expires_at <= ?').run(now);
    return statement('INSERT INTO slack_seen (hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(hash, expiresAt).changes === 1;
  });
  return {
    claim: (hash, now, expiresAt) => tx.exec(() => claim.immediate(hash, now, expiresAt)),
    count: () => tx.exec(() => statement<[], { n: number }>('SELECT count(*) AS n FROM slack_seen').get()!.n),
  };
}
