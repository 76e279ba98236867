// The catalogue of metrics: each one's family, its words for people, and which model and
// column it means something on. The one place that decides whether (metric, feature,
// attribute) fits a model, for queries, series, monitors and Slack alike. Pure; services
// turn a complaint into a BAD_USER_INPUT.
import type { FeatureType, ModelRecord, TaskType } from '../model.js';

export type MetricFamily = 'drift' | 'integrity' | 'performance' | 'fairness' | 'traffic' | 'estimated';

/** How a value reads: a rate in %, a count grouped, a p-value, a plain decimal. */
export type MetricFormat = 'rate' | 'count' | 'pValue' | 'decimal';

interface MetricInfo {
  family: MetricFamily;
  /** words for people (alert messages, webhooks) */
  label: string;
  /** the typographic form where it differs (Slack): "R²" */
  symbol?: string;
  /** the field of the family's GraphQL result type that holds the value */
  field: string;
  format: MetricFormat;
  /** drift and integrity: the feature types it applies to (drift also to the output's type) */
  types?: readonly FeatureType[];
  /** performance, estimated and traffic: the tasks it applies to */
  tasks?: readonly TaskType[];
}

const ALL_TASKS = ['BINARY_CLASSIFICATION', 'MULTICLASS_CLASSIFICATION', 'REGRESSION'] as const;
const BINARY = ['BINARY_CLASSIFICATION'] as const;
const CLASSIFIERS = ['BINARY_CLASSIFICATION', 'MULTICLASS_CLASSIFICATION'] as const;
const MULTICLASS = ['MULTICLASS_CLASSIFICATION'] as const;
const REGRESSION = ['REGRESSION'] as const;
const BOTH = ['NUMERIC', 'CATEGORICAL'] as const;

/**
 * Every metric of the SDL's `Metric` enum (a test holds them equal), in the order people
 * see them: within a task's performance metrics the first is its headline.
 */
