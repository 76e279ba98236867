// Numbers, durations and trends written for people reading Slack at 3 a.m.:
// PSI 0.31, accuracy 91.2%, 12,408 events, ▁▂▄█. Labels and formats of metrics come from
// the catalogue (src/domain/metrics/catalogue.ts), as everywhere else.
import { metricInfo } from '../../domain/metrics/catalogue.js';
import { DAY_MS, MINUTE_MS } from '../../domain/time.js';

/** 12408 -> "12,408"; always en-US grouping so messages read the same everywhere. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 0.912 -> "91.2%"; tiny non-zero rates keep a significant digit ("0.04%"). */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct !== 0 && Math.abs(pct) < 0.1) return `${Number(pct.toPrecision(1))}%`;
  return `${pct.toFixed(1)}%`;
}

/** A plain value with 2 decimals, or 3 significant digits when smaller than 0.01 or large. */
export function formatDecimal(v: number): string {
  if (v === 0) return '0.00';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a < 0.01) return String(Number(v.toPrecision(2)));
  return v.toFixed(2);
}

/** A metric's value as a person reads it: rates in %, counts grouped, scores with 2 decimals. */
export function formatMetricValue(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  switch (metricInfo(metric)?.format) {
    case 'rate':
      return formatPercent(value);
    case 'count':
      return formatCount(value);
    case 'pValue':
      return value < 0.001 ? '<0.001' : value.toFixed(3);
    default:
      return formatDecimal(value);
  }
}

/** PSI -> "PSI", JS_DISTANCE -> "JS distance", R2 -> "R²": the catalogue's words. */
export function metricLabel(metric: string): string {
  const info = metricInfo(metric);
  if (!info) return metric.toLowerCase().replace(/_/g, ' ');
  return info.symbol ?? info.label;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of the series; gaps (null) are spaces; '' when under two points make no trend. */
export function sparkline(values: Array<number | null>): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length < 2) return '';
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (hi === lo) return BARS[3];
      return BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))];
    })
    .join('');
}

/** 5400000 -> "1h 30m"; the two largest units only. */
export function formatDuration(ms: number): string {
  const mins = Math.max(0, Math.round(ms / MINUTE_MS));
  const perDay = DAY_MS / MINUTE_MS;
  const d = Math.floor(mins / perDay);
  const h = Math.floor((mins % perDay) / 60);
  const m = mins % 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter(Boolean);
  return parts.slice(0, 2).join(' ') || '0m';
}

/** "2h 5m ago" relative to `now`; "just now" under a minute. */
export function ago(at: number, now: number): string {
  const diff = now - at;
  if (diff < MINUTE_MS) return 'just now';
  return `${formatDuration(diff)} ago`;
}

/** Slack's date token: shows in the reader's time zone, falls back to UTC ISO text. */
export function slackDate(ms: number): string {
  const iso = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${iso}>`;
}
