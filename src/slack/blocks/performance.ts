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
}

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
  if (p.labeledCount === 0) {
    const t = p.count === 0 ? `No events for ${v.model} in the last ${v.window}.` : `No actuals yet for ${v.model} in the last ${v.window}: ${coverage}. Send them with logActuals or POST /v1/models/${v.model}/actuals.`;
    return { text: t, blocks: [header(title), section(t)] };
  }
  const metrics = (TASK_METRICS[v.task] ?? []).filter(([field]) => p[field] !== null && p[field] !== undefined);
  const parts = metrics.map(([field, metric]) => `${metricLabel(metric)} *${formatMetricValue(metric, p[field] ?? null)}*`);
  const notes = [coverage];
  const trend = v.trend && sparkline(v.trend.values);
  if (trend) notes.push(`${metricLabel(v.trend!.metric)} over the window: \`${trend}\``);
  return {
    text: `${title}: ${metrics.map(([field, metric]) => `${metricLabel(metric)} ${formatMetricValue(metric, p[field] ?? null)}`).join(', ')} (${coverage})`,
    blocks: [header(title), section(parts.join(' · ') || 'No metric could be computed.'), context(...notes)],
  };
}
