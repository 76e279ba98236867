// Strict ISO-8601 instants: a calendar date, a time and a zone. Date.parse is not used
// because it accepts engine-specific forms (no zone = local time, "2024-02-30" rolls over).
import { DAY_MS, MINUTE_MS } from '../time.js';

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const FOUR_CENTURIES_MS = 146097 * DAY_MS;

function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Value of the `n` decimal digits at `at`, or -1 if one is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The two forms nearly every client sends (`...:ssZ`, `...:ss.mmmZ`), without the regex. */
function parseCommon(s: string): number | null | undefined {
  const len = s.length;
  if (len !== 20 && len !== 24) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  if (s.charCodeAt(len - 1) !== 90 || (len === 24 && s.charCodeAt(19) !== 46)) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = len === 24 ? digits(s, 20, 3) : 0;
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || ms < 0) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** Epoch milliseconds of an ISO-8601 instant with a zone (Z or ±hh:mm), or null when it is not one. */
export function parseInstant(text: string): number | null {
  const common = parseCommon(text);
  if (common !== undefined) return common;
  const m = INSTANT.exec(text);
  if (!m) return null;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = m[7] === undefined ? 0 : Math.floor(+(m[7] + '00').slice(0, 3));
  let offset = 0;
  if (m[8] === undefined) {
    const oh = +m[10]!;
    const om = m[11] === undefined ? 0 : +m[11];
    if (oh > 23 || om > 59) return null;
    offset = (oh * 60 + om) * MINUTE_MS * (m[9] === '-' ? -1 : 1);
  }
  // Date.UTC maps years 0-99 to 1900-1999; shift by 400 years (same calendar) and back.
  const utc = year < 100 ? Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS : Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return utc - offset;
}
