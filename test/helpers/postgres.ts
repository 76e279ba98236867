// PostgreSQL for tests: the server named by GLASSBOX_TEST_PG, else the local one on
// 127.0.0.1:5432 if it answers quickly; without either, PostgreSQL tests are skipped with
// one line saying so (npm test passes on a machine without PostgreSQL). Each test file gets
// its own temporary database, created before its tests and dropped after, failed or not.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function answers(url: string, timeoutMs: number): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

let found: Promise<string | null> | undefined;

/**
 * The URL of a database to create test databases from, or null (after printing the one
 * skip line) when there is no PostgreSQL. A GLASSBOX_TEST_PG that does not answer is an
 * error, not a skip: whoever set it wants these tests run.
 */
export function testPostgres(): Promise<string | null> {
  found ??= (async () => {
    const asked = process.env.GLASSBOX_TEST_PG;
    if (asked) {
      if (!(await answers(asked, 5000))) throw new Error(`GLASSBOX_TEST_PG (${asked.replace(/:[^:@/]*@/, ':***@')}) does not answer`);
      return asked;
    }
    if (await answers(LOCAL, 500)) return LOCAL;
    console.log('PostgreSQL tests skipped: GLASSBOX_TEST_PG is unset and nothing answers on 127.0.0.1:5432');
    return null;
  })();
  return found;
}

export interface TempDatabase {
  /** the temporary database's URL */
  url: string;
  name: string;
}

/** Creates glassbox_t_<random> on the server of `adminUrl`. */
export async function createTempDatabase(adminUrl: string): Promise<TempDatabase & { drop(): Promise<void> }> {
  const name = `glassbox_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        // FORCE: a connection a failed test left open must not keep the database alive
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Registers beforeAll/afterAll hooks (call it inside a describe that is skipped when
 * `adminUrl` is null) giving the file a temporary database, dropped after its tests.
 */
export function useTempDatabase(adminUrl: string | null): TempDatabase {
  const db: TempDatabase = { url: '', name: '' };
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const t = await createTempDatabase(adminUrl!);
    db.url = t.url;
    db.name = t.name;
    drop = t.drop;
  });
  afterAll(async () => {
    await drop?.();
  });
  return db;
}
