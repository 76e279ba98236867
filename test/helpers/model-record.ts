// A model as the domain code takes it, without a store: for pure tests of statistics.
import type { ModelRecord } from '../../src/domain/model.js';

type Feature = ModelRecord['features'][number];

/** A feature with the defaults a created model gives it (not protected, no declared bounds). */
export const feature = (name: string, type: Feature['type'], over: Partial<Feature> = {}): Feature => ({ name, type, protected: false, min: null, max: null, ...over });

/** A binary classifier (positive class "yes", threshold 0.5) with `features`; `over` changes any field. */
export function modelRecord(features: Feature[], over: Partial<ModelRecord> = {}): ModelRecord {
  return { id: 1, name: 'm', task: 'BINARY_CLASSIFICATION', description: null, positiveClass: 'yes', decisionThreshold: 0.5, features, createdAt: 0, updatedAt: 0, ...over };
}

/** x (numeric), y (numeric, declared in [-5, 5]) and g (categorical, protected): what the property tests vary. */
export const XYG_FEATURES: Feature[] = [feature('x', 'NUMERIC'), feature('y', 'NUMERIC', { min: -5, max: 5 }), feature('g', 'CATEGORICAL', { protected: true })];
