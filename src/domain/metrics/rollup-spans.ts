// The spans statistics are rolled up into: UTC hours (level 0), days (1), ten-day thirds
// of a month (2: days 1-10, 11-20, 21-end), calendar months (3), quarters (4) and years
// (5). Pure calendar arithmetic; every span of a level is inside exactly one span of each
// level above it, so roll-ups nest and a window of years is tiled by few rows (the thirds
// and quarters keep its edges short: two years take ~17 rows, not ~40).
import { DAY_MS, HOUR_MS } from '../time.js';

export type Level = 0 | 1 | 2 | 3 | 4 | 5;
export type RollupLevel = Exclude<Level, 0>;
export const ROLLUP_LEVELS = [1, 2, 3, 4, 5] as const;
export const TOP_LEVEL: RollupLevel = 5;

/** Start of the span of `level` that holds instant t. */
export function spanStart(level: Level, t: number): number {
  if (level === 0) return Math.floor(t / HOUR_MS) * HOUR_MS;
  if (level === 1) return Math.floor(t / DAY_MS) * DAY_MS;
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (level === 2) {
    const day = d.getUTCDate();
    return Date.UTC(y, m, day <= 10 ? 1 : day <= 20 ? 11 : 21);
  }
  if (level === 3) return Date.UTC(y, m, 1);
  if (level === 4) return Date.UTC(y, m - (m % 3), 1);
  return Date.UTC(y, 0, 1);
}

/** End (exclusive) of the span of `level` that starts at `start`. */
export function spanEnd(level: Level, start: number): number {
  if (level === 0) return start + HOUR_MS;
  if (level === 1) return start + DAY_MS;
  const d = new Date(start);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (level === 2) return d.getUTCDate() === 21 ? Date.UTC(y, m + 1, 1) : start + 10 * DAY_MS;
  if (level === 3) return Date.UTC(y, m + 1, 1);
  if (level === 4) return Date.UTC(y, m + 3, 1);
  return Date.UTC(y + 1, 0, 1);
}

/** A part of a window: one roll-up row, or a run of hours read hour by hour. */
export type Piece = { level: RollupLevel; start: number } | { level: 0; lo: number; hi: number };

/**
 * The fewest roll-ups (largest first) that tile the hour-aligned [lo, hi), among those
 * `has(level, start)` says exist; what they leave is returned as runs of hours.
 */
export function coverWindow(lo: number, hi: number, has: (level: RollupLevel, start: number) => boolean, top: Level = TOP_LEVEL): Piece[] {
  const out: Piece[] = [];
  const hours = (a: number, b: number) => {
    if (a >= b) return;
    const last = out[out.length - 1];
    if (last && last.level === 0 && last.hi === a) last.hi = b;
    else out.push({ level: 0, lo: a, hi: b });
  };
  const fill = (a: number, b: number, level: Level) => {
    if (level === 0) return hours(a, b);
    for (let s = spanStart(level, a); s < b; ) {
      const e = spanEnd(level, s);
      if (s >= a && e <= b && has(level, s)) out.push({ level, start: s });
      else fill(Math.max(a, s), Math.min(b, e), (level - 1) as Level);
      s = e;
    }
  };
  fill(lo, hi, top);
  return out;
}
