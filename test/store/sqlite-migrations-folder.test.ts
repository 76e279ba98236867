// The SQLite migrations moved from drizzle/ to drizzle/sqlite/ (issue 11). drizzle's migrator
// records each applied migration by content hash and journal time: databases made before
// the move must see the same files, so that nothing re-runs and none diverges.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openStore } from '../../src/db/client.js';

/** What databases migrated by drizzle/ before the move recorded (tag, journal time, sha256). */
const BEFORE_THE_MOVE: Array<[string, number, string]> = [
  ['0000_init', 1795935727213, '6292dbe0f4a72a38d53f59f9f63cf22213d8b24500b9250480442efbb87a23a5'],
  ['0001_living_azazel', 1795935902635, 'a642fa343a8a0960203027ad7d6e3177dfd0ad01bcf2d96c22cb2b06aa789c22'],
  ['0002_supreme_ares', 1795936169665, '2384d2e29cc650db69baa8aa0a0abac6d261e4d22c4c2be060bba9180600747b'],
  ['0003_fresh_tana_nile', 1795937936288, 'b14c2dccceb20bcaf8be41eed0b4bf517f6edc82d5c4803b3465b9619f8bc29c'],
  ['0004_loud_sway', 1796236514751, '8b404c66081a4a246305a95290458094f0e44188acbaaf2a5f8b7770dde6c45e'],
  ['0005_retention', 1796238290257, 'd2ede67d2df0460e1094788e900519078313eacc510f6da88e83a13111c2ed61'],
  ['0006_tan_wendell_vaughn', 1796239118963, '4e09cd611fa2a236c8ab19efea64f1276f60977a0d31c3b7ac89c0f14c96b1c5'],
];

const applied = (db: Database.Database) =>
  (db.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY id').all() as Array<{ hash: string; created_at: number }>).map(
    (r) => [r.hash, Number(r.created_at)],
  );

describe('the SQLite migrations in drizzle/sqlite/', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrate a database made before the move without re-running anything', () => {
    dir = mkdtempSync(join(tmpdir(), 'glassbox-moved-migrations-'));
    // the layout before the move: the same files in drizzle/, the journal of that time
    const old = join(dir, 'drizzle');
    cpSync(MIGRATIONS_DIR, old, { recursive: true });
    const journal = JSON.parse(readFileSync(join(old, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
    const total = journal.entries.length;
    journal.entries = journal.entries.slice(0, BEFORE_THE_MOVE.length);
    writeFileSync(join(old, 'meta', '_journal.json'), JSON.stringify(journal));
    const file = join(dir, 'old.db');
    const raw = new Database(file);
    migrate(drizzle(raw), { migrationsFolder: old });
    const before = applied(raw);
    raw.close();
    expect(before).toEqual(BEFORE_THE_MOVE.map(([, when, hash]) => [hash, when]));

    const store = openStore(file);
    try {
      const after = applied(store.sqlite);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after).toHaveLength(total);
    } finally {
      store.close();
    }
  });
});
