// The one write path of predictions and actuals. Each function runs inside the caller's
// write transaction and keeps the statistics in step in that same transaction, so the
// raw events and every aggregate commit or roll back together.
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../../domain/model.js';
import type { ActualRow, PredictionRow } from '../../../domain/ingest/validate.js';
import { hashEventId } from '../../../domain/ingest/event-id-table.js';
import { eventIndexFor, findEvent } from './ingest-index.js';
import { purgedBefore, wasPurged } from './retention.js';
import { applyActualsToStats, applyEventsToStats, type StoredEvent } from './stats.js';
import type { StatsHead } from './stats-head.js';

/** Rows a multi-row INSERT writes: one statement call per ROWS_PER_INSERT rows costs ~1 us a row less. */
const ROWS_PER_INSERT = 50;
const INSERT_COLUMNS = '(id, model_id, event_id, ts, features, score, predicted_label, value, actual_label, actual_value, actual_at, version_id, attributions)';
const ROW_PARAMS = 13;
const ROW_MARKS = `(${Array(ROW_PARAMS).fill('?').join(', ')})`;

interface Stmts {
  insertMany: Database.Statement;
  insert: Database.Statement;
  maxId: Database.Statement;
  idAt: Database.Statement;
  anyPending: Database.Statement;
  pending: Database.Statement;
  dropPending: Database.Statement;
  upsertPending: Database.Statement;
  eventAt: Database.Statement;
  setActual: Database.Statement;
}

const statements = new WeakMap<Database.Database, Stmts>();

function stmts(sqlite: Database.Database): Stmts {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      insertMany: sqlite.prepare(`INSERT INTO events ${INSERT_COLUMNS} VALUES ${Array(ROWS_PER_INSERT).fill(ROW_MARKS).join(', ')}`),
      insert: sqlite.prepare(`INSERT INTO events ${INSERT_COLUMNS} VALUES ${ROW_MARKS}`),
      maxId: sqlite.prepare('SELECT max(id) FROM events').pluck(),
      idAt: sqlite.prepare('SELECT event_id FROM events WHERE id = ? AND model_id = ?').pluck(),
      anyPending: sqlite.prepare('SELECT 1 FROM pending_actuals WHERE model_id = ? LIMIT 1').pluck(),
      pending: sqlite.prepare('SELECT actual_label, actual_value, received_at FROM pending_actuals WHERE model_id = ? AND event_id = ?').raw(),
      dropPending: sqlite.prepare('DELETE FROM pending_actuals WHERE model_id = ? AND event_id = ?'),
      upsertPending: sqlite.prepare(
        `INSERT INTO pending_actuals (model_id, event_id, actual_label, actual_value, received_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (model_id, event_id) DO UPDATE SET actual_label = excluded.actual_label,
           actual_value = excluded.actual_value, received_at = excluded.received_at`,
      ),
      eventAt: sqlite.prepare(
        'SELECT id, ts, features, score, predicted_label, value, actual_label, actual_value, version_id, attributions FROM events WHERE id = ?',
      ).raw(),
      setActual: sqlite.prepare('UPDATE events SET actual_label = ?, actual_value = ?, actual_at = ? WHERE id = ?'),
    };
    statements.set(sqlite, s);
  }
  return s;
}

type EventTuple = [number, number, string, number | null, string | null, number | null, string | null, number | null, number | null, string | null];

function toStored(t: EventTuple): StoredEvent {
  return {
    id: t[0],
    ts: t[1],
    features: JSON.parse(t[2]) as Record<string, unknown>,
    score: t[3],
    predictedLabel: t[4],
    value: t[5],
    actualLabel: t[6],
    actualValue: t[7],
    versionId: t[8],
    attributions: t[9] === null ? null : (JSON.parse(t[9]) as Record<string, unknown>),
  };
}

/**
 * Stores the predictions whose eventId the model does not have yet (earlier rows of the
 * same batch included), joins actuals that arrived first, updates the statistics.
 * Must run inside a write transaction (it assigns row ids itself: nobody else can
 * insert meanwhile). With `head`, the statistics go to the model's head (written when
 * due), else to partials now. Returns how many were stored and skipped.
 */
