// The evaluation job: runs monitors at their ticks, one at a time, and catches up once at
// start-up on monitors whose last tick passed while the server was down.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../errors.js';
import { previousTick, type CronFields } from '../domain/windows.js';
import type { Deps } from '../services/deps.js';
import { evaluateMonitor, type EvaluateOptions } from '../services/evaluation.js';
import { lastEvaluation, listMonitors, type MonitorRecord } from '../services/monitors.js';
import { parseSchedule } from '../domain/schedule.js';

/** Evaluates one monitor at its tick `at`; a failure is logged, never thrown (the next tick tries again). */
export async function runMonitor(deps: Deps, monitorId: number, at: number, opts: EvaluateOptions = {}): Promise<boolean> {
  try {
    await evaluateMonitor(deps, monitorId, at, opts);
    return true;
  } catch (err) {
    // Deleted between its tick and its turn: nothing to do, and the next sync drops its task.
    if (err instanceof AppError && err.code === 'NOT_FOUND') return false;
    deps.log.error({ err, monitorId, at: new Date(at).toISOString() }, 'monitor evaluation failed');
    return false;
  }
}

function fieldsOf(m: MonitorRecord): CronFields | null {
  const p = parseSchedule(m.schedule);
  return p.ok ? p.fields : null;
}

/** Every enabled monitor whose schedule fires exactly at `at`, evaluated there; returns how many succeeded. */
export async function run(deps: Deps, at: number, opts: EvaluateOptions = {}): Promise<number> {
  let n = 0;
  for (const m of await listMonitors(deps)) {
    const f = m.enabled ? fieldsOf(m) : null;
    if (f && previousTick(f, at) === at && (await runMonitor(deps, m.id, at, opts))) n++;
    await yieldToLoop();
  }
  return n;
}

/**
 * Catch-up at start-up: each enabled monitor whose latest tick at or before `now` came
 * after its last evaluation (and after it was created) runs once, at that tick, not once
 * per missed tick. Returns the monitors it ran.
 */
export async function catchUp(deps: Deps, now: number, opts: EvaluateOptions = {}): Promise<number[]> {
  const ran: number[] = [];
  for (const m of await listMonitors(deps)) {
    const f = m.enabled ? fieldsOf(m) : null;
    const tick = f ? previousTick(f, now) : null;
    if (tick === null || tick < m.createdAt) continue;
    const last = await lastEvaluation(deps, m.id);
    if (last && last.at >= tick) continue;
    if (await runMonitor(deps, m.id, tick, opts)) ran.push(m.id);
    await yieldToLoop();
  }
  return ran;
}

/**
 * A one-at-a-time queue of (monitor, tick) runs. Two hundred monitors sharing a minute
 * each get a turn, the event loop keeps answering requests between them, and a tick
 * already queued is not queued twice.
 */
export function createEvaluationQueue(deps: Deps, opts: EvaluateOptions = {}) {
  const pending = new Map<string, Promise<void>>();
  let tail: Promise<void> = Promise.resolve();
  return {
    /** Resolves when this monitor's run at `at` is over. */
    enqueue(monitorId: number, at: number): Promise<void> {
      const key = `${monitorId}@${at}`;
      const queued = pending.get(key);
      if (queued) return queued;
      const p = tail.then(async () => {
        await yieldToLoop();
        await runMonitor(deps, monitorId, at, opts);
      });
      tail = p.finally(() => pending.delete(key));
      pending.set(key, p);
      return p;
    },
    /** Resolves when everything queued so far has run. */
    idle: (): Promise<void> => tail,
  };
}
