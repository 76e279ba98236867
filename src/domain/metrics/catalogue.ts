// The catalogue of metrics: each one's family, its words for people, and which model and
// column it means something on. The one place that decides whether (metric, feature,
// attribute) fits a model, for queries, series, monitors and Slack alike. Pure; services
// turn a complaint into a BAD_USER_INPUT.
import type { FeatureType, ModelRecord, TaskType } from '../model.js';

export type MetricFamily = 'drift' | 'integrity' | 'performance' | 'fairness' | 'traffic';

interface MetricInfo {
  family: MetricFamily;
  label: string;
  /** drift and integrity: the feature types it applies to (drift also to the output's type) */
  types?: FeatureType[];
  /** performance and traffic: the tasks it applies to */
  tasks?: TaskType[];
}

const ALL_TASKS: TaskType[] = ['BINARY_CLASSIFICATION', 'MULTICLASS_CLASSIFICATION', 'REGRESSION'];
const BINARY: TaskType[] = ['BINARY_CLASSIFICATION'];
const CLASSIFIERS: TaskType[] = ['BINARY_CLASSIFICATION', 'MULTICLASS_CLASSIFICATION'];
const MULTICLASS: TaskType[] = ['MULTICLASS_CLASSIFICATION'];
const REGRESSION: TaskType[] = ['REGRESSION'];
const BOTH: FeatureType[] = ['NUMERIC', 'CATEGORICAL'];

export const METRICS: Record<string, MetricInfo> = {
  PSI: { family: 'drift', label: 'PSI', types: BOTH },
  JS_DISTANCE: { family: 'drift', label: 'JS distance', types: BOTH },
  KS_STATISTIC: { family: 'drift', label: 'KS statistic', types: ['NUMERIC'] },
  WASSERSTEIN: { family: 'drift', label: 'Wasserstein distance', types: ['NUMERIC'] },
  CHI2_P_VALUE: { family: 'drift', label: 'chi-square p-value', types: ['CATEGORICAL'] },
  MISSING_RATE: { family: 'integrity', label: 'missing rate', types: BOTH },
  TYPE_MISMATCH_RATE: { family: 'integrity', label: 'type mismatch rate', types: BOTH },
  OUT_OF_RANGE_RATE: { family: 'integrity', label: 'out-of-range rate', types: ['NUMERIC'] },
  NEW_CATEGORY_RATE: { family: 'integrity', label: 'new category rate', types: ['CATEGORICAL'] },
  ACCURACY: { family: 'performance', label: 'accuracy', tasks: CLASSIFIERS },
  PRECISION: { family: 'performance', label: 'precision', tasks: BINARY },
  RECALL: { family: 'performance', label: 'recall', tasks: BINARY },
  F1: { family: 'performance', label: 'F1', tasks: BINARY },
  FALSE_POSITIVE_RATE: { family: 'performance', label: 'false positive rate', tasks: BINARY },
  AUC: { family: 'performance', label: 'AUC', tasks: BINARY },
  LOG_LOSS: { family: 'performance', label: 'log loss', tasks: BINARY },
  BRIER_SCORE: { family: 'performance', label: 'Brier score', tasks: BINARY },
  MACRO_F1: { family: 'performance', label: 'macro F1', tasks: MULTICLASS },
  WEIGHTED_F1: { family: 'performance', label: 'weighted F1', tasks: MULTICLASS },
  MAE: { family: 'performance', label: 'MAE', tasks: REGRESSION },
  RMSE: { family: 'performance', label: 'RMSE', tasks: REGRESSION },
  MAPE: { family: 'performance', label: 'MAPE', tasks: REGRESSION },
  R2: { family: 'performance', label: 'R2', tasks: REGRESSION },
  DEMOGRAPHIC_PARITY_DIFFERENCE: { family: 'fairness', label: 'demographic parity difference' },
  DISPARATE_IMPACT_RATIO: { family: 'fairness', label: 'disparate impact ratio' },
  EQUAL_OPPORTUNITY_DIFFERENCE: { family: 'fairness', label: 'equal opportunity difference' },
  EQUALIZED_ODDS_DIFFERENCE: { family: 'fairness', label: 'equalized odds difference' },
  PREDICTION_COUNT: { family: 'traffic', label: 'prediction count', tasks: ALL_TASKS },
  MEAN_SCORE: { family: 'traffic', label: 'mean score', tasks: CLASSIFIERS },
  MEAN_VALUE: { family: 'traffic', label: 'mean value', tasks: REGRESSION },
  LABEL_COVERAGE: { family: 'traffic', label: 'label coverage', tasks: ALL_TASKS },
};

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
  const info = METRICS[metric];
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
