// The window a page looks at: its length, its granularity and its end (the next full hour,
// so that the current hour is in it). Kept in the address (?window=7d&g=HOUR).
import type { Granularity } from './api/series';

export const WINDOWS = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24, '90d': 90 * 24 } as const;
export type WindowName = keyof typeof WINDOWS;

const HOUR = 3_600_000;

export interface Span {
  window: WindowName;
  granularity: Granularity;
  from: string;
  to: string;
}

/** The span a query string asks for; HOUR up to 7 days by default, DAY beyond. */
export function spanOf(search: string, now = Date.now()): Span {
  const q = new URLSearchParams(search);
  const w = q.get('window');
  const window: WindowName = w && w in WINDOWS ? (w as WindowName) : '7d';
  const g = q.get('g');
  const granularity: Granularity = g === 'HOUR' || g === 'DAY' ? g : WINDOWS[window] <= 7 * 24 ? 'HOUR' : 'DAY';
  const end = Math.ceil(now / HOUR) * HOUR;
  const start = end - WINDOWS[window] * HOUR;
  // a DAY bucket starts at midnight UTC: widen to whole days
  const from = granularity === 'DAY' ? Math.floor(start / (24 * HOUR)) * 24 * HOUR : start;
  const to = granularity === 'DAY' ? Math.ceil(end / (24 * HOUR)) * 24 * HOUR : end;
  return { window, granularity, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** "3 h ago", "2 d ago", or the date. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 0) return `in ${when(-s)}`;
  return `${when(s)} ago`;
}

function when(s: number): string {
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

export const shortTime = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
