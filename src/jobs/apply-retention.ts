// The daily retention job: deletes raw events past each model's retention at its tick.
// Once a day at RETENTION_SCHEDULE, and once at start-up when the last run (by the audit
// log) is over a day old, so a server that is down at the tick does not skip a day.
// Replicas sharing a database each fire the tick; a claim on the day's run (scope
// `retention`, at = the day's scheduled time) lets one of them do it.
import type { Deps } from '../services/deps.js';
import { applyRetention, lastRetentionRun, type RetentionResult } from '../services/retention.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import { previousTick } from '../domain/windows.js';
import { parseSchedule } from '../domain/schedule.js';
import { thisInstance } from '../services/instances.js';

/** 00:17 UTC: off the hour, when monitors on "0 * * * *" schedules are busy. */
export const RETENTION_SCHEDULE = '17 0 * * *';

/** The audit entry's actor for scheduled runs. */
export const RETENTION_ACTOR = 'scheduler';

/** The claim scope of the daily run. */
export const RETENTION_SCOPE = 'retention';

/** How long the replica that claimed a day's run has to finish it before another may take it over. */
export const RETENTION_LEASE_MS = HOUR_MS;

/**
 * Claims (the day's run, every monitor tick's) are forgotten this long after their lease:
 * past it a day's run is not claimed again (its day is over) and a tick is known done by
 * its evaluation. Two days of ticks: 200 minutely monitors keep ~580k small rows.
 */
const CLAIMS_KEPT_MS = 2 * DAY_MS;

const FIELDS = (() => {
  const p = parseSchedule(RETENTION_SCHEDULE);
  if (!p.ok) throw new Error(p.reason);
  return p.fields;
})();

/** The day's run that `at` belongs to: the latest RETENTION_SCHEDULE tick at or before it. */
export function retentionDay(at: number): number {
  return previousTick(FIELDS, at) ?? at;
}

/**
 * Applies retention at `at` once per day across replicas: unless the day's run is done or
 * another replica holds it (then null). A failure is logged, never thrown (the next tick
 * tries again; the claim's lease lets another replica try once it ends).
 */
export async function run(deps: Deps, at: number, defaultDays: number): Promise<RetentionResult | null> {
  const day = retentionDay(at);
  const instance = thisInstance(deps);
  try {
    const c = await deps.store.claims.claim(RETENTION_SCOPE, day, instance, deps.clock.now(), RETENTION_LEASE_MS);
    if (!c.claimed) {
      deps.log.debug({ day: new Date(day).toISOString(), by: c.heldBy, done: c.done }, 'retention: the day\'s run is another replica\'s');
      return null;
    }
    const result = await applyRetention(deps, RETENTION_ACTOR, { defaultDays, now: at });
    await deps.store.claims.finish(RETENTION_SCOPE, day, instance, deps.clock.now());
    await deps.store.claims.prune(deps.clock.now() - CLAIMS_KEPT_MS);
    return result;
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
