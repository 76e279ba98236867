import { defineConfig, type TestProjectInlineConfiguration, type ViteUserConfig } from 'vitest/config';
import { findTestPostgres, POSTGRES_SKIPPED } from './test/helpers/find-postgres.js';

// One suite, both stores: the `sqlite` project runs every test file on SQLite, then the
// `postgres` project runs them again on PostgreSQL (GLASSBOX_TEST_STORE, read by
// test/helpers/test-store.ts; each test makes and drops its own database). Without
// PostgreSQL (GLASSBOX_TEST_PG unset, nothing on 127.0.0.1:5432) the second run is skipped
// with one line. GLASSBOX_TEST_STORE=sqlite|postgres (or --project) runs one of them.

/** Files that open no store: run once, in the sqlite project. */
const STORE_FREE = [
  'test/domain/**',
  'test/charts/**',
  'test/config/rule-tests.test.ts',
  'test/config/schema.test.ts',
  'test/demo/traffic.test.ts',
  'test/foundation/import-cycles.test.ts',
  'test/foundation/redact.test.ts',
  'test/hardening/limits-doc.test.ts',
  'test/ingest/domain.test.ts',
  'test/monitors/windows.test.ts',
  'test/slack/blocks.test.ts',
  'test/slack/delivery.test.ts',
  'test/slack/verify.test.ts',
  'test/store/partial-stats-by-slice.test.ts',
  'test/store/copy-text.test.ts',
];
/**
 * The console in a browser: it talks GraphQL only, so the store behind it is the API tests'
 * business; run once (on SQLite) to keep CI short.
 */
const BROWSER = ['test/console/**'];
/** Tests of one adapter: its name says which (test/store/, or a `-postgres` counterpart beside its SQLite test). */
/** …and several replicas on one PostgreSQL database (test/replicas/: they open theirs, whatever the run's store). */
const POSTGRES_ADAPTER = ['test/store/*postgres*.test.ts', 'test/**/*-postgres.test.ts', 'test/replicas/**'];
const SQLITE_ADAPTER = ['test/store/*sqlite*.test.ts', 'test/store/channel-config-migration.test.ts'];
/**
 * Tests of the SQLite adapter's own machinery, outside test/store/, and why. A test of
 * behaviour belongs to both stores; one of how SQLite does it (its tables read by SQL, its
 * in-memory head, its worker threads) only to SQLite. Tests within a file kept to SQLite
 * say so beside them (`onSqlite`, test/helpers/test-store.ts).
 */
const SQLITE_INTERNALS: Record<string, string> = {
  'test/services/stats.test.ts': "the SQLite statistics store against its own raw rows (statsFromEvents' SQL)",
  'test/services/stats-head.test.ts': "SQLite's stats head: statistics an ingest call holds in memory",
  'test/services/compaction.test.ts': "SQLite's compaction steps (hours with partials, stats hints), called one by one",
  'test/services/long-windows.test.ts': 'windows read by the SQLite reader over its statistics tables',
  'test/services/read-workers.test.ts': "SQLite's read workers: threads with their own read-only connections",
  'test/ingest/compaction-crash.test.ts': "SQLite's compaction killed mid-step, its tables counted from outside the process",
  'test/ingest/open-transaction.test.ts': "better-sqlite3's one connection: a batch waits for another caller's open transaction",
};

export default defineConfig(async (): Promise<ViteUserConfig> => {
  const only = process.env.GLASSBOX_TEST_STORE;
  if (only !== undefined && only !== 'sqlite' && only !== 'postgres') throw new Error(`GLASSBOX_TEST_STORE=${JSON.stringify(only)}: must be sqlite or postgres (unset: both)`);
  // vitest may load this file more than once per run: the first load decides (and says so), the others reuse it
  const decided = process.env.GLASSBOX_TEST_PG_FOUND;
  const pg = decided !== undefined ? decided || null : only === 'sqlite' ? null : await findTestPostgres();
  if (only === 'postgres' && !pg) throw new Error('GLASSBOX_TEST_STORE=postgres, and no PostgreSQL answers (GLASSBOX_TEST_PG, or 127.0.0.1:5432)');
  if (only === undefined && !pg && decided === undefined) console.log(POSTGRES_SKIPPED);
  process.env.GLASSBOX_TEST_PG_FOUND = pg ?? '';
  // every test file reads the decision instead of probing again (and printing the line again)
  const env = { GLASSBOX_TEST_PG_FOUND: pg ?? '' };
  const sqlite: TestProjectInlineConfiguration = { extends: true, test: { name: 'sqlite', env: { ...env, GLASSBOX_TEST_STORE: 'sqlite' }, exclude: POSTGRES_ADAPTER, sequence: { groupOrder: 0 } } };
  const postgres: TestProjectInlineConfiguration = {
    extends: true,
    test: { name: 'postgres', env: { ...env, GLASSBOX_TEST_STORE: 'postgres' }, exclude: [...STORE_FREE, ...BROWSER, ...SQLITE_ADAPTER, ...Object.keys(SQLITE_INTERNALS)], sequence: { groupOrder: 1 } },
  };
  return {
    // Node loads graphql's CommonJS build (its package has no "exports"); Vite would pick the
    // .mjs one, and two copies of graphql refuse to share a schema.
    resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      // one line per store at the end: passed, failed, skipped, wall time
      reporters: ['default', './test/helpers/store-totals.ts'],
      projects: [...(only !== 'postgres' ? [sqlite] : []), ...(pg && only !== 'sqlite' ? [postgres] : [])],
    },
  };
});
