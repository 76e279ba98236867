// SegmentsRepo on PostgreSQL. Names sort by code point (COLLATE "C"), as on SQLite. Inside a
// transaction a segment found by name is locked (FOR UPDATE): deleting it and creating a
// monitor narrowed to it serialise as on SQLite (the deletion sees the monitor and is
// refused, or the monitor no longer finds the segment).
import { sql, type SQL } from 'drizzle-orm';
import type { SegmentCondition, SegmentRecord } from '../../domain/segments/segment.js';
import type { SegmentsRepo } from '../ports/segments.js';
import type { PgContext } from './context.js';
import { int8 } from './int8.js';

interface Row extends Record<string, unknown> {
  id: number;
  model_id: number;
  name: string;
  conditions: SegmentCondition[];
  created_at: unknown;
}

const COLUMNS = sql.raw('id, model_id, name, conditions, created_at');

const toRecord = (r: Row): SegmentRecord => ({ id: r.id, modelId: r.model_id, name: r.name, conditions: r.conditions, createdAt: int8(r.created_at) });

/** The PostgreSQL segments repository. */
export function pgSegments({ tx }: PgContext): SegmentsRepo {
  const rows = async (query: SQL) => (await tx.q().execute<Row>(query)).rows.map(toRecord);
  const one = async (query: SQL) => (await rows(query))[0] ?? null;
  const lock = () => (tx.inside() ? sql` FOR UPDATE` : sql``);
  return {
    list: (modelId) => rows(sql`SELECT ${COLUMNS} FROM segments WHERE model_id = ${modelId} ORDER BY name COLLATE "C"`),
    byName: (modelId, name) => one(sql`SELECT ${COLUMNS} FROM segments WHERE model_id = ${modelId} AND name = ${name}${lock()}`),
    create: (s) =>
      one(sql`INSERT INTO segments (model_id, name, conditions, created_at)
        VALUES (${s.modelId}, ${s.name}, ${JSON.stringify(s.conditions)}::json, ${s.createdAt}::bigint)
        ON CONFLICT (model_id, name) DO NOTHING RETURNING ${COLUMNS}`),
    delete: async (id) => ((await tx.q().execute(sql`DELETE FROM segments WHERE id = ${id}`)).rowCount ?? 0) === 1,
  };
}
