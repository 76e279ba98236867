// The chart an answer carries: the same series points its sparkline is drawn from, with the
// warning and critical thresholds of an enabled monitor watching that very metric, if any.
import type { ModelRecord } from '../domain/model.js';
import type { Deps } from '../services/deps.js';
import type { SeriesPoint } from '../services/metrics.js';
import { listMonitors } from '../services/monitors.js';
import type { AnswerChart } from './chart-upload.js';
import { metricLabel } from './blocks/format.js';

export interface ChartQuestion {
  model: ModelRecord;
  metric: string;
  feature?: string | null;
  from: number;
  to: number;
  points: SeriesPoint[];
  /** e.g. "last 24h" */
  window: string;
}

/** The chart of a series as an answer carries it; thresholds from the first enabled monitor of (metric, feature). */
export async function answerChart(deps: Deps, q: ChartQuestion): Promise<AnswerChart> {
  const feature = q.feature ?? null;
  const monitor = (await listMonitors(deps, { modelId: q.model.id })).find((m) => m.enabled && m.metric === q.metric && m.feature === feature && m.attribute === null);
  const what = `${metricLabel(q.metric)}${feature ? ` of ${feature}` : ''}`;
  const title = `${q.model.name}: ${what}, ${q.window}`;
  return {
    title,
    points: q.points.map((p) => ({ t: p.start, value: p.value })),
    from: q.from,
    to: q.to,
    warning: monitor?.warningThreshold ?? null,
    critical: monitor?.criticalThreshold ?? null,
    filename: `${q.model.name}-${q.metric.toLowerCase()}${feature ? `-${feature.replace(/[^\w.-]+/g, '_').slice(0, 40)}` : ''}.png`,
    altText: `Chart of ${what} for ${q.model.name} over the ${q.window}${monitor ? ` with the thresholds of monitor "${monitor.name}"` : ''}`,
  };
}

/** The chart `make` draws, or none (logged) when it fails: a chart never costs the answer. */
export async function chartOrNone(deps: Deps, make: () => Promise<AnswerChart>): Promise<AnswerChart | undefined> {
  try {
    return await make();
  } catch (err) {
    deps.log.warn({ err }, 'slack: no chart for this answer');
    return undefined;
  }
}
