// One metric over time as an SVG string: what the governance report inlines and what
// Slack gets as a PNG (png.ts). Pure: no DOM, no clock, no I/O, so the same input draws the
// same bytes everywhere. Written by hand rather than with a charting library: the
// server-side choices need a DOM (Observable Plot, Vega's SVG renderer through a headless
// view) or bring a whole toolkit for one line, two rules and two axes; this is ~200 lines.
import { DAY_MS, HOUR_MS } from '../domain/time.js';

export interface ChartPoint {
  /** bucket start, epoch ms */
  t: number;
  /** null: no value in that bucket (the line breaks there) */
  value: number | null;
}

export interface LineChart {
  title: string;
  points: readonly ChartPoint[];
  /** the x axis spans [from, to) whatever the points cover */
  from: number;
  to: number;
  warning?: number | null | undefined;
  critical?: number | null | undefined;
  width?: number;
  height?: number;
}

const M = { left: 58, right: 18, top: 34, bottom: 40 };
const FONT = "font-family=\"'DejaVu Sans', Arial, Helvetica, sans-serif\"";
const COLORS = { line: '#2563eb', grid: '#e5e7eb', axis: '#6b7280', text: '#111827', warning: '#d97706', critical: '#dc2626' };

/** Text as XML character data or an attribute value: every markup character escaped. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A value as a short label: 3 significant digits, no trailing zeros, no exponent for usual sizes. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(3)));
}

/** A step of 1, 2 or 5 times a power of ten near `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** The y range and its ticks: every value and threshold inside, on round numbers. */
export function yScale(values: number[]): { lo: number; hi: number; ticks: number[] } {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const step = niceStep((hi - lo) / 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // rounding to the step's precision keeps 0.30000000000000004 out of the labels
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(digits)));
  return { lo, hi, ticks };
}

const X_STEPS = [HOUR_MS, 2 * HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS, DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS, 28 * DAY_MS];

/** UTC tick times on whole hours or days, at most `max` of them, within [from, to]. */
export function timeTicks(from: number, to: number, max = 6): number[] {
  const span = Math.max(to - from, 1);
  const step = X_STEPS.find((s) => span / s <= max) ?? Math.ceil(span / max / DAY_MS) * DAY_MS;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A tick's label in UTC: the day at midnight (or for day steps), else the hour. */
export function timeLabel(t: number, step: number): string {
  const d = new Date(t);
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (step >= DAY_MS) return day;
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return d.getUTCHours() === 0 ? `${day} ${hm}` : hm;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** The runs of consecutive non-null points: each is one stretch of line. */
function runs(points: readonly ChartPoint[]): ChartPoint[][] {
  const out: ChartPoint[][] = [];
  let cur: ChartPoint[] = [];
  for (const p of points) {
    if (p.value === null || !Number.isFinite(p.value)) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(p);
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * The chart as a standalone SVG document: the series as a line broken at null points,
 * each point a dot, dashed warning and critical rules when given, a y axis on round
 * numbers and a UTC time axis. Every text is escaped.
 */
export function lineChartSvg(c: LineChart): string {
  const W = c.width ?? 640;
  const H = c.height ?? 240;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const from = c.from;
  const to = Math.max(c.to, c.from + 1);
  const present = c.points.filter((p) => p.value !== null && Number.isFinite(p.value)).map((p) => p.value!);
  const thresholds = [c.warning, c.critical].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const y = yScale([...present, ...thresholds]);
  const sx = (t: number) => r1(M.left + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * plotW);
  const sy = (v: number) => r1(M.top + (1 - (v - y.lo) / (y.hi - y.lo)) * plotH);

  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${M.left}" y="20" font-size="14" font-weight="bold" fill="${COLORS.text}">${escapeXml(c.title)}</text>`);
  for (const v of y.ticks) {
    const yy = sy(v);
    parts.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${yy}" y2="${yy}" stroke="${COLORS.grid}"/>`);
    parts.push(`<text x="${M.left - 6}" y="${yy + 4}" font-size="11" text-anchor="end" fill="${COLORS.axis}">${escapeXml(formatValue(v))}</text>`);
  }
  const ticks = timeTicks(from, to);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : to - from;
  for (const t of ticks) {
    const xx = sx(t);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${M.top + plotH}" y2="${M.top + plotH + 4}" stroke="${COLORS.axis}"/>`);
    parts.push(`<text class="x-tick" x="${xx}" y="${M.top + plotH + 17}" font-size="11" text-anchor="middle" fill="${COLORS.axis}">${escapeXml(timeLabel(t, step))}</text>`);
  }
  parts.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="${COLORS.axis}"/>`);
  parts.push(`<text x="${M.left + plotW}" y="${H - 6}" font-size="10" text-anchor="end" fill="${COLORS.axis}">time (UTC)</text>`);

  const rules = (['warning', 'critical'] as const).flatMap((kind) => {
    const v = c[kind];
    return typeof v === 'number' && Number.isFinite(v) ? [{ kind, v, y: sy(v) }] : [];
  });
  // two rules close together: the label of the lower one goes under its rule, so they do not overlap
  const close = rules.length === 2 && Math.abs(rules[0]!.y - rules[1]!.y) < 14;
  const lowest = Math.max(...rules.map((r) => r.y));
  for (const r of rules) {
    const labelY = close && r.y === lowest ? r.y + 12 : r.y - 4;
    parts.push(`<line class="threshold-${r.kind}" x1="${M.left}" x2="${M.left + plotW}" y1="${r.y}" y2="${r.y}" stroke="${COLORS[r.kind]}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${M.left + plotW - 2}" y="${labelY}" font-size="10" text-anchor="end" fill="${COLORS[r.kind]}">${r.kind} ${escapeXml(formatValue(r.v))}</text>`);
  }

  for (const run of runs(c.points)) {
    if (run.length > 1) {
      const d = run.map((p, i) => `${i ? 'L' : 'M'}${sx(p.t)} ${sy(p.value!)}`).join(' ');
      parts.push(`<path class="series" d="${d}" fill="none" stroke="${COLORS.line}" stroke-width="2" stroke-linejoin="round"/>`);
    }
    for (const p of run) parts.push(`<circle class="point" cx="${sx(p.t)}" cy="${sy(p.value!)}" r="2.5" fill="${COLORS.line}"/>`);
  }
  if (present.length === 0) {
    parts.push(`<text x="${M.left + plotW / 2}" y="${M.top + plotH / 2}" font-size="13" text-anchor="middle" fill="${COLORS.axis}">no data in this window</text>`);
  }

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" ${FONT}>` +
    `<title>${escapeXml(c.title)}</title>${parts.join('')}</svg>`
  );
}
