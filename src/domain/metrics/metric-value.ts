// One number per (metric, window): what monitors, series, health and Slack read. Which
// metric fits which task and column is the catalogue's call (catalogue.ts).
import type { ModelRecord } from '../model.js';
import { computeFairness, computeIntegrity, computePerformance, computeTraffic, type PerformanceResult } from './compute-window.js';
import { columnDrift } from './compute-drift.js';
import type { StatsContext } from './context.js';
import type { WindowStats } from './window-stats.js';
import { METRICS as CATALOGUE, checkMetricFits, type MetricFamily } from './catalogue.js';

export const METRICS = [
  'PSI', 'JS_DISTANCE', 'KS_STATISTIC', 'WASSERSTEIN', 'CHI2_P_VALUE',
  'MISSING_RATE', 'TYPE_MISMATCH_RATE', 'OUT_OF_RANGE_RATE', 'NEW_CATEGORY_RATE',
  'ACCURACY', 'PRECISION', 'RECALL', 'F1', 'FALSE_POSITIVE_RATE', 'AUC', 'LOG_LOSS', 'BRIER_SCORE',
  'MACRO_F1', 'WEIGHTED_F1', 'MAE', 'RMSE', 'MAPE', 'R2',
  'DEMOGRAPHIC_PARITY_DIFFERENCE', 'DISPARATE_IMPACT_RATIO', 'EQUAL_OPPORTUNITY_DIFFERENCE', 'EQUALIZED_ODDS_DIFFERENCE',
  'PREDICTION_COUNT', 'MEAN_SCORE', 'MEAN_VALUE', 'LABEL_COVERAGE',
] as const;
export type Metric = (typeof METRICS)[number];

type Kind = MetricFamily;

const DRIFT: Record<string, 'psi' | 'jsDistance' | 'ksStatistic' | 'wasserstein' | 'chi2PValue'> = {
  PSI: 'psi',
  JS_DISTANCE: 'jsDistance',
  KS_STATISTIC: 'ksStatistic',
  WASSERSTEIN: 'wasserstein',
  CHI2_P_VALUE: 'chi2PValue',
};
const INTEGRITY: Record<string, 'missingRate' | 'typeMismatchRate' | 'outOfRangeRate' | 'newCategoryRate'> = {
  MISSING_RATE: 'missingRate',
  TYPE_MISMATCH_RATE: 'typeMismatchRate',
  OUT_OF_RANGE_RATE: 'outOfRangeRate',
  NEW_CATEGORY_RATE: 'newCategoryRate',
};
const PERFORMANCE: Record<string, keyof PerformanceResult> = {
  ACCURACY: 'accuracy',
  PRECISION: 'precision',
  RECALL: 'recall',
  F1: 'f1',
  FALSE_POSITIVE_RATE: 'falsePositiveRate',
  AUC: 'auc',
  LOG_LOSS: 'logLoss',
  BRIER_SCORE: 'brierScore',
  MACRO_F1: 'macroF1',
  WEIGHTED_F1: 'weightedF1',
  MAE: 'mae',
  RMSE: 'rmse',
  MAPE: 'mape',
  R2: 'r2',
};
const FAIRNESS: Record<string, 'demographicParityDifference' | 'disparateImpactRatio' | 'equalOpportunityDifference' | 'equalizedOddsDifference'> = {
  DEMOGRAPHIC_PARITY_DIFFERENCE: 'demographicParityDifference',
  DISPARATE_IMPACT_RATIO: 'disparateImpactRatio',
  EQUAL_OPPORTUNITY_DIFFERENCE: 'equalOpportunityDifference',
  EQUALIZED_ODDS_DIFFERENCE: 'equalizedOddsDifference',
};
const TRAFFIC: Record<string, 'predictionCount' | 'meanScore' | 'meanValue' | 'labelCoverage'> = {
  PREDICTION_COUNT: 'predictionCount',
  MEAN_SCORE: 'meanScore',
  MEAN_VALUE: 'meanValue',
  LABEL_COVERAGE: 'labelCoverage',
};

/** Which family a metric belongs to. */
export function metricKind(metric: Metric): Kind {
  return CATALOGUE[metric]!.family;
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
 * events otherwise. Assumes `checkMetricQuery` passed.
 */
export function metricValue(metric: Metric, stats: WindowStats, ctx: StatsContext, feature?: string | null, attribute?: string | null): { value: number | null; sampleSize: number } {
  const kind = metricKind(metric);
  if (kind === 'drift') {
    if (!stats.histograms) throw new Error('drift needs statistics read with their histograms');
    const i = feature != null ? ctx.features.findIndex((c) => c.name === feature) : -1;
    const d = i >= 0 ? columnDrift(stats.features[i]!, ctx.features[i]!) : columnDrift(stats.output, ctx.output);
    return { value: d[DRIFT[metric]!], sampleSize: d.sampleSize };
  }
  const n = stats.count;
  if (kind === 'integrity') {
    const r = computeIntegrity(stats, ctx).find((x) => x.feature === feature);
    return { value: r ? r[INTEGRITY[metric]!] : null, sampleSize: n };
  }
  if (kind === 'performance') return { value: computePerformance(stats)[PERFORMANCE[metric]!], sampleSize: n };
  if (kind === 'fairness') {
    const pos = ctx.protectedIdx.findIndex((i) => ctx.features[i]!.name === attribute);
    return { value: pos < 0 ? null : computeFairness(stats, ctx, pos)[FAIRNESS[metric]!], sampleSize: n };
  }
  return { value: computeTraffic(stats)[TRAFFIC[metric]!], sampleSize: n };
}
