// PostgreSQL for tests: the server named by GLASSBOX_TEST_PG, else the local one on
// 127.0.0.1:5432 if it answers quickly; without either, PostgreSQL tests are skipped with
// one line saying so (npm test passes on a machine without PostgreSQL). Each test file gets
// its own temporary database, created before its tests and dropped after, failed or not,
// as a copy of a template database migrated once per version of drizzle/postgres
// (CREATE DATABASE … TEMPLATE: ~0.2-0.35 s, against 0.5-1.4 s to create and migrate).
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePostgres, PG_MIGRATIONS_DIR } from '../../src/store/postgres/client.js';
import { findTestPostgres, POSTGRES_SKIPPED } from './find-postgres.js';

/** A database URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let found: Promise<string | null> | undefined;

/**
 * The URL of a database to create test databases from, or null when there is no
 * PostgreSQL. Under vitest the config decided once (GLASSBOX_TEST_PG_FOUND, and printed
 * the one skip line); run otherwise, this asks itself.
 */
export function testPostgres(): Promise<string | null> {
  found ??= (async () => {
    const decided = process.env.GLASSBOX_TEST_PG_FOUND;
    if (decided !== undefined) return decided || null;
    const url = await findTestPostgres();
    if (!url) console.log(POSTGRES_SKIPPED);
    return url;
  })();
  return found;
}

export interface TempDatabase {
  /** the temporary database's URL */
  url: string;
  name: string;
}

const TEMPLATE_PREFIX = 'glassbox_tpl_';
const BUILDING_PREFIX = 'glassbox_tplb_';
/** Held (exclusively, on the admin database) while a template is looked for, built or dropped. */
const TEMPLATE_LOCK = 0x676c6173737470n; // "glasstp"

/** 12 hex digits of sha256 over drizzle/postgres (file names and contents): the template's version. */
function migrationsHash(dir = PG_MIGRATIONS_DIR): string {
  const h = createHash('sha256');
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const f of walk(dir).sort()) h.update(`${relative(dir, f)}\0`).update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 12);
}

/** The advisory-lock key a template's users hold shared: its hash as a number (48 bits). */
const inUseKey = (hash: string) => BigInt(`0x${hash}`).toString();

/**
 * The name of the template database of these migrations, built if missing. `admin` keeps a
 * shared lock on it until it disconnects, so that a run with other migrations (another
 * worktree on the same server), which drops the templates nobody uses, leaves it alone.
 */
async function migratedTemplate(admin: pg.Client, adminUrl: string): Promise<string> {
  const hash = migrationsHash();
  const name = `${TEMPLATE_PREFIX}${hash}`;
  await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK.toString()]);
  try {
    await admin.query('SELECT pg_advisory_lock_shared($1)', [inUseKey(hash)]);
    const dbs = (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'glassbox\\_tpl%'`)).rows.map((r) => r.datname);
    for (const db of dbs) {
      if (db === name) continue;
      // a half-built template is a builder's that died (builders hold TEMPLATE_LOCK); a stale one is dropped once unused
      const stale = db.startsWith(TEMPLATE_PREFIX) ? db.slice(TEMPLATE_PREFIX.length) : null;
      if (stale !== null && !/^[0-9a-f]{12}$/.test(stale)) continue;
      if (stale !== null && !(await admin.query('SELECT pg_try_advisory_lock($1) AS ok', [inUseKey(stale)])).rows[0].ok) continue;
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      } finally {
        if (stale !== null) await admin.query('SELECT pg_advisory_unlock($1)', [inUseKey(stale)]);
      }
    }
    if (!dbs.includes(name)) {
      const building = `${BUILDING_PREFIX}${hash}`;
      await admin.query(`CREATE DATABASE ${building}`);
      const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, building), max: 1 });
      try {
        await migratePostgres(pool);
      } finally {
        await pool.end();
      }
      // renamed only once complete: a template never lacks a migration its hash claims
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    }
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK.toString()]);
  }
}

/**
 * Creates glassbox_t_<random> on the server of `adminUrl`: migrated (a copy of the template),
 * or `empty` for a test of the migrations themselves.
 */
export async function createTempDatabase(adminUrl: string, opts: { empty?: boolean } = {}): Promise<TempDatabase & { drop(): Promise<void> }> {
  const name = `glassbox_t_${randomBytes(6).toString('hex')}`;
  // kept open until drop: it holds the template's in-use lock
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const template = opts.empty ? null : await migratedTemplate(admin, adminUrl);
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } catch (err) {
    await admin.end();
    throw err;
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      try {
        // FORCE: a connection a failed test left open must not keep the database alive
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * Registers beforeAll/afterAll hooks (call it inside a describe that is skipped when
 * `adminUrl` is null) giving the file a temporary database, migrated unless `empty`,
 * dropped after its tests.
 */
export function useTempDatabase(adminUrl: string | null, opts: { empty?: boolean } = {}): TempDatabase {
  const db: TempDatabase = { url: '', name: '' };
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const t = await createTempDatabase(adminUrl!, opts);
    db.url = t.url;
    db.name = t.name;
    drop = t.drop;
  });
  afterAll(async () => {
    await drop?.();
  });
  return db;
}
