// Explanations (METRICS.md "Explanations"): which features the model leans on over a
// window, from the attributions (SHAP values, say) logged with its predictions, beside the
// baseline's. The window's sums are kept at ingest in the statistics, the baseline's means
// in its profile, so a window of any length costs what its other metrics cost.
import type { ModelRecord } from '../domain/model.js';
import type { FeatureImportance } from '../domain/metrics/attributions.js';
import type { Deps } from './deps.js';
import { checkWindow, readMetric, sliceOf, type StatsScope } from './metrics.js';

export type { FeatureImportance } from '../domain/metrics/attributions.js';

/**
 * Every feature of the model, in its order: mean |attribution| over [from, to), its share
 * and rank, and the baseline's mean and share beside (null where there are none). `scope`
 * narrows both sides to a version and/or segment, as every metric (BAD_USER_INPUT naming
 * `version` or `segment` when the model has no such one).
 */
export async function featureImportance(deps: Deps, model: ModelRecord, from: number, to: number, scope?: StatsScope): Promise<FeatureImportance[]> {
  checkWindow(from, to);
  const slice = await sliceOf(deps, model, scope);
  return readMetric(deps, { kind: 'featureImportance', model, slice, from, to });
}
