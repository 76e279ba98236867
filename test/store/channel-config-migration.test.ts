// The migration that moves each channel's kind-specific columns into its JSON config:
// channels made before it are the same channels after it (secrets included), and reach
// their notifiers as they did.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openStore } from '../../src/db/client.js';
import { migratePostgres, PG_MIGRATIONS_DIR, survivingLostConnections } from '../../src/store/postgres/client.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { listChannels } from '../../src/services/channels.js';
import { fixedClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';

const dir = mkdtempSync(join(tmpdir(), 'channel-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const admin = await testPostgres();

/** A store's migrations folder as it was before the channel config migration (`tag` on). */
function migrationsBefore(from: string, tag: string): string {
  const out = join(dir, tag);
  cpSync(from, out, { recursive: true });
  const journalPath = join(out, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return out;
}

describe('channel config migration', () => {
  it('moves slackChannel, webhookUrl and webhookSecret into config, leaving out what was NULL', async () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: migrationsBefore(MIGRATIONS_DIR, '0007_channel_config') });
    const add = old.prepare('INSERT INTO channels (name, kind, slack_channel, webhook_url, webhook_secret, created_at) VALUES (?, ?, ?, ?, ?, 1)');
    add.run('team', 'SLACK', '#ml-team', null, null);
    add.run('hook', 'WEBHOOK', null, 'https://hooks.example.com/x?token=t', 'signing-secret-1');
    add.run('unsigned', 'WEBHOOK', null, 'http://127.0.0.1:9/hook', null);
    old.close();

    const store = openStore(path);
    try {
      const rows = store.sqlite.prepare('SELECT name, config FROM channels ORDER BY name').all() as Array<{ name: string; config: string }>;
      expect(rows.map((r) => [r.name, JSON.parse(r.config)])).toEqual([
        ['hook', { webhookUrl: 'https://hooks.example.com/x?token=t', webhookSecret: 'signing-secret-1' }],
        ['team', { slackChannel: '#ml-team' }],
        ['unsigned', { webhookUrl: 'http://127.0.0.1:9/hook' }],
      ]);
      const cols = (store.sqlite.prepare('PRAGMA table_info(channels)').all() as Array<{ name: string }>).map((c) => c.name);
      expect(cols).not.toContain('webhook_secret');
      const deps = { store, clock: fixedClock(0), log: createLogger('silent') };
      expect((await listChannels(deps)).map((c) => [c.name, c.kind, c.slackChannel, c.webhookUrl])).toEqual([
        ['hook', 'WEBHOOK', null, 'https://hooks.example.com/x?token=t'],
        ['team', 'SLACK', '#ml-team', null],
        ['unsigned', 'WEBHOOK', null, 'http://127.0.0.1:9/hook'],
      ]);
    } finally {
      store.close();
    }
  });
});

describe.skipIf(admin === null)('channel config migration on PostgreSQL', () => {
  const db = useTempDatabase(admin, { empty: true }); // migrated step by step below
  it('moves the columns into config the same way', async () => {
    const pool = survivingLostConnections(new pg.Pool({ connectionString: db.url }));
    try {
      await migratePostgres(pool, migrationsBefore(PG_MIGRATIONS_DIR, '0004_channel_config'));
      const add = 'INSERT INTO channels (name, kind, slack_channel, webhook_url, webhook_secret, created_at) VALUES ($1, $2, $3, $4, $5, 1)';
      await pool.query(add, ['team', 'SLACK', '#ml-team', null, null]);
      await pool.query(add, ['hook', 'WEBHOOK', null, 'https://hooks.example.com/x?token=t', 'signing-secret-1']);
      await migratePostgres(pool);
      const { rows } = await pool.query('SELECT name, config FROM channels ORDER BY name');
      expect(rows).toEqual([
        { name: 'hook', config: { webhookUrl: 'https://hooks.example.com/x?token=t', webhookSecret: 'signing-secret-1' } },
        { name: 'team', config: { slackChannel: '#ml-team' } },
      ]);
    } finally {
      await pool.end();
    }
  });
});
