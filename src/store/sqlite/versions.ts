// VersionsRepo on SQLite.
import type { ModelVersionRecord } from '../../domain/versions.js';
import type { VersionsRepo } from '../ports/versions.js';
import type { SqliteContext } from './context.js';

const COLUMNS = `id, model_id AS modelId, name, description, created_at AS createdAt,
  baseline_row_count AS baselineRowCount, baseline_updated_at AS baselineUpdatedAt`;

/** The SQLite versions repository. */
export function sqliteVersions({ tx, statement }: SqliteContext): VersionsRepo {
  const one = (r: ModelVersionRecord | undefined) => r ?? null;
  return {
    list: (modelId) =>
      tx.exec(() => statement<[number], ModelVersionRecord>(`SELECT ${COLUMNS} FROM model_versions WHERE model_id = ? ORDER BY created_at, id`).all(modelId)),
    byName: (modelId, name) =>
      tx.exec(() => one(statement<[number, string], ModelVersionRecord>(`SELECT ${COLUMNS} FROM model_versions WHERE model_id = ? AND name = ?`).get(modelId, name))),
    byId: (id) => tx.exec(() => one(statement<[number], ModelVersionRecord>(`SELECT ${COLUMNS} FROM model_versions WHERE id = ?`).get(id))),
    create: (v) =>
      tx.exec(() =>
        one(
          statement<unknown[], ModelVersionRecord>(
            `INSERT INTO model_versions (model_id, name, description, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (model_id, name) DO NOTHING RETURNING ${COLUMNS}`,
          ).get(v.modelId, v.name, v.description, v.createdAt),
        ),
      ),
    setCurrent: (modelId, versionId) => tx.exec(() => void statement('UPDATE models SET current_version_id = ? WHERE id = ?').run(versionId, modelId)),
  };
}
