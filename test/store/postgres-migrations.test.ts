// The PostgreSQL store's migrations (drizzle/postgres): they build every table of the
// SQLite schema with the same columns, partition events, apply once however many replicas
// start together, and `glassbox migrate` runs them. Skipped, with one line, without PostgreSQL.
import { spawnSync } from 'node:child_process';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import * as sqliteSchema from '../../src/db/schema/index.js';
import { openPostgres, survivingLostConnections } from '../../src/store/postgres/client.js';
import { ensureEventPartitions } from '../../src/store/postgres/partitions.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';

const admin = await testPostgres();
const DAY = 86_400_000;

const glassbox = (args: string[], db: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    env: { ...process.env, GLASSBOX_DB: db, PORT: '0' },
    encoding: 'utf8',
    timeout: 30_000,
  });

/** What a SQLite column type becomes in PostgreSQL. */
const PG_TYPES: Record<string, string[]> = {
  integer: ['integer', 'bigint', 'boolean'],
  real: ['double precision'],
  text: ['text', 'json', 'jsonb'],
  blob: ['bytea'],
};

describe('glassbox serve on PostgreSQL', () => {
  it('says in one line which database it could not open, its password masked, and why', () => {
    const r = glassbox(['serve'], 'postgres://nobody:s3cret@127.0.0.1:1/none');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^glassbox: cannot open the PostgreSQL database postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
    expect(r.stderr).not.toContain('s3cret');
  });
});

describe.skipIf(admin === null)('the PostgreSQL migrations', () => {
  const db = useTempDatabase(admin, { empty: true });
  let pool: pg.Pool | undefined;
  afterAll(async () => {
    await pool?.end();
  });

  it('apply to an empty database once when two replicas start together, and again change nothing', async () => {
    const [a, b] = await Promise.all([openPostgres(db.url), openPostgres(db.url)]);
    await Promise.all([a.close(), b.close()]);
    pool = survivingLostConnections(new pg.Pool({ connectionString: db.url }));
    const applied = async () => (await pool!.query('SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id')).rows;
    const first = await applied();
    const journal = (await import('../../drizzle/postgres/meta/_journal.json', { with: { type: 'json' } })).default;
    expect(first).toHaveLength(journal.entries.length);
    await (await openPostgres(db.url)).close();
    expect(await applied()).toEqual(first);
  });

  it('create every SQLite table with the same columns (types mapped), plus event_keys and instances', async () => {
    const cols = await pool!.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const pgTables = new Map<string, Map<string, string>>();
    for (const c of cols.rows) {
      if (/^events_m/.test(c.table_name)) continue;
      if (!pgTables.has(c.table_name)) pgTables.set(c.table_name, new Map());
      pgTables.get(c.table_name)!.set(c.column_name, c.data_type);
    }
    const sqliteTables = (Object.values(sqliteSchema).filter((t) => t instanceof SQLiteTable) as SQLiteTable[]).map((t) => getTableConfig(t));
    expect(sqliteTables.length).toBeGreaterThan(10);
    for (const t of sqliteTables) {
      const mirror = pgTables.get(t.name);
      expect(mirror, t.name).toBeDefined();
      expect([...mirror!.keys()].sort(), t.name).toEqual(t.columns.map((c) => c.name).sort());
      for (const c of t.columns) expect(PG_TYPES[c.getSQLType()], `${t.name}.${c.name}`).toContain(mirror!.get(c.name));
    }
    expect([...pgTables.keys()].filter((n) => !sqliteTables.some((t) => t.name === n)).sort()).toEqual(['event_keys', 'instances']);
  });

  it('partition events by model, then by UTC day, partitions made on demand and idempotently', async () => {
    const model = await pool!.query<{ id: number }>(
      `INSERT INTO models (name, task, features, created_at, updated_at) VALUES ('m', 'BINARY_CLASSIFICATION', '[]', 0, 0) RETURNING id`,
    );
    const id = model.rows[0]!.id;
    const kinds = await pool!.query(
      `SELECT c.relname, p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY c.relname`,
    );
    expect(kinds.rows).toEqual([{ relname: 'events', partstrat: 'l' }]);
    const day = Date.UTC(2026, 11, 3);
    await expect(pool!.query(`INSERT INTO events (model_id, event_id, ts, features) VALUES ($1, 'e', $2, '{}')`, [id, day])).rejects.toThrow(
      /no partition/,
    );
    // replicas asking for the same partitions at once (each pool knows nothing yet)
    const days = Array.from({ length: 12 }, (_, i) => day + (i - 10) * DAY);
    const replicas = Array.from({ length: 4 }, () => survivingLostConnections(new pg.Pool({ connectionString: db.url, max: 2 })));
    try {
      await Promise.all(replicas.flatMap((p) => [p.query('SELECT 1'), p.query('SELECT 1')]));
      await Promise.all(replicas.flatMap((p, i) => [ensureEventPartitions(p, id, i % 2 ? days : [...days].reverse()), ensureEventPartitions(p, id, days.slice(i))]));
    } finally {
      await Promise.all(replicas.map((p) => p.end()));
    }
    await pool!.query(`SELECT glassbox_event_partition($1, $2)`, [id, day]);
    await pool!.query(`INSERT INTO events (model_id, event_id, ts, features) VALUES ($1, 'e', $2, '{}')`, [id, day + DAY - 1]);
    const where = await pool!.query(`SELECT tableoid::regclass::text AS part FROM events`);
    expect(where.rows).toEqual([{ part: `events_m${id}_d20261203` }]);
    const tree = await pool!.query(`SELECT relid::text, parentrelid::text, level FROM pg_partition_tree('events') ORDER BY level, relid::text`);
    expect(tree.rows).toEqual([
      { relid: 'events', parentrelid: null, level: 0 },
      { relid: `events_m${id}`, parentrelid: 'events', level: 1 },
      ...days.map((d) => ({ relid: `events_m${id}_d${new Date(d).toISOString().slice(0, 10).replace(/-/g, '')}`, parentrelid: `events_m${id}`, level: 2 })),
    ]);
    await expect(pool!.query(`SELECT glassbox_event_partition($1, $2)`, [id, day + 1])).rejects.toThrow(/not the start of a UTC day/);
  });

  it('glassbox migrate applies them to GLASSBOX_DB=postgres://… (nothing left to apply here)', () => {
    const r = glassbox(['migrate'], db.url);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`migrated ${db.url}\n`);
  });
});
