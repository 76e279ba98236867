// Time units, defined once (ARCHITECTURE rule 10). Every duration in Glassbox is epoch
// milliseconds; windows are cut on UTC hours and days, which have no DST to care about.

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** `t` moved down to a multiple of `unit` (a UTC hour or day for HOUR_MS, DAY_MS). */
export const floorTo = (t: number, unit: number): number => Math.floor(t / unit) * unit;

/** `t` moved up to a multiple of `unit`. */
export const ceilTo = (t: number, unit: number): number => Math.ceil(t / unit) * unit;

/**
 * Items grouped by the UTC hour `ts` puts them in (hour start -> items, in input order).
 * Statistics are built an hour at a time, so each hour's stay in the CPU's cache.
 */
export function groupByHour<T>(items: readonly T[], ts: (t: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const it of items) {
    const h = floorTo(ts(it), HOUR_MS);
    const g = groups.get(h);
    if (g) g.push(it);
    else groups.set(h, [it]);
  }
  return groups;
}
