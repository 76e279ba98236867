// Where the tests' PostgreSQL is, decided once per `vitest` run (vitest.config.ts asks and
// hands the answer to every test file as GLASSBOX_TEST_PG_FOUND), without importing vitest.
import pg from 'pg';

export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The skip line, printed once by whoever decided there is no PostgreSQL. */
export const POSTGRES_SKIPPED = 'PostgreSQL tests skipped: GLASSBOX_TEST_PG is unset and nothing answers on 127.0.0.1:5432';

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

/**
 * GLASSBOX_TEST_PG, else the local server if it answers within half a second, else null.
 * A GLASSBOX_TEST_PG that does not answer is an error, not a skip: whoever set it wants
 * these tests run.
 */
export async function findTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const asked = env.GLASSBOX_TEST_PG;
  if (asked) {
    if (!(await answers(asked, 5000))) throw new Error(`GLASSBOX_TEST_PG (${asked.replace(/:[^:@/]*@/, ':***@')}) does not answer`);
    return asked;
  }
  return (await answers(LOCAL_POSTGRES, 500)) ? LOCAL_POSTGRES : null;
}
