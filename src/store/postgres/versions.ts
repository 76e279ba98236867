// VersionsRepo on PostgreSQL. A taken name answers null as on SQLite (ON CONFLICT: a
// concurrent creator of the same name waits for the other's commit, then gets null).
import { sql, type SQL } from 'drizzle-orm';
import type { ModelVersionRecord } from '../../domain/versions.js';
import type { VersionsRepo } from '../ports/versions.js';
import type { PgContext } from './context.js';
import { int8 } from './int8.js';

interface Row extends Record<string, unknown> {
  id: number;
  model_id: number;
  name: string;
  description: string | null;
  created_at: unknown;
  baseline_row_count: number | null;
  baseline_updated_at: unknown;
}

const COLUMNS = sql.raw('id, model_id, name, description, created_at, baseline_row_count, baseline_updated_at');

function toRecord(r: Row): ModelVersionRecord {
  return {
    id: r.id,
    modelId: r.model_id,
    name: r.name,
    description: r.description,
    createdAt: int8(r.created_at),
    baselineRowCount: r.baseline_row_count,
    baselineUpdatedAt: r.baseline_updated_at === null ? null : int8(r.baseline_updated_at),
  };
}

/** The PostgreSQL versions repository. */
export function pgVersions({ tx }: PgContext): VersionsRepo {
  const rows = async (query: SQL) => (await tx.q().execute<Row>(query)).rows.map(toRecord);
  const one = async (query: SQL) => (await rows(query))[0] ?? null;
  return {
    list: (modelId) => rows(sql`SELECT ${COLUMNS} FROM model_versions WHERE model_id = ${modelId} ORDER BY created_at, id`),
    byName: (modelId, name) => one(sql`SELECT ${COLUMNS} FROM model_versions WHERE model_id = ${modelId} AND name = ${name}`),
    byId: (id) => one(sql`SELECT ${COLUMNS} FROM model_versions WHERE id = ${id}`),
    create: (v) =>
      one(sql`INSERT INTO model_versions (model_id, name, description, created_at)
        VALUES (${v.modelId}, ${v.name}, ${v.description}, ${v.createdAt}::bigint)
        ON CONFLICT (model_id, name) DO NOTHING RETURNING ${COLUMNS}`),
    setCurrent: async (modelId, versionId) => {
      await tx.q().execute(sql`UPDATE models SET current_version_id = ${versionId}::int WHERE id = ${modelId}`);
    },
  };
}
