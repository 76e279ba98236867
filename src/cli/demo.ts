// `glassbox demo [--reset]`: fills the configured database with the demo and says what to
// try next. The clock comes from the caller: main.ts passes the system clock's now, tests
// a fixed instant.
import { performance } from 'node:perf_hooks';
import { openAnyStore } from '../store/open-store.js';
import { describePostgresUrl, isPostgresUrl } from '../store/postgres/url.js';
import { createLogger, type Logger } from '../log.js';
import { DEMO_MODELS, runDemoScenario, type DemoOutcome } from '../demo/run.js';
import { nextStepsText } from '../demo/next-steps.js';
import { progressFor, silentProgress } from '../demo/progress.js';

export interface RunDemoOptions {
  /** GLASSBOX_DB: a SQLite file or a PostgreSQL URL */
  dbPath: string;
  /** delete the demo models first */
  reset: boolean;
  /** where the progress and the closing message go */
  out: NodeJS.WritableStream;
  /** the present, epoch ms: the simulated traffic ends here */
  now: number;
  /** the server's base URL for the printed examples (default http://127.0.0.1:4000) */
  url?: string;
  log?: Logger;
  /** false: no progress output (tests) */
  progress?: boolean;
}

const DEFAULT_DB = './data/glassbox.db';

/** GLASSBOX_DB as printed: a PostgreSQL URL's password masked. */
const shownDb = (db: string) => (isPostgresUrl(db) ? describePostgresUrl(db) : db);

function serveHint(dbPath: string): string {
  dbPath = shownDb(dbPath);
  return dbPath === DEFAULT_DB ? 'npm start   (or: npx glassbox serve)' : `GLASSBOX_DB=${dbPath} npm start   (or: GLASSBOX_DB=${dbPath} npx glassbox serve)`;
}

/**
 * Creates the demo in `dbPath` (migrating it first) and prints what to try next. With
 * demo models already there and no `reset`, changes nothing and says so. Closes the
 * database before returning, also on failure.
 */
export async function runDemo(opts: RunDemoOptions): Promise<DemoOutcome> {
  const { out } = opts;
  const url = (opts.url ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const started = performance.now();
  // Demo data is recreated by a rerun, so one fsync per commit buys nothing here; the
  // server reopens a SQLite file with synchronous=FULL.
  const store = await openAnyStore(opts.dbPath, { synchronous: 'NORMAL' });
  try {
    out.write(`${opts.reset ? 'Recreating' : 'Creating'} the Glassbox demo in ${shownDb(opts.dbPath)}\n`);
    const outcome = await runDemoScenario(store, opts.log ?? createLogger('warn'), {
      now: opts.now,
      reset: opts.reset,
      progress: opts.progress === false ? silentProgress() : progressFor(out),
    });
    if (outcome.status === 'exists') {
      out.write(
        `The demo is already there (${outcome.models.join(', ')}); nothing changed.\n` +
          `Start the server with: ${serveHint(opts.dbPath)}\n` +
          `Or start over, deleting ${DEMO_MODELS.join(' and ')} with everything attached: npm run demo -- --reset   (or: npx glassbox demo --reset)\n`,
      );
      return outcome;
    }
    if (outcome.replacedPartial) out.write('Found a partial demo (an earlier run stopped before it was complete): it was deleted and built again.\n');
    out.write(nextStepsText(outcome.summary, `${url}/graphql`, serveHint(opts.dbPath)));
    out.write(`(done in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    return outcome;
  } finally {
    await store.close();
  }
}
