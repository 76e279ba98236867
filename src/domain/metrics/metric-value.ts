// One number per (metric, window): what monitors, series, health and Slack read. Which
// metric fits which task and column is decided here, once.
import type { ModelRecord } from '../model.js';
import { computeFairness, computeIntegrity, computePerformance, computeTraffic, type PerformanceResult } from './compute-window.js';
import { columnDrift } from './compute-drift.js';
import type { StatsContext } from './context.js';
import { outputColumn } from './profile.js';
import type { WindowStats } from './window-stats.js';

export const METRICS = [
  'PSI', 'JS_DISTANCE', 'KS_STATISTIC', 'WASSERSTEIN', 'CHI2_P_VALUE',
  'MISSING_RATE', 'TYPE_MISMATCH_RATE', 'OUT_OF_RANGE_RATE', 'NEW_CATEGORY_RATE',
  'ACCURACY', 'PRECISION', 'RECALL', 'F1', 'FALSE_POSITIVE_RATE', 'AUC', 'LOG_LOSS', 'BRIER_SCORE',
  'MACRO_F1', 'WEIGHTED_F1', 'MAE', 'RMSE', 'MAPE', 'R2',
  'DEMOGRAPHIC_PARITY_DIFFERENCE', 'DISPARATE_IMPACT_RATIO', 'EQUAL_OPPORTUNITY_DIFFERENCE', 'EQUALIZED_ODDS_DIFFERENCE',
  'PREDICTION_COUNT', 'MEAN_SCORE', 'MEAN_VALUE', 'LABEL_COVERAGE',
] as const;
export type Metric = (typeof METRICS)[number];

type Kind = 'drift' | 'integrity' | 'performance' | 'fairness' | 'traffic';

const DRIFT: Record<string, { field: 'psi' | 'jsDistance' | 'ksStatistic' | 'wasserstein' | 'chi2PValue'; only?: 'NUMERIC' | 'CATEGORICAL' }> = {
  PSI: { field: 'psi' },
  JS_DISTANCE: { field: 'jsDistance' },
  KS_STATISTIC: { field: 'ksStatistic', only: 'NUMERIC' },
  WASSERSTEIN: { field: 'wasserstein', only: 'NUMERIC' },
  CHI2_P_VALUE: { field: 'chi2PValue', only: 'CATEGORICAL' },
};
const INTEGRITY: Record<string, { field: 'missingRate' | 'typeMismatchRate' | 'outOfRangeRate' | 'newCategoryRate'; only?: 'NUMERIC' | 'CATEGORICAL' }> = {
  MISSING_RATE: { field: 'missingRate' },
  TYPE_MISMATCH_RATE: { field: 'typeMismatchRate' },
  OUT_OF_RANGE_RATE: { field: 'outOfRangeRate', only: 'NUMERIC' },
  NEW_CATEGORY_RATE: { field: 'newCategoryRate', only: 'CATEGORICAL' },
};
const B = ['BINARY_CLASSIFICATION'];
const PERFORMANCE: Record<string, { field: keyof PerformanceResult; tasks: string[] }> = {
  ACCURACY: { field: 'accuracy', tasks: ['BINARY_CLASSIFICATION', 'MULTICLASS_CLASSIFICATION'] },
  PRECISION: { field: 'precision', tasks: B },
  RECALL: { field: 'recall', tasks: B },
  F1: { field: 'f1', tasks: B },
  FALSE_POSITIVE_RATE: { field: 'falsePositiveRate', tasks: B },
  AUC: { field: 'auc', tasks: B },
  LOG_LOSS: { field: 'logLoss', tasks: B },
  BRIER_SCORE: { field: 'brierScore', tasks: B },
  MACRO_F1: { field: 'macroF1', tasks: ['MULTICLASS_CLASSIFICATION'] },
  WEIGHTED_F1: { field: 'weightedF1', tasks: ['MULTICLASS_CLASSIFICATION'] },
  MAE: { field: 'mae', tasks: ['REGRESSION'] },
  RMSE: { field: 'rmse', tasks: ['REGRESSION'] },
  MAPE: { field: 'mape', tasks: ['REGRESSION'] },
  R2: { field: 'r2', tasks: ['REGRESSION'] },
};
const FAIRNESS: Record<string, 'demographicParityDifference' | 'disparateImpactRatio' | 'equalOpportunityDifference' | 'equalizedOddsDifference'> = {
  DEMOGRAPHIC_PARITY_DIFFERENCE: 'demographicParityDifference',
  DISPARATE_IMPACT_RATIO: 'disparateImpactRatio',
  EQUAL_OPPORTUNITY_DIFFERENCE: 'equalOpportunityDifference',
  EQUALIZED_ODDS_DIFFERENCE: 'equalizedOddsDifference',
};
const TRAFFIC: Record<string, { field: 'predictionCount' | 'meanScore' | 'meanValue' | 'labelCoverage'; tasks?: string[] }> = {
  PREDICTION_COUNT: { field: 'predictionCount' },
  MEAN_SCORE: { field: 'meanScore', tasks: ['BINARY_CLASSIFICATION', 'MULTICLASS_CLASSIFICATION'] },
  MEAN_VALUE: { field: 'meanValue', tasks: ['REGRESSION'] },
  LABEL_COVERAGE: { field: 'labelCoverage' },
};

