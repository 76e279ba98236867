// The models table as both adapters read and write it: its columns, the columns a patch
// may set, and a row as a record. Each adapter decodes its own JSON and bigint first.
import type { FeatureDef, ModelRecord, TaskType } from '../domain/model.js';
import type { ModelPatch } from './ports/models.js';

/** A models row once the adapter decoded `features` and the times. */
export interface ModelRow {
  id: number;
  name: string;
  task: string;
  description: string | null;
  positive_class: string | null;
  decision_threshold: number | null;
  features: FeatureDef[];
  created_at: number;
  updated_at: number;
  retention_days: number | null;
  current_version_id: number | null;
}

/** Every column of a model, in the order the adapters select them. */
export const MODEL_COLUMNS = 'id, name, task, description, positive_class, decision_threshold, features, created_at, updated_at, retention_days, current_version_id';

/** The columns a patch may set, by its field names. */
export const MODEL_SETTABLE: Record<keyof ModelPatch, string> = {
  description: 'description',
  decisionThreshold: 'decision_threshold',
  retentionDays: 'retention_days',
  updatedAt: 'updated_at',
};

/** A decoded models row as a record. */
export function modelRecordOf(r: ModelRow): ModelRecord {
  return {
    id: r.id,
    name: r.name,
    task: r.task as TaskType,
    description: r.description,
    positiveClass: r.positive_class,
    decisionThreshold: r.decision_threshold,
    features: r.features,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    retentionDays: r.retention_days,
    currentVersionId: r.current_version_id,
  };
}
