// One number per (metric, window): what monitors, series, health and Slack read. Which
// metric fits which task and column is the catalogue's call (catalogue.ts).
import type { ModelRecord } from '../model.js';
import { computeFairness, computeIntegrity, computePerformance, computeTraffic, type PerformanceResult } from './compute-window.js';
import { columnDrift } from './compute-drift.js';
import type { StatsContext } from './context.js';
import type { WindowStats } from './window-stats.js';
import { METRICS as METRICS_INFO, METRIC_NAMES, checkMetricFits, type Metric, type MetricFamily } from './catalogue.js';
import type { DriftResult, FairnessResult, IntegrityResult, TrafficResult } from './compute-window.js';
import { estimatedPerformance, type EstimatedPerformance } from './cbpe.js';

/** Every metric name (the catalogue's, which a test holds equal to the SDL's enum). */
export const METRICS = METRIC_NAMES;
export type { Metric };

type Kind = MetricFamily;

/** The result field holding the metric's value (the catalogue's `field`). */
const fieldOf = <T>(metric: Metric) => METRICS_INFO[metric].field as keyof T;

// Compile-time: every catalogue `field` names a field of its family's result type (a wrong
// one fails here, naming the metric).
type ResultOf = { drift: DriftResult; integrity: IntegrityResult; performance: PerformanceResult; fairness: FairnessResult; traffic: TrafficResult; estimated: EstimatedPerformance };
type Info<M extends Metric> = (typeof METRICS_INFO)[M];
type Misfit = { [M in Metric]: Info<M>['field'] extends keyof ResultOf[Info<M>['family']] ? never : M }[Metric];
export const CATALOGUE_FIELDS_FIT: [Misfit] extends [never] ? true : Misfit = true;

/** Which family a metric belongs to. */
export function metricKind(metric: Metric): Kind {
  return METRICS_INFO[metric].family;
}

export interface MetricQueryProblem {
  field: 'metric' | 'feature' | 'attribute';
  reason: string;
}

/** Why (metric, feature, attribute) does not fit the model, or null when it does. */
export function checkMetricQuery(model: ModelRecord, metric: string, feature?: string | null, attribute?: string | null): MetricQueryProblem | null {
  const problem = checkMetricFits(model, metric, feature ?? null, attribute ?? null);
  return problem && { field: problem.field, reason: problem.message };
}

/**
 * The metric's value over a window and its sample size: usable values for drift metrics,
 * events with a score for estimated ones, events otherwise. Assumes `checkMetricQuery` passed.
 */
export function metricValue(metric: Metric, stats: WindowStats, ctx: StatsContext, feature?: string | null, attribute?: string | null): { value: number | null; sampleSize: number } {
  const kind = metricKind(metric);
  if (kind === 'drift') {
    if (!stats.histograms) throw new Error('drift needs statistics read with their histograms');
    const i = feature != null ? ctx.features.findIndex((c) => c.name === feature) : -1;
    const d = i >= 0 ? columnDrift(stats.features[i]!, ctx.features[i]!) : columnDrift(stats.output, ctx.output);
    return { value: d[fieldOf<DriftResult>(metric)] as number | null, sampleSize: d.sampleSize };
  }
  const n = stats.count;
  if (kind === 'integrity') {
    const r = computeIntegrity(stats, ctx).find((x) => x.feature === feature);
    return { value: r ? (r[fieldOf<IntegrityResult>(metric)] as number | null) : null, sampleSize: n };
  }
  if (kind === 'estimated') {
    // no calibration (old profile, no labelled baseline row): no estimate
    if (stats.cbpe === null) return { value: null, sampleSize: 0 };
    const e = estimatedPerformance(stats.cbpe);
    return { value: e[fieldOf<EstimatedPerformance>(metric)] as number | null, sampleSize: e.sampleSize };
  }
  if (kind === 'performance') return { value: computePerformance(stats)[fieldOf<PerformanceResult>(metric)] as number | null, sampleSize: n };
  if (kind === 'fairness') {
    const pos = ctx.protectedIdx.findIndex((i) => ctx.features[i]!.name === attribute);
    return { value: pos < 0 ? null : (computeFairness(stats, ctx, pos)[fieldOf<FairnessResult>(metric)] as number | null), sampleSize: n };
  }
  return { value: computeTraffic(stats)[fieldOf<TrafficResult>(metric)] as number | null, sampleSize: n };
}
