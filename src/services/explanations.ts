// Explanations (METRICS.md "Explanations"): which features the model leans on over a
// window, from the attributions (SHAP values, say) logged with its predictions, beside the
// baseline's. The window's sums are kept at ingest in the statistics, the baseline's means
// in its profile, so a window of any length costs what its other metrics cost.
import type { ModelRecord } from '../domain/model.js';
import type { FeatureImportance } from '../domain/metrics/attributions.js';
import type { Deps } from './deps.js';
import { checkWindow, readMetric } from './metrics.js';

export type { FeatureImportance } from '../domain/metrics/attributions.js';

/**
 * Every feature of the model, in its order: mean |attribution| over [from, to), its share
 * and rank, and the baseline's mean and share beside (null where there are none).
 */
export async function featureImportance(deps: Deps, model: ModelRecord, from: number, to: number): Promise<FeatureImportance[]> {
  checkWindow(from, to);
  return readMetric(deps, { kind: 'featureImportance', model, from, to });
}
