// A model as the domain code takes it, without a store: for pure tests of statistics.
import fc from 'fast-check';
import type { ModelRecord } from '../../src/domain/model.js';
import type { StatsEvent } from '../../src/domain/metrics/stats-event.js';

type Feature = ModelRecord['features'][number];

/** A feature with the defaults a created model gives it (not protected, no declared bounds). */
export const feature = (name: string, type: Feature['type'], over: Partial<Feature> = {}): Feature => ({ name, type, protected: false, min: null, max: null, ...over });

/** A binary classifier (positive class "yes", threshold 0.5) with `features`; `over` changes any field. */
export function modelRecord(features: Feature[], over: Partial<ModelRecord> = {}): ModelRecord {
  return { id: 1, name: 'm', task: 'BINARY_CLASSIFICATION', description: null, positiveClass: 'yes', decisionThreshold: 0.5, features, createdAt: 0, updatedAt: 0, ...over };
}

/** x (numeric), y (numeric, declared in [-5, 5]) and g (categorical, protected): what the property tests vary. */
export const XYG_FEATURES: Feature[] = [feature('x', 'NUMERIC'), feature('y', 'NUMERIC', { min: -5, max: 5 }), feature('g', 'CATEGORICAL', { protected: true })];

// few distinct values (ties, values at edges, -0) and many (sums of many doubles per slot), and values that are not usable
const xygNumber = fc.oneof(fc.integer({ min: -8, max: 8 }), fc.constantFrom(-0, 0.1, 0.2, 0.30000000000000004), fc.double({ min: -12, max: 12, noNaN: true }));
const xygRaw = fc.oneof({ weight: 10, arbitrary: xygNumber }, { weight: 1, arbitrary: fc.constantFrom(null, undefined, NaN, Infinity, -Infinity, 'str', true) });

/** An event of an XYG_FEATURES model, as the statistics take it: for property tests of accumulation and storage. */
export const xygEvent: fc.Arbitrary<StatsEvent> = fc.record({
  features: fc.record({ x: xygRaw, y: xygRaw, g: fc.constantFrom('a', 'b', null) }),
  score: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 8 }),
  predictedLabel: fc.constant(null),
  value: fc.constant(null),
  actualLabel: fc.option(fc.constantFrom('yes', 'no'), { freq: 2 }),
  actualValue: fc.constant(null),
});
