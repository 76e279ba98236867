// One compaction pass on SQLite: folds every hour's partials into its row, builds the
// statistics of new slices a day at a time (slice-backfill.ts) and the roll-ups of ended
// spans (stats-compact.ts), one short transaction at a time, giving way
// to ingest between steps (up to a second), so ingest waits at most one step and goes
// first while it streams. The schedule is the service's (jobs/compact-stats.ts).
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { CompactOptions, CompactReport } from '../../ports/data.js';
import { buildRollup, compactHours, dueRollups, hoursWithPartials } from './stats-compact.js';
import { appendedPartials } from './stats-store.js';
import { sliceExists, sliceReady } from './slice-set.js';
import { backfillStep, modelsBackfilling } from './slice-backfill.js';
import { foldUncovered, modelsWithUncovered, type UncoveredScope } from './stats-head.js';
import type { Gate } from './retention.js';
import { ROLLUP_LEVELS } from '../../../domain/metrics/rollup-spans.js';
import type { ModelRecord } from '../../../domain/model.js';

/** The model of an id (the models repository's byId), for the steps that need its record. */
export type ModelById = (id: number) => Promise<ModelRecord | null>;

/** Hours folded in one transaction. */
const HOURS_A_STEP = 64;
const BUSY_STEP_HOURS = 2;

/** While ingest keeps writing, a step waits this long for a quiet moment, at most MAX_WAITS times. */
const WAIT_MS = 50;
const MAX_WAITS = 20;

/**
 * Ingest goes first: before each step, wait while partials are still being appended, but
 * never more than MAX_WAITS * WAIT_MS, so compaction keeps up under sustained ingest.
 */
async function quietMoment(sqlite: Database.Database, shouldStop: () => boolean): Promise<boolean> {
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
export async function foldUncoveredBatches(sqlite: Database.Database, gate: Gate, byId: ModelById, now: number, scope: UncoveredScope): Promise<number> {
  let n = 0;
  for (const id of modelsWithUncovered(sqlite, now, scope)) {
    const m = await byId(id);
    if (m) n += await gate(() => sqlite.transaction(() => foldUncovered(sqlite, m, now, scope)).immediate());
  }
  return n;
}

/**
 * One full compaction pass at `now`; `shouldStop` ends it early between steps. With
 * `giveWay`, each step first waits for a pause in ingest (the timer's passes do).
 */
export async function compactPass(sqlite: Database.Database, gate: Gate, byId: ModelById, now: number, opts: CompactOptions = {}): Promise<CompactReport> {
  const shouldStop = opts.shouldStop ?? (() => false);
  const giveWay = opts.giveWay ?? false;
  // while ingest streams, a forced step folds only a few hours (~1% of the thread)
  let stepHours = HOURS_A_STEP;
  const pause = async () => {
    if (!giveWay) return void (await yieldToLoop());
    stepHours = (await quietMoment(sqlite, shouldStop)) ? HOURS_A_STEP : BUSY_STEP_HOURS;
  };
  const report: CompactReport = { partials: 0, hours: 0, rollups: 0 };
  await foldUncoveredBatches(sqlite, gate, byId, now, 'crashed');
  const models = new Map<number, ModelRecord | null>();
  const model = async (id: number) => {
    if (!models.has(id)) models.set(id, await byId(id));
    return models.get(id)!;
  };
  // a few hours of one model a transaction: one commit for several, and a short write lock
  const due = hoursWithPartials(sqlite);
  if (due.length > 0) await pause();
  for (let i = 0; i < due.length; ) {
    if (shouldStop()) return report;
    const [id, slice] = due[i]!;
    const hours: number[] = [];
    while (i < due.length && due[i]![0] === id && due[i]![1] === slice && hours.length < stepHours) hours.push(due[i++]![2]);
    const m = await model(id);
    if (!m || !sliceExists(sqlite, id, slice)) continue;
    report.partials += await gate(() => compactHours(sqlite, m, slice, hours));
    report.hours += hours.length;
    await pause();
  }
  // the statistics of new slices (or of slices with a new profile), a day a step
  for (const id of modelsBackfilling(sqlite)) {
    const m = await model(id);
    if (!m) continue;
    for (;;) {
      if (shouldStop()) return report;
      if (!(await gate(() => backfillStep(sqlite, m, now)))) break;
      await pause();
    }
  }
  const owners = sqlite.prepare('SELECT DISTINCT model_id, slice FROM stats_hourly').raw().all() as Array<[number, number]>;
  for (const [id, slice] of owners) {
    const m = await model(id);
    // a slice being built has hours still to be replaced: its roll-ups wait
    if (!m || !sliceReady(sqlite, id, slice)) continue;
    for (const level of ROLLUP_LEVELS) {
      for (const start of dueRollups(sqlite, id, slice, level, now)) {
        if (shouldStop()) return report;
        if (await gate(() => buildRollup(sqlite, m, slice, level, start))) report.rollups++;
        await pause();
      }
    }
  }
  return report;
}