export function writePredictions(
  sqlite: Database.Database,
  model: ModelRecord,
  rows: PredictionRow[],
  now: number,
  head?: StatsHead,
): { accepted: number; duplicates: number } {
  const s = stmts(sqlite);
  const idx = eventIndexFor(sqlite, model.id);
  const mayHavePending = s.anyPending.get(model.id) !== undefined;
  const stored: StoredEvent[] = [];
  let duplicates = 0;
  // rows decided but not inserted yet: their ids are (written, nextId]
  let written = (s.maxId.get() as number | null) ?? 0;
  let nextId = written;
  const pendingIds: string[] = [];
  const params: unknown[] = new Array(ROWS_PER_INSERT * ROW_PARAMS);
  let eventId = '';
  const sameEvent = (rowId: number) => (rowId > written ? pendingIds[rowId - written - 1] === eventId : s.idAt.get(rowId, model.id) === eventId);
  const flush = () => {
    if (pendingIds.length === ROWS_PER_INSERT) s.insertMany.run(params);
    else for (let r = 0; r < pendingIds.length; r++) s.insert.run(params.slice(r * ROW_PARAMS, (r + 1) * ROW_PARAMS));
    written = nextId;
    pendingIds.length = 0;
  };
  for (const r of rows) {
    eventId = r.eventId;
    const h = hashEventId(eventId);
    if (idx.table.find(h, sameEvent) >= 0) {
      duplicates++;
      continue;
    }
    let { actualLabel, actualValue } = r;
    let actualAt: number | null = actualLabel !== null || actualValue !== null ? now : null;
    if (mayHavePending) {
      const p = s.pending.get(model.id, eventId) as [string | null, number | null, number] | undefined;
      if (p) {
        s.dropPending.run(model.id, eventId);
        // the actual on the prediction line is the later of the two, so it wins
        if (actualAt === null) [actualLabel, actualValue, actualAt] = p;
      }
    }
    const id = ++nextId;
    const o = pendingIds.length * ROW_PARAMS;
    params[o] = id;
    params[o + 1] = model.id;
    params[o + 2] = eventId;
    params[o + 3] = r.ts;
    params[o + 4] = r.featuresText ?? JSON.stringify(r.features);
    params[o + 5] = r.score;
    params[o + 6] = r.predictedLabel;
    params[o + 7] = r.value;
    params[o + 8] = actualLabel;
    params[o + 9] = actualValue;
    params[o + 10] = actualAt;
    params[o + 11] = r.versionId ?? null;
    params[o + 12] = r.attributions ?? null;
    pendingIds.push(eventId);
    if (pendingIds.length === ROWS_PER_INSERT) flush();
    idx.table.add(h, id);
    const versionId = r.versionId ?? null;
    const attributions = r.attributions ? (JSON.parse(r.attributions) as Record<string, unknown>) : null;
    stored.push({ id, ts: r.ts, features: r.features, score: r.score, predictedLabel: r.predictedLabel, value: r.value, actualLabel, actualValue, versionId, attributions });
  }
  flush();
  if (stored.length > 0) idx.hwm = nextId;
  if (head) head.add(sqlite, model, stored, now);
  else if (stored.length > 0) applyEventsToStats(sqlite, model, stored);
  return { accepted: stored.length, duplicates };
}

/**
 * Attaches each actual to its event (replacing an earlier actual), or keeps it pending
 * until the event arrives; the statistics follow each change. Must run inside a write
 * transaction. Every valid actual is accepted, but those whose event retention deleted
 * (returned as `purged`, for the caller to reject).
 */
export function writeActuals(sqlite: Database.Database, model: ModelRecord, rows: ActualRow[], now: number): { accepted: number; purged: ActualRow[] } {
  const s = stmts(sqlite);
  const idx = eventIndexFor(sqlite, model.id);
  const changes: Array<{ before: StoredEvent; after: StoredEvent }> = [];
  const purged: ActualRow[] = [];
  const mayBePurged = purgedBefore(sqlite, model.id) !== null;
  for (const r of rows) {
    const id = findEvent(sqlite, idx, model.id, r.eventId);
    if (id < 0) {
      if (mayBePurged && wasPurged(sqlite, model.id, r.eventId)) purged.push(r);
      else s.upsertPending.run(model.id, r.eventId, r.actualLabel, r.actualValue, now);
      continue;
    }
    const before = toStored(s.eventAt.get(id) as EventTuple);
    s.setActual.run(r.actualLabel, r.actualValue, now, id);
    changes.push({ before, after: { ...before, actualLabel: r.actualLabel, actualValue: r.actualValue } });
  }
  if (changes.length > 0) applyActualsToStats(sqlite, model, changes);
  return { accepted: rows.length - purged.length, purged };
}
