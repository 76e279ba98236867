// The daily retention job: deletes raw events past each model's retention at its tick.
// Once a day at RETENTION_SCHEDULE, and once at start-up when the last run (by the audit
// log) is over a day old, so a server that is down at the tick does not skip a day.
import type { Deps } from '../services/deps.js';
import { applyRetention, lastRetentionRun, type RetentionResult } from '../services/retention.js';
import { DAY_MS } from '../domain/time.js';

/** 00:17 UTC: off the hour, when monitors on "0 * * * *" schedules are busy. */
export const RETENTION_SCHEDULE = '17 0 * * *';

/** The audit entry's actor for scheduled runs. */
export const RETENTION_ACTOR = 'scheduler';

/** Applies retention at `at`; a failure is logged, never thrown (the next tick tries again). */
export async function run(deps: Deps, at: number, defaultDays: number): Promise<RetentionResult | null> {
  try {
    return await applyRetention(deps, RETENTION_ACTOR, { defaultDays, now: at });
  } catch (err) {
    deps.log.error({ err, at: new Date(at).toISOString() }, 'retention run failed');
    return null;
  }
}

/** True when no run happened in the day before `now` (the start-up catch-up). */
export async function due(deps: Deps, now: number): Promise<boolean> {
  const last = await lastRetentionRun(deps);
  return last === null || last <= now - DAY_MS;
}
