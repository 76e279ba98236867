// Window arithmetic and cron tick enumeration, pure and in UTC. A monitor's run at `at`
// looks at [at - window, at); its runs are the ticks of its cron schedule. The matching
// rules mirror node-cron 4 (day of month AND day of week must both match), so a
// backtest replays exactly the ticks the live scheduler fires.

import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, WEEK_MS } from './time.js';

// the units under the names the monitor code reads them by (time.ts defines them once)
export const MINUTE = MINUTE_MS;
export const HOUR = HOUR_MS;
export const DAY = DAY_MS;

const UNITS: Record<string, number> = { m: MINUTE, h: HOUR, d: DAY, w: WEEK_MS };
const DURATION = /^([1-9]\d{0,5})([mhdw])$/;

/** `30m`, `1h`, `24h`, `7d`, `2w` -> milliseconds; null for anything else (no zero, no sign). */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** The window a run at `at` evaluates: [at - windowMs, at). */
export function windowAt(at: number, windowMs: number): { from: number; to: number } {
  return { from: at - windowMs, to: at };
}

/** Cron fields as node-cron's `parse` returns them: plain numbers plus L/W/# tokens. */
export interface CronFields {
  second: number[];
  minute: number[];
  hour: number[];
  dayOfMonth: Array<number | string>;
  month: number[];
  dayOfWeek: Array<number | string>;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = lastDayOfMonth(year, month);
  if (target < 1 || target > last) return -1;
  const wd = weekdayOf(year, month, target);
  if (wd === 6) return target === 1 ? target + 2 : target - 1;
  if (wd === 0) return target === last ? target - 2 : target + 1;
  return target;
}

function matchesDayOfMonth(field: Array<number | string>, y: number, m: number, d: number): boolean {
  for (const v of field) {
    if (v === d) return true;
    if (typeof v !== 'string') continue;
    if (v === 'L' && d === lastDayOfMonth(y, m)) return true;
    const w = /^(\d{1,2}|L)W$/.exec(v);
    if (w && nearestWeekday(y, m, w[1] === 'L' ? lastDayOfMonth(y, m) : Number(w[1])) === d) return true;
    const off = /^L-(\d{1,2})$/.exec(v);
    if (off && lastDayOfMonth(y, m) - Number(off[1]) === d) return true;
  }
  return false;
}

function matchesDayOfWeek(field: Array<number | string>, y: number, m: number, d: number): boolean {
  const wd = weekdayOf(y, m, d);
  for (const v of field) {
    if (v === wd) return true;
    if (typeof v !== 'string') continue;
    const nth = /^([0-7])#([1-5])$/.exec(v);
    if (nth && Number(nth[1]) % 7 === wd && Math.floor((d - 1) / 7) + 1 === Number(nth[2])) return true;
    const last = /^([0-7])L$/i.exec(v);
    if (last && Number(last[1]) % 7 === wd && d + 7 > lastDayOfMonth(y, m)) return true;
  }
  return false;
}

function dayMatches(f: CronFields, y: number, m: number, d: number): boolean {
  return f.month.includes(m) && matchesDayOfMonth(f.dayOfMonth, y, m, d) && matchesDayOfWeek(f.dayOfWeek, y, m, d);
}

/** Times of day (ms since midnight) a matching day fires at, ascending. */
function timesOfDay(f: CronFields): number[] {
  const out: number[] = [];
  for (const h of f.hour) for (const mi of f.minute) for (const s of f.second) out.push(h * HOUR + mi * MINUTE + s * SECOND_MS);
  return [...new Set(out)].sort((a, b) => a - b);
}

function startOfDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

function ymd(dayStart: number): [number, number, number] {
  const dt = new Date(dayStart);
  return [dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate()];
}

/** Whether the schedule fires at exactly `t`. */
export function isTick(f: CronFields, t: number): boolean {
  const day = startOfDay(t);
  const [y, m, d] = ymd(day);
  return dayMatches(f, y, m, d) && timesOfDay(f).includes(t - day);
}

/** How far a search walks before deciding a schedule never fires (node-cron walks 100 years). */
const SEARCH_DAYS = 366 * 8;

/** The first tick strictly after `after`, or null when none comes within eight years. */
export function nextTick(f: CronFields, after: number): number | null {
  const times = timesOfDay(f);
  let day = startOfDay(after);
  for (let i = 0; i < SEARCH_DAYS; i++, day += DAY) {
    const [y, m, d] = ymd(day);
    if (!dayMatches(f, y, m, d)) continue;
    for (const t of times) if (day + t > after) return day + t;
  }
  return null;
}

/** The last tick at or before `atOrBefore`, or null when none within eight years. */
export function previousTick(f: CronFields, atOrBefore: number): number | null {
  const times = timesOfDay(f).reverse();
  let day = startOfDay(atOrBefore);
  for (let i = 0; i < SEARCH_DAYS; i++, day -= DAY) {
    const [y, m, d] = ymd(day);
    if (!dayMatches(f, y, m, d)) continue;
    for (const t of times) if (day + t <= atOrBefore) return day + t;
  }
  return null;
}

/**
 * The ticks in [from, to), ascending, at most `max + 1` of them: a caller that gets more
 * than `max` knows the range holds too many without enumerating them all.
 */
export function ticksBetween(f: CronFields, from: number, to: number, max: number): number[] {
  const times = timesOfDay(f);
  const out: number[] = [];
  for (let day = startOfDay(from); day < to; day += DAY) {
    const [y, m, d] = ymd(day);
    if (!dayMatches(f, y, m, d)) continue;
    for (const t of times) {
      const at = day + t;
      if (at < from) continue;
      if (at >= to) return out;
      out.push(at);
      if (out.length > max) return out;
    }
  }
  return out;
}
