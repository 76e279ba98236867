// The few HTML pieces the report is made of. Every text that reaches the page goes
// through `esc` (model, feature, monitor and group names, descriptions, notes, audit
// details are all user-provided); numbers carry their exact value in data-value, so a
// reader sees a rounded figure and a test (or a script) can check the exact one.
import { escapeXml } from '../charts/line-chart.js';

/** Text escaped for HTML content and double- or single-quoted attributes. */
export const esc = (s: string): string => escapeXml(s);

const iso = (t: number) => new Date(t).toISOString();

/** An instant as the report writes it: ISO-8601 in UTC, to the second. */
export function when(t: number | null | undefined): string {
  if (t === null || t === undefined) return '—';
  return iso(t).replace('.000Z', 'Z');
}

/** A number for people: integers grouped, others with 4 significant digits; "n/a" for null. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** A table cell holding a number: shown rounded, exact in data-value (empty for null). */
export function numCell(field: string, v: number | null | undefined): string {
  const exact = v === null || v === undefined ? '' : String(v);
  return `<td class="num" data-field="${esc(field)}" data-value="${esc(exact)}">${esc(formatNumber(v))}</td>`;
}

/** A table cell holding text. */
export function textCell(text: string | null | undefined, field?: string): string {
  return `<td${field ? ` data-field="${esc(field)}"` : ''}>${esc(text ?? '—')}</td>`;
}

/** A table: header labels and rows already rendered as `<tr>`s; a line of text when there are none. */
export function table(headers: string[], rows: string[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A row keyed for lookups (`data-key`), e.g. a feature's name. */
export function row(key: string, cells: string[]): string {
  return `<tr data-key="${esc(key)}">${cells.join('')}</tr>`;
}

/** A section with its id (what a test or a link finds) and heading. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>${body}</section>`;
}

/** A paragraph of text. */
export const para = (text: string, cls?: string): string => `<p${cls ? ` class="${esc(cls)}"` : ''}>${esc(text)}</p>`;

/** A figure around an inline SVG chart (already escaped by the chart module). */
export const figure = (svg: string): string => `<figure class="chart">${svg}</figure>`;