/** Which family a metric belongs to. */
export function metricKind(metric: Metric): Kind {
  if (metric in DRIFT) return 'drift';
  if (metric in INTEGRITY) return 'integrity';
  if (metric in PERFORMANCE) return 'performance';
  if (metric in FAIRNESS) return 'fairness';
  return 'traffic';
}

export interface MetricQueryProblem {
  field: 'metric' | 'feature' | 'attribute';
  reason: string;
}

const TASK_WORDS: Record<string, string> = {
  BINARY_CLASSIFICATION: 'binary classification',
  MULTICLASS_CLASSIFICATION: 'multiclass classification',
  REGRESSION: 'regression',
};

/** Why (metric, feature, attribute) does not fit the model, or null when it does. */
export function checkMetricQuery(model: ModelRecord, metric: string, feature?: string | null, attribute?: string | null): MetricQueryProblem | null {
  if (!(METRICS as readonly string[]).includes(metric)) return { field: 'metric', reason: `unknown metric "${metric}"` };
  const m = metric as Metric;
  const kind = metricKind(m);
  const task = TASK_WORDS[model.task] ?? model.task;
  if (feature != null && kind !== 'drift' && kind !== 'integrity') return { field: 'feature', reason: `${m} is not a per-feature metric; leave feature out` };
  if (attribute != null && kind !== 'fairness') return { field: 'attribute', reason: `${m} is not a fairness metric; leave attribute out` };
  const feat = feature != null ? model.features.find((f) => f.name === feature) : undefined;
  if (feature != null && !feat) return { field: 'feature', reason: `model "${model.name}" has no feature "${feature}" (it has ${model.features.map((f) => f.name).join(', ') || 'none'})` };
  if (kind === 'drift') {
    const only = DRIFT[m]!.only;
    const type = feat ? feat.type : outputColumn(model).numeric ? 'NUMERIC' : 'CATEGORICAL';
    if (only && type !== only) {
      const what = feat ? `feature "${feat.name}" is ${type}` : `the output of a ${task} model is ${type}`;
      return { field: feat ? 'feature' : 'metric', reason: `${m} applies to ${only} columns only; ${what}` };
    }
  } else if (kind === 'integrity') {
    if (!feat) return { field: 'feature', reason: `${m} needs a feature` };
    const only = INTEGRITY[m]!.only;
    if (only && feat.type !== only) return { field: 'feature', reason: `${m} applies to ${only} features only; "${feat.name}" is ${feat.type}` };
  } else if (kind === 'performance') {
    if (!PERFORMANCE[m]!.tasks.includes(model.task)) return { field: 'metric', reason: `${m} does not apply to a ${task} model` };
  } else if (kind === 'fairness') {
    if (model.task !== 'BINARY_CLASSIFICATION') return { field: 'metric', reason: `${m} needs a binary classifier; "${model.name}" is ${task}` };
    if (attribute == null) return { field: 'attribute', reason: `${m} needs an attribute (a protected feature)` };
    const a = model.features.find((f) => f.name === attribute);
    if (!a) return { field: 'attribute', reason: `model "${model.name}" has no feature "${attribute}"` };
    if (!a.protected) return { field: 'attribute', reason: `feature "${attribute}" is not marked protected` };
  } else {
    const tasks = TRAFFIC[m]!.tasks;
    if (tasks && !tasks.includes(model.task)) return { field: 'metric', reason: `${m} does not apply to a ${task} model` };
  }
  return null;
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
    return { value: d[DRIFT[metric]!.field], sampleSize: d.sampleSize };
  }
  const n = stats.count;
  if (kind === 'integrity') {
    const r = computeIntegrity(stats, ctx).find((x) => x.feature === feature);
    return { value: r ? r[INTEGRITY[metric]!.field] : null, sampleSize: n };
  }
  if (kind === 'performance') return { value: computePerformance(stats)[PERFORMANCE[metric]!.field], sampleSize: n };
  if (kind === 'fairness') {
    const pos = ctx.protectedIdx.findIndex((i) => ctx.features[i]!.name === attribute);
    return { value: pos < 0 ? null : computeFairness(stats, ctx, pos)[FAIRNESS[metric]!], sampleSize: n };
  }
  return { value: computeTraffic(stats)[TRAFFIC[metric]!.field], sampleSize: n };
}
