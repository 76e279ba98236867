// A model version (contract 10): the name a prediction's `modelVersion` gives, and its own
// baseline summary when it has one (setVersionBaseline); without one, drift of its events
// is measured against the model's baseline.

/** A version as the registry stores it. */
export interface ModelVersionRecord {
  id: number;
  modelId: number;
  name: string;
  description: string | null;
  createdAt: number;
  /** its own baseline: rows and when it was set (null: it uses the model's) */
  baselineRowCount: number | null;
  baselineUpdatedAt: number | null;
}
