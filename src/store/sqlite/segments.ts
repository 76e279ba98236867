// SegmentsRepo on SQLite.
import type { SegmentCondition, SegmentRecord } from '../../domain/segments/segment.js';
import type { SegmentsRepo } from '../ports/segments.js';
import type { SqliteContext } from './context.js';

type Row = Omit<SegmentRecord, 'conditions'> & { conditions: string };

const COLUMNS = 'id, model_id AS modelId, name, conditions, created_at AS createdAt';

const toRecord = (r: Row): SegmentRecord => ({ ...r, conditions: JSON.parse(r.conditions) as SegmentCondition[] });

/** The SQLite segments repository. */
export function sqliteSegments({ tx, statement }: SqliteContext): SegmentsRepo {
  const one = (r: Row | undefined) => (r ? toRecord(r) : null);
  return {
    list: (modelId) => tx.exec(() => statement<[number], Row>(`SELECT ${COLUMNS} FROM segments WHERE model_id = ? ORDER BY name`).all(modelId).map(toRecord)),
    byName: (modelId, name) => tx.exec(() => one(statement<[number, string], Row>(`SELECT ${COLUMNS} FROM segments WHERE model_id = ? AND name = ?`).get(modelId, name))),
    create: (s) =>
      tx.exec(() =>
        one(
          statement<unknown[], Row>(
            `INSERT INTO segments (model_id, name, conditions, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (model_id, name) DO NOTHING RETURNING ${COLUMNS}`,
          ).get(s.modelId, s.name, JSON.stringify(s.conditions), s.createdAt),
        ),
      ),
    delete: (id) => tx.exec(() => statement<[number]>('DELETE FROM segments WHERE id = ?').run(id).changes === 1),
  };
}
