#!/usr/bin/env node
// The glassbox command: serve (default), migrate, demo, ingest, backup, apply, export, test.
import { Command } from 'commander';
import { ConfigError, ENV_VARS, loadConfig, type Config } from './config.js';
import { VERSION } from './version.js';
import { openAnyStore } from './store/open-store.js';
import { isPostgresUrl, describePostgresUrl } from './store/postgres/url.js';
import { startGlassbox } from './server.js';
import { createLogger } from './log.js';
import { ingestCommand } from './cli/ingest.js';
import { runDemo } from './cli/demo.js';
import { configCommands } from './cli/config.js';
import { backupCommand } from './cli/backup.js';
import { systemClock } from './clock.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`glassbox: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

async function serve(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const gb = await startGlassbox({ config, log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, draining the ones in flight');
    const force = setTimeout(() => {
      log.error('shutdown took over 30 s; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    gb.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err) => {
        log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The environment variables, as `serve --help` lists them (from config.ts's one table). */
function envHelp(): string {
  const plain = (t: string) => t.replace(/`/g, '').replace(/\[([^\]]+)\]\([^)]+\)/g, '$1');
  const width = Math.max(...ENV_VARS.map((v) => v.name.length));
  const lines = ENV_VARS.map((v) => `  ${v.name.padEnd(width)}  ${plain(v.meaning)} (default: ${plain(v.default)})`);
  return `\nEnvironment variables:\n${lines.join('\n')}\n`;
}

const program = new Command()
  .name('glassbox')
  .description('Glassbox: model performance management for ML models in production')
  .version(VERSION, '-V, --version', 'print the version and exit');

program
  .command('serve', { isDefault: true })
  .description('start the server (GraphQL, REST ingest, Slack), configured by the environment')
  .addHelpText('after', envHelp())
  .action(serve);

program
  .command('migrate')
  .description('apply database migrations to GLASSBOX_DB and exit')
  .action(async () => {
    const config = configOrExit();
    const store = await openAnyStore(config.dbPath, { max: 1 });
    await store.close();
    process.stdout.write(`migrated ${isPostgresUrl(config.dbPath) ? describePostgresUrl(config.dbPath) : config.dbPath}\n`);
  });

program.addCommand(ingestCommand());
program.addCommand(backupCommand());
// configuration as code: the client reads GLASSBOX_URL, GLASSBOX_API_KEY and the ${VAR}s of its file
for (const c of configCommands(process.env)) program.addCommand(c);

program
  .command('demo')
  .description('create two example models with 14 days of drifting traffic, monitors and alerts in GLASSBOX_DB')
  .option('--reset', 'delete the demo models and their data first, then create them again')
  .action(async (o: { reset?: boolean }) => {
    const config = configOrExit();
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
    await runDemo({ dbPath: config.dbPath, reset: o.reset === true, out: process.stdout, now: systemClock().now(), url });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`glassbox: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
