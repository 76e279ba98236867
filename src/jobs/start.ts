// Starts the background work of a server: the monitors' cron tasks and the daily retention
// run (unless the scheduler is off) and the delivery loop (always: GLASSBOX_SCHEDULER=off
// stops evaluations and scheduled retention only; applyRetention still works).
import type { Deps } from '../services/deps.js';
import type { Notifiers } from '../services/notifier.js';
import type { EvaluateOptions } from '../services/evaluation.js';
import { releaseClaims } from '../services/outbox.js';
import { releaseWorkClaims } from '../services/instances.js';
import { listMonitors } from '../services/monitors.js';
import type { RetryPolicy } from '../domain/alerts/retry.js';
import { createMonitorScheduler, routeCronLogs, type MonitorScheduler } from './schedule.js';
import { catchUp, createEvaluationQueue } from './evaluate-monitors.js';
import { run as deliver, type DeliverReport } from './deliver-notifications.js';
import { due as retentionDue, run as runRetention, RETENTION_SCHEDULE } from './apply-retention.js';
import { cronTask } from './schedule.js';

export interface JobOptions extends EvaluateOptions {
  /** false when GLASSBOX_SCHEDULER=off */
  scheduler: boolean;
  notifiers: Notifiers;
  /** how often the outbox is drained (and the monitors' tasks re-synced); default 2 s */
  deliveryIntervalMs?: number;
  policy?: RetryPolicy;
  random?: () => number;
  /** GLASSBOX_RETENTION_DAYS, for the daily retention job (runs with the scheduler) */
  retentionDays?: number;
}

export interface Jobs {
  /** Re-reads the monitors and (re)schedules their tasks now; call after a monitor changes. */
  sync(): void;
  /** Drains the outbox now (tests, testChannel-like callers). */
  deliverNow(): Promise<DeliverReport>;
  /** The cron side, when the scheduler is on. */
  scheduler: MonitorScheduler | null;
  /** Resolves when the start-up catch-up is over. */
  caughtUp: Promise<number[]>;
  /** Stops the tasks and the loop; waits for the run in progress. */
  stop(): Promise<void>;
}

/** Starts the jobs; in-flight deliveries and claimed ticks this instance's crash left behind are released first. */
export function startJobs(deps: Deps, opts: JobOptions): Jobs {
  routeCronLogs(deps.log);
  // every delivery run waits for this: a claim of the previous process must not block it
  // (this instance's only on PostgreSQL: other replicas' claims end by their lease)
  const released = Promise.all([releaseClaims(deps), releaseWorkClaims(deps)])
    .then(([n]) => {
      if (n) deps.log.info({ released: n }, 'retrying notifications that were in flight when the server stopped');
    })
    .catch((err: unknown) => deps.log.error({ err }, 'could not release the claims of the previous process'));
  const evalOpts: EvaluateOptions = opts.computeMetric ? { computeMetric: opts.computeMetric } : {};
  const queue = createEvaluationQueue(deps, evalOpts);
  let scheduler: MonitorScheduler | null = null;
  let retentionTask: ReturnType<typeof cronTask> | null = null;
  let retentionCatchUp: Promise<void> = Promise.resolve();
  let stopped = false;

  const sync = () => {
    if (!scheduler || stopped) return;
    void listMonitors(deps)
      .then((ms) => scheduler?.sync(ms))
      .catch((err: unknown) => deps.log.error({ err }, 'could not sync the monitor schedule'));
  };
  // every monitor change a service commits in this process reaches the tasks at once
  const events = (deps.events ??= {});
  events.monitorsChanged = sync;
  let caughtUp: Promise<number[]> = Promise.resolve([]);
  if (opts.scheduler) {
    scheduler = createMonitorScheduler((id, at) => queue.enqueue(id, at), deps.log);
    sync();
    caughtUp = released.then(() => catchUp(deps, deps.clock.now(), evalOpts, (id, at, until) => queue.later(id, at, until))).catch((err: unknown) => {
      deps.log.error({ err }, 'catch-up after start failed');
      return [];
    });
    const days = opts.retentionDays ?? 0;
    retentionTask = cronTask(RETENTION_SCHEDULE, 'retention', async (at) => void (await runRetention(deps, at, days)));
    void Promise.resolve(retentionTask.start()).catch((err: unknown) => deps.log.error({ err }, 'could not start the retention task'));
    const now = deps.clock.now();
    retentionCatchUp = released
      .then(() => retentionDue(deps, now))
      .then(async (due) => void (due ? await runRetention(deps, now, days) : undefined))
      .catch((err: unknown) => deps.log.error({ err }, 'could not check when retention last ran'));
  } else {
    deps.log.info('GLASSBOX_SCHEDULER=off: monitors run only when evaluateMonitor is called; notifications are still delivered');
  }

  let running: Promise<DeliverReport> | null = null;
  const deliverNow = (): Promise<DeliverReport> =>
    (running ??= released
      .then(() =>
        deliver(deps, deps.clock.now(), {
          notifiers: opts.notifiers,
          ...(opts.policy ? { policy: opts.policy } : {}),
          ...(opts.random ? { random: opts.random } : {}),
        }),
      )
      .finally(() => {
        running = null;
      }));

  let timer: NodeJS.Timeout | null = null;
  const loop = () => {
    timer = setTimeout(() => {
      sync();
      deliverNow()
        .catch((err: unknown) => deps.log.error({ err }, 'delivery run failed'))
        .finally(() => {
          if (!stopped) loop();
        });
    }, opts.deliveryIntervalMs ?? 2_000);
    timer.unref();
  };
  loop();

  return {
    sync,
    deliverNow,
    get scheduler() {
      return scheduler;
    },
    caughtUp,
    async stop() {
      stopped = true;
      if (events.monitorsChanged === sync) delete events.monitorsChanged;
      if (timer) clearTimeout(timer);
      scheduler?.stop();
      queue.stop();
      await Promise.resolve(retentionTask?.destroy()).catch(() => undefined);
      await Promise.allSettled([released, running, queue.idle(), caughtUp, retentionCatchUp]);
    },
  };
}
