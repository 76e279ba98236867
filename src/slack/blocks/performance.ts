// `/glassbox performance MODEL [WINDOW]`: the task's metrics over labelled events.
import { METRICS, metricsOf } from '../../domain/metrics/catalogue.js';
import type { TaskType } from '../../domain/model.js';
import { formatCount, formatMetricValue, formatPercent, metricLabel, sparkline } from './format.js';
import { context, header, section, type SlackMessage } from './kit.js';

const TASKS: TaskType[] = ['BINARY_CLASSIFICATION', 'MULTICLASS_CLASSIFICATION', 'REGRESSION'];

/** The GraphQL Performance object's numbers (null where not computable). */
export interface PerformanceNumbers {
  count: number;
  labeledCount: number;
  labelCoverage: number | null;
  [metric: string]: number | null;
}

export interface PerformanceView {
  model: string;
  task: string;
  window: string;
  perf: PerformanceNumbers;
  /** daily (or hourly) values of the headline metric over the window, oldest first */
  trend?: { metric: string; values: Array<number | null> };
  /** CBPE's estimate over the window (Performance.estimated), where the model has one */
  estimated?: EstimatedNumbers | null;
}

/** The GraphQL EstimatedPerformance object's numbers. */
export interface EstimatedNumbers {
  sampleSize: number;
  [field: string]: number | null;
}

/** The estimated metrics of a task, as [EstimatedPerformance field, Metric enum], in the catalogue's order. */
const ESTIMATED_METRICS: Record<string, Array<[string, string]>> = Object.fromEntries(
  TASKS.map((task) => [task, metricsOf('estimated', task).map((m): [string, string] => [METRICS[m].field, m])]),
);

/** "estimated accuracy *84.0%* · estimated AUC *0.677*", or null when nothing is estimated. */
function estimateParts(task: string, e: EstimatedNumbers | null | undefined, bold: boolean): string[] | null {
  if (!e || e.sampleSize === 0) return null;
  const b = bold ? '*' : '';
  const parts = (ESTIMATED_METRICS[task] ?? [])
    .filter(([field]) => e[field] !== null && e[field] !== undefined)
    .map(([field, metric]) => `${metricLabel(metric)} ${b}${formatMetricValue(metric, e[field] ?? null)}${b}`);
  return parts.length ? parts : null;
}

const CBPE_NOTE = 'from the scores alone (CBPE, calibrated on the baseline): an expectation, not a measurement';

/** The metrics shown for a task, headline first, as [Performance field, Metric enum]: the catalogue's, in its order. */
export const TASK_METRICS: Record<string, Array<[string, string]>> = Object.fromEntries(
  TASKS.map((task) => [task, metricsOf('performance', task).map((m): [string, string] => [METRICS[m].field, m])]),
);

/** The headline metric of a task (accuracy, or RMSE for regression). */
export function headlineMetric(task: string): { field: string; metric: string } {
  const [field, metric] = TASK_METRICS[task]?.[0] ?? ['accuracy', 'ACCURACY'];
  return { field, metric };
}

/** The performance answer; says so when no event in the window has its actual yet. */
export function performanceMessage(v: PerformanceView): SlackMessage {
  const title = `Performance of ${v.model}, last ${v.window}`;
  const p = v.perf;
  const coverage = `${formatCount(p.labeledCount)} of ${formatCount(p.count)} events labelled${p.labelCoverage !== null ? ` (${formatPercent(p.labelCoverage)})` : ''}`;
  const estimate = estimateParts(v.task, v.estimated, true);
  if (p.labeledCount === 0) {
    const t = p.count === 0 ? `No events for ${v.model} in the last ${v.window}.` : `No actuals yet for ${v.model} in the last ${v.window}: ${coverage}. Send them with logActuals or POST /v1/models/${v.model}/actuals.`;
    if (p.count === 0 || !estimate) return { text: t, blocks: [header(title), section(t)] };
    // labels that come late: what the scores alone say meanwhile, marked as an estimate
    const notes = [`Estimated ${CBPE_NOTE}, over ${formatCount(v.estimated!.sampleSize)} scored events.`];
    const trend = v.trend && sparkline(v.trend.values);
    if (trend) notes.push(`${metricLabel(v.trend!.metric)} over the window: \`${trend}\``);
    return {
      text: `${t} Estimated without labels: ${estimateParts(v.task, v.estimated, false)!.join(', ')}.`,
      blocks: [header(title), section(t), section(estimate.join(' · ')), context(...notes)],
    };
  }
  const metrics = (TASK_METRICS[v.task] ?? []).filter(([field]) => p[field] !== null && p[field] !== undefined);
  const parts = metrics.map(([field, metric]) => `${metricLabel(metric)} *${formatMetricValue(metric, p[field] ?? null)}*`);
  const notes = [coverage];
  const trend = v.trend && sparkline(v.trend.values);
  if (trend) notes.push(`${metricLabel(v.trend!.metric)} over the window: \`${trend}\``);
  if (estimate) notes.push(`Estimated ${CBPE_NOTE}: ${estimateParts(v.task, v.estimated, false)!.join(', ')}`);
  return {
    text: `${title}: ${metrics.map(([field, metric]) => `${metricLabel(metric)} ${formatMetricValue(metric, p[field] ?? null)}`).join(', ')} (${coverage})`,
    blocks: [header(title), section(parts.join(' · ') || 'No metric could be computed.'), context(...notes)],
  };
}
