// The shape of a registered model, shared by every layer.

export type TaskType = 'BINARY_CLASSIFICATION' | 'MULTICLASS_CLASSIFICATION' | 'REGRESSION';
export type FeatureType = 'NUMERIC' | 'CATEGORICAL';

export interface FeatureDef {
  name: string;
  type: FeatureType;
  protected: boolean;
  min: number | null;
  max: number | null;
}

export interface ModelRecord {
  id: number;
  name: string;
  task: TaskType;
  description: string | null;
  positiveClass: string | null;
  /** binary classification only; default 0.5 */
  decisionThreshold: number | null;
  features: FeatureDef[];
  createdAt: number;
  updatedAt: number;
  /** days of raw events kept; null or absent = the server's default (GLASSBOX_RETENTION_DAYS), 0 = forever */
  retentionDays?: number | null;
  /** the version events without modelVersion are attributed to (its id); null or absent = none */
  currentVersionId?: number | null;
}

/** The threshold a binary classifier's score is compared with (score >= t is positive). */
export function thresholdOf(model: ModelRecord): number {
  return model.decisionThreshold ?? 0.5;
}
