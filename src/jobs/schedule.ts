// node-cron's scheduling side (parsing expressions is src/domain/schedule.ts): keeps one
// UTC task per enabled monitor in step with the monitors table.
import { createTask, setLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';
import { MINUTE_MS } from '../domain/time.js';

/** Sends node-cron's own warnings to our logger instead of the console. */
export function routeCronLogs(log: Logger): void {
  setLogger({
    info: (m) => log.debug({ source: 'node-cron' }, m),
    warn: (m) => log.warn({ source: 'node-cron' }, m),
    error: (m, err) => log.error({ source: 'node-cron', err: err ?? m }, String(m)),
    debug: (m) => log.debug({ source: 'node-cron' }, String(m)),
  });
}

/**
 * A stopped UTC cron task calling `fn` with the scheduled time (ms). A run still going
 * when the next tick comes makes that tick skip (noOverlap). A tick up to `lateToleranceMs`
 * late (a busy event loop when many monitors share a minute) still runs rather than
 * being dropped as missed.
 */
export function cronTask(expr: string, name: string, fn: (at: number) => Promise<void>, lateToleranceMs = 5 * MINUTE_MS): ScheduledTask {
  return createTask(expr, (ctx) => fn(ctx.date.getTime()), {
    name,
    timezone: 'UTC',
    noOverlap: true,
    missedExecutionTolerance: lateToleranceMs,
  });
}

export interface ScheduledMonitor {
  id: number;
  schedule: string;
  enabled: boolean;
  updatedAt: number;
}

export interface MonitorScheduler {
  /** Makes the tasks match `monitors`: new ones started, changed ones replaced, gone ones destroyed. */
  sync(monitors: ScheduledMonitor[]): void;
  /** The running tasks by monitor id (for tests and /metrics). */
  tasks(): ReadonlyMap<number, ScheduledTask>;
  /** Destroys every task. */
  stop(): void;
}

/** One node-cron task per enabled monitor, each calling `run(monitorId, at)` on its ticks. */
export function createMonitorScheduler(run: (monitorId: number, at: number) => Promise<void>, log: Logger): MonitorScheduler {
  const live = new Map<number, { task: ScheduledTask; schedule: string; updatedAt: number }>();
  const drop = (id: number) => {
    const t = live.get(id);
    if (!t) return;
    void Promise.resolve(t.task.destroy()).catch((err: unknown) => log.error({ err, monitorId: id }, 'could not stop a monitor task'));
    live.delete(id);
  };
  return {
    sync(monitors) {
      const wanted = new Map(monitors.filter((m) => m.enabled).map((m) => [m.id, m]));
      for (const id of [...live.keys()]) {
        const w = wanted.get(id);
        const t = live.get(id)!;
        if (!w || w.schedule !== t.schedule) drop(id);
        else t.updatedAt = w.updatedAt;
      }
      for (const m of wanted.values()) {
        if (live.has(m.id)) continue;
        try {
          const task = cronTask(m.schedule, `monitor-${m.id}`, (at) => run(m.id, at));
          void Promise.resolve(task.start()).catch((err: unknown) => log.error({ err, monitorId: m.id }, 'could not start a monitor task'));
          live.set(m.id, { task, schedule: m.schedule, updatedAt: m.updatedAt });
        } catch (err) {
          log.error({ err, monitorId: m.id, schedule: m.schedule }, 'monitor has an unusable schedule; it will not run');
        }
      }
    },
    tasks: () => new Map([...live].map(([id, t]) => [id, t.task])),
    stop() {
      for (const id of [...live.keys()]) drop(id);
    },
  };
}
