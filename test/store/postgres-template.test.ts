// The test databases' template (test/helpers/postgres.ts): each file's database is a copy of
// one migrated per version of drizzle/postgres; templates of other versions are dropped once
// no run uses them. Skipped, with one line, without PostgreSQL.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempDatabase, testPostgres } from '../helpers/postgres.js';

const admin = await testPostgres();

describe.skipIf(admin === null)('the template of the test databases', () => {
  const c = new pg.Client({ connectionString: admin ?? undefined });
  afterAll(async () => {
    await c.query('DROP DATABASE IF EXISTS glassbox_tpl_0000000000aa WITH (FORCE)').catch(() => {});
    await c.end();
  });
  const exists = async (name: string) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;

  it('is migrated; stale and half-built ones are dropped, one another run still uses is kept', async () => {
    await c.connect();
    for (const n of ['glassbox_tpl_000000000000', 'glassbox_tplb_0000000000ff', 'glassbox_tpl_0000000000aa']) {
      await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${n}`);
    }
    // what a run of the 0000000000aa migrations holds while its files run
    await c.query('SELECT pg_advisory_lock_shared($1)', [BigInt('0x0000000000aa').toString()]);
    const t = await createTempDatabase(admin!);
    try {
      expect(await exists('glassbox_tpl_000000000000')).toBe(false);
      expect(await exists('glassbox_tplb_0000000000ff')).toBe(false);
      expect(await exists('glassbox_tpl_0000000000aa')).toBe(true);
      const db = new pg.Client({ connectionString: t.url });
      await db.connect();
      try {
        const applied = (await db.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).rows[0].n;
        const journal = (await import('../../drizzle/postgres/meta/_journal.json', { with: { type: 'json' } })).default;
        expect(applied).toBe(journal.entries.length);
        expect((await db.query(`SELECT to_regclass('public.models') IS NOT NULL AS ok`)).rows[0].ok).toBe(true);
      } finally {
        await db.end();
      }
    } finally {
      await t.drop();
    }
  });
});
