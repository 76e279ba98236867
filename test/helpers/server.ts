// Starts the real Glassbox server on an ephemeral port, with a fresh database of the run's
// store (test-store.ts: a SQLite file in a temp dir, or a temporary PostgreSQL database) and
// real migrations, a fixed clock and a silent logger.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { startGlassbox, type Glassbox } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './test-store.js';

export const T0 = Date.parse('2024-05-06T00:00:00Z');

export interface TestServer {
  url: string;
  gqlUrl: string;
  dir: string;
  /** GLASSBOX_DB: the SQLite file, or the temporary PostgreSQL database's URL */
  dbPath: string;
  /** the database, for a second server on it (a replica) */
  database: TestDatabase;
  gb: Glassbox;
  deps: Glassbox['deps'];
  clock: ReturnType<typeof fixedClock>;
  /** POST a GraphQL operation; returns the parsed body (data and errors) and status */
  gql<T = any>(query: string, variables?: Record<string, unknown>, key?: string): Promise<{ status: number; data: T; errors?: any[]; body: any }>;
  /** POST anything */
  post(path: string, body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; text: string; json: any }>;
  /** stops the server and drops its PostgreSQL database (if it made it); keeps the files unless `remove` */
  stop(remove?: boolean): Promise<void>;
  /** stops and starts again on the same database (same port not guaranteed) */
  restart(): Promise<TestServer>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  now?: number;
  dir?: string;
  /** a logger to read (default: silent) */
  log?: Logger;
  /** the database to use (a restart, a second server); default a fresh one, dropped by stop() */
  database?: TestDatabase;
  /** stop() drops `database` too (it always drops one it made) */
  ownsDatabase?: boolean;
}

/** A real server for a test file; call stop() in afterAll. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'glassbox-test-'));
  const database = opts.database ?? (await createTestDatabase(dir));
  const owns = opts.database === undefined || opts.ownsDatabase === true;
  const dbPath = database.db;
  // compaction only when a test asks (data.compact): the 30 s loop on a real timer once ran
  // into a long file's own passes (slices.test on PostgreSQL: its backfill claim made the
  // test's 50 passes skip the model and fail)
  const config: Config = loadConfig({ GLASSBOX_DB: dbPath, HOST: '127.0.0.1', PORT: '0', GLASSBOX_SCHEDULER: 'off', GLASSBOX_COMPACT_INTERVAL_MS: '0', LOG_LEVEL: 'silent', ...opts.env });
  const clock = fixedClock(opts.now ?? T0);
  let gb: Glassbox;
  try {
    gb = await startGlassbox({ config, clock, log: opts.log ?? silentLogger() });
  } catch (err) {
    if (owns) await database.drop();
    throw err;
  }
  const gqlUrl = `${gb.url}/graphql`;

  const post: TestServer['post'] = async (path, body, headers = {}) => {
    const res = await fetch(`${gb.url}${path}`, { method: 'POST', body, headers });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, text, json };
  };

  const ts: TestServer = {
    url: gb.url,
    gqlUrl,
    dir,
    dbPath,
    database,
    gb,
    deps: gb.deps,
    clock,
    post,
    async gql(query, variables, key) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const r = await post('/graphql', JSON.stringify({ query, variables }), headers);
      return { status: r.status, data: r.json?.data, errors: r.json?.errors, body: r.json };
    },
    async stop(remove = false) {
      try {
        await gb.close();
      } finally {
        if (owns) await database.drop();
      }
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await gb.close();
      return startTestServer({ ...opts, dir, database, ownsDatabase: owns, now: clock.now() });
    },
  };
  return ts;
}

/** The data of a GraphQL answer; throws with `what`, the status and the errors when there is none. */
export async function gqlOk(s: Pick<TestServer, 'gql'>, query: string, variables: Record<string, unknown> = {}, what = 'GraphQL', key?: string): Promise<any> {
  const r = await s.gql(query, variables, key);
  if (r.errors?.length || !r.data) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.errors ?? r.body)}`);
  return r.data;
}
