// `/glassbox compare MODEL V1 V2 [WINDOW]`: two versions of a model side by side, each on
// its own traffic (the version slices), with the same metrics the other answers use.
import { formatCount, formatDecimal, formatMetricValue, metricLabel } from './format.js';
import { TASK_METRICS, type PerformanceNumbers } from './performance.js';
import type { DriftRow } from './drift.js';
import { context, esc, header, section, type SlackMessage } from './kit.js';

export interface VersionColumn {
  version: string;
  perf: PerformanceNumbers;
  drift: DriftRow[];
  hasBaseline: boolean;
}

export interface CompareView {
  model: string;
  task: string;
  window: string;
  columns: [VersionColumn, VersionColumn];
}

const SHOWN_METRICS = 5;
const SHOWN_FEATURES = 5;

function signed(delta: number, metric: string): string {
  const text = formatMetricValue(metric, Math.abs(delta));
  return delta > 0 ? `+${text}` : delta < 0 ? `−${text}` : '±0';
}

function metricLines(task: string, a: VersionColumn, b: VersionColumn): string[] {
  const rows = (TASK_METRICS[task] ?? []).filter(([field]) => (a.perf[field] ?? null) !== null || (b.perf[field] ?? null) !== null);
  return rows.slice(0, SHOWN_METRICS).map(([field, metric]) => {
    const x = a.perf[field] ?? null;
    const y = b.perf[field] ?? null;
    const delta = x !== null && y !== null ? ` (${signed(y - x, metric)})` : '';
    return `*${metricLabel(metric)}* ${esc(a.version)} ${formatMetricValue(metric, x)} · ${esc(b.version)} ${formatMetricValue(metric, y)}${delta}`;
  });
}

/** The features drifting most in either version, with both PSIs. */
function driftLines(a: VersionColumn, b: VersionColumn): string[] {
  const psiOf = (c: VersionColumn) => new Map(c.drift.map((r) => [r.feature, r.psi]));
  const pa = psiOf(a);
  const pb = psiOf(b);
  const worst = (f: string) => Math.max(pa.get(f) ?? -1, pb.get(f) ?? -1);
  const features = [...new Set([...pa.keys(), ...pb.keys()])].filter((f) => worst(f) >= 0);
  features.sort((f, g) => worst(g) - worst(f) || f.localeCompare(g));
  const psi = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : formatDecimal(v));
  return features.slice(0, SHOWN_FEATURES).map((f) => `*${esc(f)}* PSI ${esc(a.version)} ${psi(pa.get(f))} · ${esc(b.version)} ${psi(pb.get(f))}`);
}

/** Side by side; says so when a version has no traffic in the window. */
export function compareMessage(v: CompareView): SlackMessage {
  const [a, b] = v.columns;
  const title = `${v.model}: ${a.version} vs ${b.version}, last ${v.window}`;
  const traffic = `Events: ${esc(a.version)} ${formatCount(a.perf.count)} (${formatCount(a.perf.labeledCount)} labelled) · ${esc(b.version)} ${formatCount(b.perf.count)} (${formatCount(b.perf.labeledCount)} labelled)`;
  const idle = v.columns.filter((c) => c.perf.count === 0).map((c) => c.version);
  const metrics = metricLines(v.task, a, b);
  const drift = driftLines(a, b);
  const blocks = [header(title), section(traffic)];
  if (metrics.length > 0) blocks.push(section(metrics.join('\n')));
  else blocks.push(section('No labelled events in the window for either version: no performance to compare yet.'));
  if (drift.length > 0) blocks.push(section(`Drift against each version's baseline:\n${drift.join('\n')}`));
  const notes: string[] = [];
  if (idle.length > 0) notes.push(`No events for ${idle.map(esc).join(' and ')} in the last ${v.window}.`);
  const noBase = v.columns.filter((c) => !c.hasBaseline).map((c) => c.version);
  if (noBase.length > 0) notes.push(`No baseline for ${noBase.map(esc).join(' and ')}: no drift to show.`);
  if (notes.length > 0) blocks.push(context(...notes));
  const plain = metrics.map((m) => m.replace(/\*/g, '')).join('; ');
  return { text: `${title}. ${traffic.replace(/\*/g, '')}${plain ? `. ${plain}` : ''}`, blocks };
}
