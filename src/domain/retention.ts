// Retention rules, pure: where a run cuts, and how a window over purged time is read.
// Cuts fall on UTC hours, so an hour is either wholly kept (raw events and statistics)
// or wholly purged (statistics only): no hour is ever half rebuilt from what is left.
import { ceilTo, DAY_MS, floorTo, HOUR_MS } from './time.js';

/** Longest retention accepted (100 years): anything longer is "forever" in disguise. */
export const MAX_RETENTION_DAYS = 36_500;

/** The retention in force: the model's own setting, else the server's default; 0 = forever. */
export function effectiveRetentionDays(modelDays: number | null, defaultDays: number): number {
  return modelDays ?? defaultDays;
}

/**
 * Events with a timestamp before the returned instant are to be deleted at `now`: the
 * start of the UTC hour `days` days back (null: keep forever). Flooring keeps a little
 * more than asked, never less.
 */
export function retentionCut(now: number, days: number): number | null {
  if (days <= 0) return null;
  return floorTo(now - days * DAY_MS, HOUR_MS);
}

/**
 * The window actually read when events before `purgedBefore` are known only through
 * their hourly statistics: an edge inside purged time moves out to the UTC hour (`from`
 * down, `to` up); edges in kept time stay exact to the millisecond.
 */
export function alignToKept(from: number, to: number, purgedBefore: number | null): { from: number; to: number } {
  if (purgedBefore === null) return { from, to };
  return {
    from: from < purgedBefore ? floorTo(from, HOUR_MS) : from,
    to: to < purgedBefore ? ceilTo(to, HOUR_MS) : to,
  };
}

/** Why a prediction older than the purge cannot be stored (its hour's statistics are final). */
export function purgedTimeReason(purgedBefore: number): string {
  return `is before ${new Date(purgedBefore).toISOString()}: the model's events before then were deleted by retention and only their statistics are kept, so a prediction there can no longer be stored`;
}

/** Why an actual for a deleted event is refused. */
export const PURGED_ACTUAL_REASON =
  'its prediction was deleted by retention (only its hour\'s statistics are kept), so an actual can no longer be joined to it';
