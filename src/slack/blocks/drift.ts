// `/glassbox drift MODEL [WINDOW]`: each feature's drift against the baseline, worst first.
import { formatCount, formatDecimal, formatMetricValue, sparkline } from './format.js';
import { context, esc, header, section, type SlackMessage } from './kit.js';

export interface DriftRow {
  feature: string;
  type: string;
  sampleSize: number;
  baselineSize: number;
  psi: number | null;
  jsDistance: number | null;
  ksPValue?: number | null;
  chi2PValue?: number | null;
}

export interface DriftView {
  model: string;
  window: string;
  rows: DriftRow[];
  output: DriftRow | null;
  /** hourly or daily PSI of the worst feature over the window, oldest first */
  trend?: { feature: string; values: Array<number | null> };
  hasBaseline: boolean;
}

/** PSI rule of thumb: under 0.1 stable, up to 0.25 moderate, above that a major shift. */
export function psiVerdict(psi: number | null): string {
  if (psi === null) return ':white_circle: no data';
  if (psi > 0.25) return ':red_circle: major shift';
  if (psi >= 0.1) return ':large_orange_circle: moderate';
  return ':large_green_circle: stable';
}

/** Rows by PSI, largest first; features without a value last. */
export function sortDriftWorstFirst<T extends { psi: number | null; feature: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1) || a.feature.localeCompare(b.feature));
}

function line(r: DriftRow, name = r.feature): string {
  const p = r.ksPValue ?? r.chi2PValue ?? null;
  const test = r.type === 'CATEGORICAL' ? 'χ² p' : 'KS p';
  const parts = [
    `PSI *${r.psi === null ? 'n/a' : formatDecimal(r.psi)}*`,
    `JS ${r.jsDistance === null ? 'n/a' : formatDecimal(r.jsDistance)}`,
    p === null || p === undefined ? '' : `${test} ${formatMetricValue('CHI2_P_VALUE', p)}`,
  ].filter(Boolean);
  return `${psiVerdict(r.psi)} *${esc(name)}*: ${parts.join(' · ')} (${formatCount(r.sampleSize)} values)`;
}

/** The drift table; says so when the model has no baseline or no traffic in the window. */
export function driftMessage(v: DriftView): SlackMessage {
  const title = `Drift of ${v.model}, last ${v.window}`;
  if (!v.hasBaseline) {
    const t = `${v.model} has no baseline yet, so there is nothing to compare with. Set one with the setBaseline mutation or POST /v1/models/${v.model}/baseline.`;
    return { text: t, blocks: [header(title), section(t)] };
  }
  const sorted = sortDriftWorstFirst(v.rows);
  const withData = sorted.filter((r) => r.sampleSize > 0);
  if (withData.length === 0 && (v.output?.sampleSize ?? 0) === 0) {
    const t = `No events for ${v.model} in the last ${v.window}.`;
    return { text: t, blocks: [header(title), section(t)] };
  }
  const shown = sorted.slice(0, 15);
  const blocks = [header(title), section(shown.map((r) => line(r)).join('\n'))];
  if (v.output) blocks.push(section(line(v.output, `model output (${v.output.feature || 'prediction'})`)));
  const trend = v.trend && sparkline(v.trend.values);
  const notes = [`Baseline: ${formatCount(sorted[0]?.baselineSize ?? v.output?.baselineSize ?? 0)} rows`];
  if (trend) notes.push(`PSI of ${esc(v.trend!.feature)} over the window: \`${trend}\``);
  if (sorted.length > shown.length) notes.push(`${sorted.length - shown.length} more features not shown`);
  blocks.push(context(...notes));
  const worst = sorted[0];
  const headline = worst && worst.psi !== null ? `worst ${worst.feature} PSI ${formatDecimal(worst.psi)}` : 'no drift computed';
  return {
    text: `${title}: ${headline}; ${sorted.filter((r) => (r.psi ?? 0) > 0.25).length} feature(s) with a major shift`,
    blocks,
  };
}
