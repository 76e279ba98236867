// Reading the governance report back: a section, a keyed row, a cell's shown text and its
// exact data-value. The report marks them (html.ts), so tests need no HTML parser.
import { escapeXml } from '../../src/charts/line-chart.js';

/** The HTML of `<section id="…">` (sections do not nest). */
export function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  if (start < 0) throw new Error(`no section ${id}`);
  return html.slice(start, html.indexOf('</section>', start) + '</section>'.length);
}

/** The part of `html` inside the element carrying `attr="value"` up to the next sibling of its kind. */
export function scopeOf(html: string, attr: string, value: string): string {
  const marker = `${attr}="${escapeXml(value)}"`;
  const start = html.indexOf(marker);
  if (start < 0) throw new Error(`no ${marker}`);
  const next = html.indexOf(`${attr}="`, start + marker.length);
  return html.slice(start, next < 0 ? undefined : next);
}

/** A keyed row's cell: its text (unescaped) and exact value (null when empty). */
export function cell(html: string, key: string, field: string): { text: string; value: number | null } {
  const rowStart = html.indexOf(`<tr data-key="${escapeXml(key)}">`);
  if (rowStart < 0) throw new Error(`no row ${key}`);
  const rowHtml = html.slice(rowStart, html.indexOf('</tr>', rowStart));
  const m = new RegExp(`data-field="${field}"(?: data-value="([^"]*)")?>([^<]*)<`).exec(rowHtml);
  if (!m) throw new Error(`row ${key} has no ${field}`);
  const text = m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return { text, value: m[1] === undefined || m[1] === '' ? null : Number(m[1]) };
}

/** The exact value of a keyed row's cell. */
export const valueOf = (html: string, key: string, field: string): number | null => cell(html, key, field).value;
