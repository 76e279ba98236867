// Idempotency on (model, eventId) without an index on event_id. A B-tree index on random
// ids (UUIDs) dirties one page per inserted row and cuts inserts ~7x (STACK.md); instead
// each process keeps, per model, an in-memory table of eventId hash -> rowid, loaded on
// first use and caught up inside every write transaction from the rowid high-water mark,
// so rows another process (the CLI) committed are always seen before we decide.
import type Database from 'better-sqlite3';
import { EventIdTable, hashEventId } from '../../../domain/ingest/event-id-table.js';

export interface EventIndex {
  table: EventIdTable;
  /** highest rowid of this model's events that `table` holds */
  hwm: number;
}

interface Stmts {
  count: Database.Statement;
  all: Database.Statement;
  since: Database.Statement;
  idAt: Database.Statement;
}

const indexes = new WeakMap<Database.Database, Map<number, EventIndex>>();
const statements = new WeakMap<Database.Database, Stmts>();

function stmts(sqlite: Database.Database): Stmts {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      count: sqlite.prepare('SELECT count(*) FROM events WHERE model_id = ?').pluck(),
      all: sqlite.prepare('SELECT id, event_id FROM events WHERE model_id = ?').raw(),
      // `+model_id` keeps the planner on the rowid range instead of the (model_id, ts) index
      since: sqlite.prepare('SELECT id, event_id FROM events WHERE id > ? AND +model_id = ? ORDER BY id').raw(),
      idAt: sqlite.prepare('SELECT event_id FROM events WHERE id = ? AND model_id = ?').pluck(),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/**
 * The up-to-date index of a model's event ids. Call inside the write transaction that
 * uses it (BEGIN IMMEDIATE), so nothing can be committed between catching up and writing.
 */
export function eventIndexFor(sqlite: Database.Database, modelId: number): EventIndex {
  let perModel = indexes.get(sqlite);
  if (!perModel) {
    perModel = new Map();
    indexes.set(sqlite, perModel);
  }
  const s = stmts(sqlite);
  let idx = perModel.get(modelId);
  if (!idx) {
    const table = new EventIdTable(Number(s.count.get(modelId)));
    let hwm = 0;
    for (const [id, eventId] of s.all.iterate(modelId) as Iterable<[number, string]>) {
      table.add(hashEventId(eventId), id);
      if (id > hwm) hwm = id;
    }
    idx = { table, hwm };
    perModel.set(modelId, idx);
    return idx;
  }
  for (const [id, eventId] of s.since.iterate(idx.hwm, modelId) as Iterable<[number, string]>) {
    idx.table.add(hashEventId(eventId), id);
    idx.hwm = id;
  }
  return idx;
}

/** Forgets a model's index (after a rolled-back write, or a deleted model); rebuilt on next use. */
export function dropEventIndex(sqlite: Database.Database, modelId: number): void {
  indexes.get(sqlite)?.delete(modelId);
}

/** The rowid of the model's event with this id, or -1. */
export function findEvent(sqlite: Database.Database, idx: EventIndex, modelId: number, eventId: string, h = hashEventId(eventId)): number {
  const idAt = stmts(sqlite).idAt;
  return idx.table.find(h, (rowId) => idAt.get(rowId, modelId) === eventId);
}
