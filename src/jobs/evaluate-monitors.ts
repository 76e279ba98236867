// The evaluation job: runs monitors at their ticks, one at a time, and catches up once at
// start-up on monitors whose last tick passed while the server was down. Every replica's
// scheduler fires every tick; a claim per (monitor, tick) in the store (ports/claims.ts)
// lets one evaluate it. A replica that finds a tick claimed looks again when the claim's
// lease ends, and takes it over if its holder died (kill -9) or failed.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../errors.js';
import { previousTick, type CronFields } from '../domain/windows.js';
import type { Deps } from '../services/deps.js';
import { evaluateMonitor, type EvaluateOptions } from '../services/evaluation.js';
import { lastEvaluation, listMonitors, type MonitorRecord } from '../services/monitors.js';
import { parseSchedule } from '../domain/schedule.js';
import { thisInstance } from '../services/instances.js';

/**
 * How long a replica has to evaluate a tick it claimed before others may take it over:
 * a dead replica's tick is evaluated within this (plus the follow-up's second). A slower
 * evaluation may then run twice; its evaluation is still recorded once (unique key).
 */
export const EVALUATION_LEASE_MS = 30_000;

/** What became of a tick here: evaluated, already done, failed, or claimed by another until `heldUntil`. */
export type TickOutcome = 'evaluated' | 'done' | 'failed' | { heldUntil: number };

/** The claim scope of a monitor's ticks. */
export const tickScope = (monitorId: number) => `monitor:${monitorId}`;

/**
 * Evaluates the tick unless it is done or another replica holds its claim; marks it done
 * when evaluated. A failure keeps the claim until its lease ends (another replica may try).
 */
export async function runTick(deps: Deps, monitorId: number, at: number, opts: EvaluateOptions = {}): Promise<TickOutcome> {
  const { claims, evaluations } = deps.store;
  const instance = thisInstance(deps);
  try {
    if (await evaluations.find(monitorId, at)) return 'done';
    const c = await claims.claim(tickScope(monitorId), at, instance, deps.clock.now(), EVALUATION_LEASE_MS);
    if (!c.claimed) return c.done ? 'done' : { heldUntil: c.leaseUntil };
  } catch (err) {
    deps.log.error({ err, monitorId, at: new Date(at).toISOString() }, 'could not claim a monitor tick');
    return 'failed';
  }
  if (!(await runMonitor(deps, monitorId, at, opts))) return 'failed';
  await claims.finish(tickScope(monitorId), at, instance, deps.clock.now()).catch((err: unknown) => deps.log.warn({ err, monitorId }, 'could not mark a tick done (its evaluation is recorded)'));
  return 'evaluated';
}

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

/** Every enabled monitor whose schedule fires exactly at `at`, evaluated there unless done or claimed elsewhere; returns how many this call evaluated. */
export async function run(deps: Deps, at: number, opts: EvaluateOptions = {}): Promise<number> {
  let n = 0;
  for (const m of await listMonitors(deps)) {
    const f = m.enabled ? fieldsOf(m) : null;
    if (f && previousTick(f, at) === at && (await runTick(deps, m.id, at, opts)) === 'evaluated') n++;
    await yieldToLoop();
  }
  return n;
}

/**
 * Catch-up at start-up: each enabled monitor whose latest tick at or before `now` came
 * after its last evaluation (and after it was created) runs once, at that tick, not once
 * per missed tick. Returns the monitors it ran; a tick another replica holds goes to `onHeld`.
 */
export async function catchUp(deps: Deps, now: number, opts: EvaluateOptions = {}, onHeld?: (monitorId: number, at: number, heldUntil: number) => void): Promise<number[]> {
  const ran: number[] = [];
  for (const m of await listMonitors(deps)) {
    const f = m.enabled ? fieldsOf(m) : null;
    const tick = f ? previousTick(f, now) : null;
    if (tick === null || tick < m.createdAt) continue;
    const last = await lastEvaluation(deps, m.id);
    if (last && last.at >= tick) continue;
    const outcome = await runTick(deps, m.id, tick, opts);
    if (outcome === 'evaluated') ran.push(m.id);
    else if (typeof outcome === 'object') onHeld?.(m.id, tick, outcome.heldUntil);
    await yieldToLoop();
  }
  return ran;
}

/** Times a replica looks again at a tick another holds, before leaving it (each after the holder's lease). */
const FOLLOW_UPS = 3;

/**
 * A one-at-a-time queue of (monitor, tick) runs. Two hundred monitors sharing a minute
 * each get a turn, the event loop keeps answering requests between them, and a tick
 * already queued is not queued twice. A tick another replica holds is queued again a
 * second after the holder's lease ends, so a replica that died leaves its tick to another.
 */
export function createEvaluationQueue(deps: Deps, opts: EvaluateOptions = {}) {
  const pending = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let tail: Promise<void> = Promise.resolve();
  const queue = {
    /** Resolves when this monitor's run at `at` is over (not its follow-ups). */
    enqueue(monitorId: number, at: number, followUp = 0): Promise<void> {
      const key = `${monitorId}@${at}`;
      const queued = pending.get(key);
      if (queued) return queued;
      const p = tail.then(async () => {
        await yieldToLoop();
        const outcome = await runTick(deps, monitorId, at, opts);
        if (typeof outcome === 'object' && followUp < FOLLOW_UPS) queue.later(monitorId, at, outcome.heldUntil, followUp + 1);
      });
      tail = p.finally(() => pending.delete(key));
      pending.set(key, p);
      return p;
    },
    /** Queues the tick again a second after `heldUntil` (the store's clock), unless stopped. */
    later(monitorId: number, at: number, heldUntil: number, followUp = 1): void {
      if (stopped) return;
      const t = setTimeout(() => {
        timers.delete(t);
        if (!stopped) void queue.enqueue(monitorId, at, followUp);
      }, Math.max(0, heldUntil - deps.clock.now()) + 1_000);
      t.unref();
      timers.add(t);
    },
    /** Resolves when everything queued so far has run. */
    idle: (): Promise<void> => tail,
    /** Drops the follow-ups not started yet. */
    stop(): void {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
  return queue;
}
