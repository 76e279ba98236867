// The compaction loop: every `intervalMs`, folds every hour's partials into its row and
// builds the roll-ups of ended spans (src/services/stats-compact.ts). Runs on the main
// thread between requests, one short transaction at a time, giving way to ingest between
// steps (up to a second), so ingest waits at most one step and goes first while it
// streams. `run(deps, now)` is also what tests call.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Deps } from '../services/deps.js';
import { findModelById } from '../services/models.js';
import { buildRollup, compactHours, dueRollups, hoursWithPartials } from '../services/stats-compact.js';
import { appendedPartials } from '../services/stats-store.js';
import { foldUncovered, modelsWithUncovered, type UncoveredScope } from '../services/stats-head.js';
import { ROLLUP_LEVELS } from '../domain/metrics/rollup-spans.js';
import type { ModelRecord } from '../domain/model.js';

/** Hours folded in one transaction. */
const HOURS_A_STEP = 64;
const BUSY_STEP_HOURS = 2;

export interface CompactReport {
  partials: number;
  hours: number;
  rollups: number;
}

/** While ingest keeps writing, a step waits this long for a quiet moment, at most MAX_WAITS times. */
const WAIT_MS = 50;
const MAX_WAITS = 20;

/**
 * Ingest goes first: before each step, wait while partials are still being appended, but
 * never more than MAX_WAITS * WAIT_MS, so compaction keeps up under sustained ingest.
 */
async function quietMoment(sqlite: Deps['store']['sqlite'], shouldStop: () => boolean): Promise<boolean> {
  for (let i = 0; i < MAX_WAITS && !shouldStop(); i++) {
    const before = appendedPartials(sqlite);
    await new Promise((r) => setTimeout(r, WAIT_MS));
    if (appendedPartials(sqlite) === before) return true;
  }
  return false;
}

/**
 * Folds the batches whose statistics an ingest call held in memory when it stopped (a
 * crash, a failed call) into partials from their raw rows: `crashed` in each pass,
 * `stopped` at startup. One transaction a model. Returns how many batches.
 */
export async function foldUncoveredBatches(deps: Deps, now: number, scope: UncoveredScope): Promise<number> {
  const { sqlite } = deps.store;
  let n = 0;
  for (const id of modelsWithUncovered(sqlite, now, scope)) {
    const m = await findModelById(deps, id);
    if (m) n += sqlite.transaction(() => foldUncovered(sqlite, m, now, scope)).immediate();
  }
  return n;
}

/**
 * One full compaction pass at `now`; `shouldStop` ends it early between steps. With
 * `giveWay`, each step first waits for a pause in ingest (the timer's passes do).
 */
export async function run(deps: Deps, now: number, shouldStop: () => boolean = () => false, giveWay = false): Promise<CompactReport> {
  const { sqlite } = deps.store;
  // while ingest streams, a forced step folds only a few hours (~1% of the thread)
  let stepHours = HOURS_A_STEP;
  const pause = async () => {
    if (!giveWay) return void (await yieldToLoop());
    stepHours = (await quietMoment(sqlite, shouldStop)) ? HOURS_A_STEP : BUSY_STEP_HOURS;
  };
  const report: CompactReport = { partials: 0, hours: 0, rollups: 0 };
  await foldUncoveredBatches(deps, now, 'crashed');
  const models = new Map<number, ModelRecord | null>();
  const model = async (id: number) => {
    if (!models.has(id)) models.set(id, await findModelById(deps, id));
    return models.get(id)!;
  };
  // a few hours of one model a transaction: one commit for several, and a short write lock
  const due = hoursWithPartials(sqlite);
  if (due.length > 0) await pause();
  for (let i = 0; i < due.length; ) {
    if (shouldStop()) return report;
    const id = due[i]![0];
    const hours: number[] = [];
    while (i < due.length && due[i]![0] === id && hours.length < stepHours) hours.push(due[i++]![1]);
    const m = await model(id);
    if (!m) continue;
    report.partials += compactHours(sqlite, m, hours);
    report.hours += hours.length;
    await pause();
  }
  const ids = sqlite.prepare('SELECT DISTINCT model_id FROM stats_hourly').pluck().all() as number[];
  for (const id of ids) {
    const m = await model(id);
    if (!m) continue;
    for (const level of ROLLUP_LEVELS) {
      for (const start of dueRollups(sqlite, id, level, now)) {
        if (shouldStop()) return report;
        if (buildRollup(sqlite, m, level, start)) report.rollups++;
        await pause();
      }
    }
  }
  return report;
}

export interface Compaction {
  /** Runs a pass now (after the one in progress, if any). */
  runNow(): Promise<CompactReport>;
  /** Stops the timer; waits for the step in progress. */
  stop(): Promise<void>;
}

/** Starts the loop (intervalMs 0: only on request). */
export function startCompaction(deps: Deps, intervalMs: number): Compaction {
  let stopped = false;
  let running = false;
  let current: Promise<CompactReport> = Promise.resolve({ partials: 0, hours: 0, rollups: 0 });
  const pass = () => {
    running = true;
    current = current
      .catch(() => undefined)
      .then(() => run(deps, deps.clock.now(), () => stopped, true))
      .then((r) => {
        if (r.partials > 0 || r.rollups > 0) deps.log.debug({ ...r }, 'statistics compacted');
        return r;
      })
      .finally(() => {
        running = false;
      });
    current.catch((err: unknown) => deps.log.error({ err }, 'statistics compaction failed'));
    return current;
  };
  const timer = intervalMs > 0 ? setInterval(() => {
        if (!running) void pass();
      }, intervalMs) : null;
  timer?.unref();
  return {
    runNow: pass,
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await current.catch(() => undefined);
    },
  };
}
