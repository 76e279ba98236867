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