export const METRICS = {
  PSI: { family: 'drift', label: 'PSI', field: 'psi', format: 'decimal', types: BOTH },
  JS_DISTANCE: { family: 'drift', label: 'JS distance', field: 'jsDistance', format: 'decimal', types: BOTH },
  KS_STATISTIC: { family: 'drift', label: 'KS statistic', field: 'ksStatistic', format: 'decimal', types: ['NUMERIC'] },
  WASSERSTEIN: { family: 'drift', label: 'Wasserstein distance', field: 'wasserstein', format: 'decimal', types: ['NUMERIC'] },
  CHI2_P_VALUE: { family: 'drift', label: 'chi-square p-value', symbol: 'chi² p-value', field: 'chi2PValue', format: 'pValue', types: ['CATEGORICAL'] },
  MISSING_RATE: { family: 'integrity', label: 'missing rate', field: 'missingRate', format: 'rate', types: BOTH },
  TYPE_MISMATCH_RATE: { family: 'integrity', label: 'type mismatch rate', field: 'typeMismatchRate', format: 'rate', types: BOTH },
  OUT_OF_RANGE_RATE: { family: 'integrity', label: 'out-of-range rate', field: 'outOfRangeRate', format: 'rate', types: ['NUMERIC'] },
  NEW_CATEGORY_RATE: { family: 'integrity', label: 'new category rate', field: 'newCategoryRate', format: 'rate', types: ['CATEGORICAL'] },
  ACCURACY: { family: 'performance', label: 'accuracy', field: 'accuracy', format: 'rate', tasks: CLASSIFIERS },
  AUC: { family: 'performance', label: 'AUC', field: 'auc', format: 'decimal', tasks: BINARY },
  PRECISION: { family: 'performance', label: 'precision', field: 'precision', format: 'rate', tasks: BINARY },
  RECALL: { family: 'performance', label: 'recall', field: 'recall', format: 'rate', tasks: BINARY },
  F1: { family: 'performance', label: 'F1', field: 'f1', format: 'rate', tasks: BINARY },
  FALSE_POSITIVE_RATE: { family: 'performance', label: 'false positive rate', field: 'falsePositiveRate', format: 'rate', tasks: BINARY },
  LOG_LOSS: { family: 'performance', label: 'log loss', field: 'logLoss', format: 'decimal', tasks: BINARY },
  BRIER_SCORE: { family: 'performance', label: 'Brier score', field: 'brierScore', format: 'decimal', tasks: BINARY },
  MACRO_F1: { family: 'performance', label: 'macro F1', field: 'macroF1', format: 'rate', tasks: MULTICLASS },
  WEIGHTED_F1: { family: 'performance', label: 'weighted F1', field: 'weightedF1', format: 'rate', tasks: MULTICLASS },
  RMSE: { family: 'performance', label: 'RMSE', field: 'rmse', format: 'decimal', tasks: REGRESSION },
  MAE: { family: 'performance', label: 'MAE', field: 'mae', format: 'decimal', tasks: REGRESSION },
  MAPE: { family: 'performance', label: 'MAPE', field: 'mape', format: 'rate', tasks: REGRESSION },
  R2: { family: 'performance', label: 'R2', symbol: 'R²', field: 'r2', format: 'decimal', tasks: REGRESSION },
  DEMOGRAPHIC_PARITY_DIFFERENCE: { family: 'fairness', label: 'demographic parity difference', field: 'demographicParityDifference', format: 'decimal' },
  DISPARATE_IMPACT_RATIO: { family: 'fairness', label: 'disparate impact ratio', field: 'disparateImpactRatio', format: 'decimal' },
  EQUAL_OPPORTUNITY_DIFFERENCE: { family: 'fairness', label: 'equal opportunity difference', field: 'equalOpportunityDifference', format: 'decimal' },
  EQUALIZED_ODDS_DIFFERENCE: { family: 'fairness', label: 'equalized odds difference', field: 'equalizedOddsDifference', format: 'decimal' },
  PREDICTION_COUNT: { family: 'traffic', label: 'prediction count', field: 'predictionCount', format: 'count', tasks: ALL_TASKS },
  MEAN_SCORE: { family: 'traffic', label: 'mean score', field: 'meanScore', format: 'decimal', tasks: CLASSIFIERS },
  MEAN_VALUE: { family: 'traffic', label: 'mean value', field: 'meanValue', format: 'decimal', tasks: REGRESSION },
  LABEL_COVERAGE: { family: 'traffic', label: 'label coverage', field: 'labelCoverage', format: 'rate', tasks: ALL_TASKS },
  // CBPE (METRICS.md): fields of Performance.estimated, from scores alone
  ESTIMATED_ACCURACY: { family: 'estimated', label: 'estimated accuracy', field: 'accuracy', format: 'rate', tasks: BINARY },
  ESTIMATED_PRECISION: { family: 'estimated', label: 'estimated precision', field: 'precision', format: 'rate', tasks: BINARY },
  ESTIMATED_RECALL: { family: 'estimated', label: 'estimated recall', field: 'recall', format: 'rate', tasks: BINARY },
  ESTIMATED_F1: { family: 'estimated', label: 'estimated F1', field: 'f1', format: 'rate', tasks: BINARY },
  ESTIMATED_AUC: { family: 'estimated', label: 'estimated AUC', field: 'auc', format: 'decimal', tasks: BINARY },
} as const satisfies Record<string, MetricInfo>;

export type Metric = keyof typeof METRICS;

/** Every metric name, in catalogue order. */
export const METRIC_NAMES = Object.keys(METRICS) as Metric[];

/** The catalogue entry of a metric name, or undefined for a name that is none. */
export function metricInfo(metric: string): MetricInfo | undefined {
  return Object.hasOwn(METRICS, metric) ? (METRICS as Record<string, MetricInfo>)[metric] : undefined;
}

