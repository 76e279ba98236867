// ModelsRepo on SQLite: prepared statements (a model is looked up on every ingest request).
import type { FeatureDef, ModelRecord } from '../../domain/model.js';
import { MODEL_COLUMNS, MODEL_SETTABLE, modelRecordOf, type ModelRow } from '../model-rows.js';
import type { ModelPatch, ModelsRepo } from '../ports/models.js';
import type { SqliteContext } from './context.js';

type Row = Omit<ModelRow, 'features'> & { features: string };

const COLUMNS = MODEL_COLUMNS;
const SETTABLE = MODEL_SETTABLE;

function toRecord(r: Row): ModelRecord {
  return modelRecordOf({ ...r, features: JSON.parse(r.features) as FeatureDef[] });
}

/** The SQLite models repository. */
export function sqliteModels({ tx, statement }: SqliteContext): ModelsRepo {
  const one = (r: Row | undefined) => (r ? toRecord(r) : null);
  return {
    list: () => tx.exec(() => statement<[], Row>(`SELECT ${COLUMNS} FROM models ORDER BY name`).all().map(toRecord)),
    byName: (name) => tx.exec(() => one(statement<[string], Row>(`SELECT ${COLUMNS} FROM models WHERE name = ?`).get(name))),
    // one statement whatever the count (json_each); the write lock serialises transactions
    byNames: (names) =>
      tx.exec(() =>
        statement<[string], Row>(`SELECT ${COLUMNS} FROM models WHERE name IN (SELECT value FROM json_each(?)) ORDER BY name`).all(JSON.stringify(names)).map(toRecord),
      ),
    byId: (id) => tx.exec(() => one(statement<[number], Row>(`SELECT ${COLUMNS} FROM models WHERE id = ?`).get(id))),
    create: (m) =>
      tx.exec(() =>
        one(
          statement<unknown[], Row>(
            `INSERT INTO models (name, task, description, positive_class, decision_threshold, features, retention_days, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
          ).get(m.name, m.task, m.description, m.positiveClass, m.decisionThreshold, JSON.stringify(m.features), m.retentionDays, m.createdAt, m.createdAt),
        ),
      ),
    update: (id, patch) =>
      tx.exec(() => {
        const fields = (Object.keys(SETTABLE) as Array<keyof ModelPatch>).filter((k) => patch[k] !== undefined);
        if (!fields.length) return one(statement<[number], Row>(`SELECT ${COLUMNS} FROM models WHERE id = ?`).get(id));
        const sql = `UPDATE models SET ${fields.map((k) => `${SETTABLE[k]} = ?`).join(', ')} WHERE id = ? RETURNING ${COLUMNS}`;
        return one(statement<unknown[], Row>(sql).get(...fields.map((k) => patch[k]), id));
      }),
    remove: (id) => tx.exec(() => statement<[number]>('DELETE FROM models WHERE id = ?').run(id).changes === 1),
  };
}
