// The model registry: models by name and id, created, updated and deleted with everything of them.
import type { FeatureDef, ModelRecord, TaskType } from '../../domain/model.js';

/** A model to register, checked by the service. */
export interface NewModel {
  name: string;
  task: TaskType;
  description: string | null;
  positiveClass: string | null;
  decisionThreshold: number | null;
  features: FeatureDef[];
  /** null = the server's GLASSBOX_RETENTION_DAYS */
  retentionDays: number | null;
  createdAt: number;
}

/** The fields a model may change; absent = unchanged. */
export interface ModelPatch {
  description?: string | null;
  decisionThreshold?: number | null;
  retentionDays?: number | null;
  updatedAt?: number;
}

export interface ModelsRepo {
  /** All models, by name. */
  list(): Promise<ModelRecord[]>;
  /** The model of that name, or null. */
  byName(name: string): Promise<ModelRecord | null>;
  /**
   * The models of those names that exist, by name (code point). Inside a transaction each is
   * locked until it ends, in that order, whatever the order asked: two transactions locking
   * overlapping sets never deadlock.
   */
  byNames(names: readonly string[]): Promise<ModelRecord[]>;
  /** The model with that id, or null. */
  byId(id: number): Promise<ModelRecord | null>;
  /** Registers a model (updatedAt = createdAt); null when the name is taken. */
  create(model: NewModel): Promise<ModelRecord | null>;
  /** Changes the given fields; the model as it is now, or null when there is no such id. */
  update(id: number, patch: ModelPatch): Promise<ModelRecord | null>;
  /** Deletes a model with everything of it (monitors, events, statistics, alerts); false when absent. */
  remove(id: number): Promise<boolean>;
}
