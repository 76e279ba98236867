// Model versions and the model's current one (contract 10).
import type { ModelVersionRecord } from '../../domain/versions.js';

export interface NewModelVersion {
  modelId: number;
  name: string;
  description: string | null;
  createdAt: number;
}

export interface VersionsRepo {
  /** The model's versions, oldest first (by creation, then id). */
  list(modelId: number): Promise<ModelVersionRecord[]>;
  /** The model's version of that name, or null. */
  byName(modelId: number, name: string): Promise<ModelVersionRecord | null>;
  /** The version with that id, or null. */
  byId(id: number): Promise<ModelVersionRecord | null>;
  /** Creates a version; null when the model has one of that name (the database decides, across replicas). */
  create(v: NewModelVersion): Promise<ModelVersionRecord | null>;
  /** Makes `versionId` (null: none) the version events without modelVersion are attributed to. */
  setCurrent(modelId: number, versionId: number | null): Promise<void>;
}