/** The metrics of a family (in catalogue order) that apply to a task, when the family is task-bound. */
export function metricsOf(family: MetricFamily, task?: TaskType): Metric[] {
  return METRIC_NAMES.filter((m) => {
    const info: MetricInfo = METRICS[m];
    return info.family === family && (task === undefined || !info.tasks || info.tasks.includes(task));
  });
}

/** A complaint about one input field, for the service to raise as BAD_USER_INPUT. */
export interface FieldProblem {
  field: 'metric' | 'feature' | 'attribute';
  message: string;
}

const TASK_TEXT: Record<TaskType, string> = {
  BINARY_CLASSIFICATION: 'binary classification',
  MULTICLASS_CLASSIFICATION: 'multiclass classification',
  REGRESSION: 'regression',
};

/** The type drift sees for the model's output: a multiclass label is categorical, a score or value numeric. */
export function outputType(task: TaskType): FeatureType {
  return task === 'MULTICLASS_CLASSIFICATION' ? 'CATEGORICAL' : 'NUMERIC';
}

/** Null when `metric` with this feature/attribute means something on `model`, else the field at fault. */
export function checkMetricFits(
  model: ModelRecord,
  metric: string,
  feature: string | null,
  attribute: string | null,
): FieldProblem | null {
  const info = metricInfo(metric);
  if (!info) return { field: 'metric', message: `unknown metric ${metric}` };
  const takesFeature = info.family === 'drift' || info.family === 'integrity';
  if (feature !== null && !takesFeature) {
    return { field: 'feature', message: `${metric} is a ${info.family} metric of the whole model; it takes no feature` };
  }
  if (attribute !== null && info.family !== 'fairness') {
    return { field: 'attribute', message: `only fairness metrics take an attribute, and ${metric} is a ${info.family} metric` };
  }
  if (takesFeature) {
    if (feature === null) {
      if (info.family === 'integrity') return { field: 'feature', message: `${metric} needs a feature (one of ${names(model)})` };
      const t = outputType(model.task);
      if (!info.types!.includes(t)) {
        return { field: 'feature', message: `${metric} does not apply to the output of a ${TASK_TEXT[model.task]} model (${t.toLowerCase()}); name a ${info.types!.map((x) => x.toLowerCase()).join(' or ')} feature` };
      }
      return null;
    }
    const f = model.features.find((x) => x.name === feature);
    if (!f) return { field: 'feature', message: `model ${model.name} has no feature "${feature}" (it has ${names(model)})` };
    if (!info.types!.includes(f.type)) {
      return { field: 'metric', message: `${metric} applies to ${info.types!.map((x) => x.toLowerCase()).join(' or ')} features only, and "${feature}" is ${f.type.toLowerCase()}` };
    }
    return null;
  }
  if (info.family === 'fairness') {
    if (model.task !== 'BINARY_CLASSIFICATION') {
      return { field: 'metric', message: `${metric} needs a binary classifier; ${model.name} is ${TASK_TEXT[model.task]}` };
    }
    const protectedNames = model.features.filter((x) => x.protected).map((x) => x.name);
    if (attribute === null) {
      return { field: 'attribute', message: `${metric} needs a protected attribute (${protectedNames.length ? `one of ${protectedNames.join(', ')}` : `${model.name} marks no feature protected`})` };
    }
    if (!protectedNames.includes(attribute)) {
      return { field: 'attribute', message: `"${attribute}" is not a protected feature of ${model.name} (${protectedNames.length ? `protected: ${protectedNames.join(', ')}` : 'it marks none protected'})` };
    }
    return null;
  }
  if (!info.tasks!.includes(model.task)) {
    return { field: 'metric', message: `${metric} does not apply to ${TASK_TEXT[model.task]} (it applies to ${info.tasks!.map((t) => TASK_TEXT[t]).join(', ')})` };
  }
  return null;
}

function names(model: ModelRecord): string {
  return model.features.map((f) => f.name).join(', ');
}
