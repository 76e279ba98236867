// The composition root: builds every part from a Config, so main.ts and the tests start
// the very same server. Nothing here runs at import time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { isLoopback } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { createLogger, type Logger } from './log.js';
import type { OpenStore } from './store/port.js';
import { openAnyStore } from './store/open-store.js';
import type { Deps } from './services/deps.js';
import { createHttpMetrics } from './http/metrics.js';
import { createHttpApp, type Mount } from './http/app.js';
import { mountIngestRoutes } from './http/ingest-routes.js';
import { mountReportRoute } from './http/report-route.js';
import { startApollo } from './graphql/server.js';
import { inLocalMode, type AppServices, type AuthSettings } from './graphql/context.js';
import { createSlackApp, slackConfigured, slackStartupNote } from './slack/app.js';
import { startJobs, type Jobs } from './jobs/start.js';
import { startCompaction, type Compaction } from './jobs/compact-stats.js';
import { createWebhookNotifier } from './notify/webhook.js';
import type { Notifiers } from './services/notifier.js';
import { instanceName } from './services/instances.js';
import { startHeartbeat } from './jobs/heartbeat.js';
import { describePostgresUrl, isPostgresUrl } from './store/postgres/url.js';

export interface GlassboxOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  /** an already open store (tests); otherwise config.dbPath (GLASSBOX_DB) is opened and migrated */
  store?: OpenStore;
  /** extra routes (tests) */
  mounts?: Mount[];
  /** how often the outbox is drained; default 2 s */
  deliveryIntervalMs?: number;
}

export interface Glassbox {
  url: string;
  port: number;
  deps: Deps;
  services: AppServices;
  server: Server;
  /** the monitors' cron tasks and the delivery loop */
  jobs: Jobs;
  /** the statistics compaction loop (GLASSBOX_COMPACT_INTERVAL_MS) */
  compaction: Compaction;
  /** stops accepting, drains in-flight requests, stops jobs, closes the database */
  close(): Promise<void>;
}

/** Starts Glassbox on config.host:config.port (0 = any free port). */
export async function startGlassbox(opts: GlassboxOptions): Promise<Glassbox> {
  const log = opts.log ?? createLogger(opts.config.logLevel);
  const clock = opts.clock ?? systemClock();
  if (opts.store) return startOn(opts, opts.store, log, clock);
  const store = await openAnyStore(opts.config.dbPath);
  try {
    return await startOn(opts, store, log, clock);
  } catch (err) {
    // a start that fails leaves no pool or file handle behind (the caller may go on: tests)
    await store.close();
    throw err;
  }
}

async function startOn(opts: GlassboxOptions, store: OpenStore, log: Logger, clock: Clock): Promise<Glassbox> {
  const { config } = opts;
  // metric queries on the store's read workers (in process when it has none for this database)
  const reads = config.readWorkers > 0 ? store.data.openReader({ workers: config.readWorkers, log }) : undefined;
  const instance = instanceName(config.instance);
  const deps: Deps = { store, clock, log, instance, ...(reads ? { reads } : {}) };
  const services: AppServices = { retentionDays: config.retentionDays, instance };
  const auth: AuthSettings = {
    adminKey: config.adminKey,
    localModeAllowed: !config.adminKey && isLoopback(config.host),
    introspection: config.introspection,
  };
  // batches a previous process committed but had not written statistics for (kill -9)
  await store.data.recoverStopped(clock.now());
  const metrics = createHttpMetrics();
  const apollo = await startApollo({ metrics, log });
  const stoppers: Array<() => Promise<void> | void> = [];

  const slack = slackConfigured(config) ? createSlackApp(deps, config) : null;
  if (slack) services.slack = slack;

  const mounts: Mount[] = [mountIngestRoutes, mountReportRoute, ...(slack ? [slack.mount] : []), ...(opts.mounts ?? [])];
  const app = createHttpApp({ deps, services, auth, log, metrics, maxBodyBytes: config.maxBodyBytes, apollo, ide: config.ide }, mounts);
  const server = createServer(app);
  server.requestTimeout = 0; // NDJSON uploads may stream for minutes
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  await inLocalMode(deps, auth); // says so at start when in local mode; later changes are logged as they happen
  log.info({ url, db: isPostgresUrl(config.dbPath) ? describePostgresUrl(config.dbPath) : config.dbPath, store: store.kind, instance }, 'glassbox listening');
  log.info(slackStartupNote(config));
  if (slack) {
    await slack.start();
    stoppers.push(() => slack.stop());
  }

  const notifiers: Notifiers = { WEBHOOK: createWebhookNotifier({ clock }), ...(slack ? { SLACK: slack.notifier } : {}) };
  services.notifiers = notifiers;
  const jobs = startJobs(deps, {
    scheduler: config.scheduler,
    notifiers,
    retentionDays: config.retentionDays,
    ...(opts.deliveryIntervalMs ? { deliveryIntervalMs: opts.deliveryIntervalMs } : {}),
  });
  stoppers.push(() => jobs.stop()); // stopped before the store closes: a run in progress finishes first
  if (!config.scheduler) log.info('GLASSBOX_SCHEDULER=off: monitors run only on request (evaluateMonitor); notifications are still delivered');

  const compaction = startCompaction(deps, config.compactIntervalMs ?? 30_000);
  stoppers.push(() => compaction.stop());

  const heartbeat = startHeartbeat(deps, instance);
  stoppers.push(() => heartbeat.stop());

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      for (const stop of stoppers.reverse()) await stop();
      await apollo.stop();
      await reads?.close();
      await store.close();
    })());

  return { url, port, deps, services, server, jobs, compaction, close };
}
