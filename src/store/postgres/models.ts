// ModelsRepo on PostgreSQL. Names sort by code point (COLLATE "C"), as SQLite's BINARY
// collation does. Inside a transaction a lookup locks the row (FOR UPDATE), so a read then
// write (update, delete) waits for a concurrent one, as on SQLite, whose write lock
// serialises whole transactions: without it, two updates would each miss the other's.
// Deleting a model also drops its event partitions and idempotency keys, which have no
// foreign key (see schema/events.ts); the other tables cascade.
import { sql, type SQL } from 'drizzle-orm';
import type { ModelRecord } from '../../domain/model.js';
import { MODEL_COLUMNS, MODEL_SETTABLE, modelRecordOf, type ModelRow } from '../model-rows.js';
import type { ModelPatch, ModelsRepo } from '../ports/models.js';
import type { PgContext } from './context.js';
import { forgetEventPartitions } from './partitions.js';
import { int8 } from './int8.js';

type Row = Omit<ModelRow, 'created_at' | 'updated_at'> & Record<string, unknown> & { created_at: unknown; updated_at: unknown };

const COLUMNS = sql.raw(MODEL_COLUMNS);
const SETTABLE = MODEL_SETTABLE;

function toRecord(r: Row): ModelRecord {
  return modelRecordOf({ ...r, created_at: int8(r.created_at), updated_at: int8(r.updated_at) });
}

/** The PostgreSQL models repository. */
export function pgModels({ pool, tx }: PgContext): ModelsRepo {
  const rows = async (query: SQL) => (await tx.q().execute<Row>(query)).rows.map(toRecord);
  const one = async (query: SQL) => (await rows(query))[0] ?? null;
  const lock = () => (tx.inside() ? sql` FOR UPDATE` : sql``);
  const byId = (id: number) => one(sql`SELECT ${COLUMNS} FROM models WHERE id = ${id}${lock()}`);
  return {
    list: () => rows(sql`SELECT ${COLUMNS} FROM models ORDER BY name COLLATE "C"`),
    byName: (name) => one(sql`SELECT ${COLUMNS} FROM models WHERE name = ${name}${lock()}`),
    // ORDER BY below FOR UPDATE: rows are locked as the sort emits them, in name order
    byNames: async (names) =>
      names.length === 0
        ? []
        : rows(sql`SELECT ${COLUMNS} FROM models WHERE name IN (${sql.join(names.map((n) => sql`${n}`), sql`, `)}) ORDER BY name COLLATE "C"${lock()}`),
    byId,
    // NOT EXISTS: a taken name does not consume an id (nextval runs only for a row to insert);
    // ON CONFLICT: a concurrent creator of the same name waits for the other's commit, then gets null
    create: (m) =>
      one(sql`INSERT INTO models (name, task, description, positive_class, decision_threshold, features, retention_days, created_at, updated_at)
        SELECT ${m.name}, ${m.task}, ${m.description}, ${m.positiveClass}, ${m.decisionThreshold}::float8, ${JSON.stringify(m.features)}::json,
               ${m.retentionDays}::int, ${m.createdAt}::bigint, ${m.createdAt}::bigint
        WHERE NOT EXISTS (SELECT 1 FROM models WHERE name = ${m.name})
        ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`),
    update: (id, patch) => {
      const fields = (Object.keys(SETTABLE) as Array<keyof ModelPatch>).filter((k) => patch[k] !== undefined);
      if (!fields.length) return byId(id);
      const set = sql.join(fields.map((k) => sql`${sql.raw(SETTABLE[k])} = ${patch[k]}`), sql`, `);
      return one(sql`UPDATE models SET ${set} WHERE id = ${id} RETURNING ${COLUMNS}`);
    },
    remove: (id) =>
      tx.atomic(async (q) => {
        const gone = await q.execute(sql`DELETE FROM models WHERE id = ${id}`);
        if (gone.rowCount !== 1) return false;
        // the model's LIST partition with its days; first, so that it waits for an ingest of the
        // model in flight (which holds the partition) and the keys below include that ingest's
        await q.execute(sql.raw(`DROP TABLE IF EXISTS "events_m${Math.trunc(id)}"`));
        await q.execute(sql`DELETE FROM event_keys WHERE model_id = ${id}`);
        forgetEventPartitions(pool);
        return true;
      }),
  };
}
