// The raw events as the statistics read them on SQLite: of the whole model, or of one
// slice (its version's events, filtered by its segment), one prepared statement each.
import type Database from 'better-sqlite3';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { accumulate, emptyStats, type StatsEvent, type WindowStats } from '../../../domain/metrics/window-stats.js';
import { sliceFilter } from './slice-set.js';
// (block, ts): time order, sorted a block at a time as the index gives the blocks
import { EVENT_BLOCK, IN_WINDOW, spanSql, windowParams } from './event-blocks.js';

interface Stmts {
  events: Database.Statement;
  versionEvents: Database.Statement;
  span: Database.Statement;
}

const statements = new WeakMap<Database.Database, Stmts>();

function stmts(sqlite: Database.Database): Stmts {
  let st = statements.get(sqlite);
  if (!st) {
    const p = (sql: string) => sqlite.prepare(sql);
    st = {
      events: p(
        `SELECT ts, features, score, predicted_label, value, actual_label, actual_value, version_id, attributions FROM events
         WHERE ${IN_WINDOW} ORDER BY ${EVENT_BLOCK}, ts`,
      ).raw(),
      versionEvents: p(
        `SELECT ts, features, score, predicted_label, value, actual_label, actual_value, version_id, attributions FROM events
         WHERE ${IN_WINDOW} AND version_id = ? ORDER BY ${EVENT_BLOCK}, ts`,
      ).raw(),
      span: p(`SELECT ${spanSql('?').join(', ')}`).raw(),
    };
    statements.set(sqlite, st);
  }
  return st;
}

/** A stored event as the statistics take it, with its time and version. */
export type SliceEvent = StatsEvent & { ts: number; versionId: number | null };

type EventTuple = [number, string, number | null, string | null, number | null, string | null, number | null, number | null, string | null];

/** An events row (ts, features, score, predicted_label, value, actual_label, actual_value, version_id, attributions) as an event. */
export function eventOf(r: EventTuple): SliceEvent {
  return {
    ts: r[0],
    features: JSON.parse(r[1]),
    score: r[2],
    predictedLabel: r[3],
    value: r[4],
    actualLabel: r[5],
    actualValue: r[6],
    versionId: r[7],
    attributions: r[8] === null ? null : (JSON.parse(r[8]) as Record<string, unknown>),
  };
}

/** The raw events of the slice (0: the model) in [from, to), as accumulated. */
export function* readEvents(sqlite: Database.Database, modelId: number, slice: number, from: number, to: number): Generator<SliceEvent> {
  const st = stmts(sqlite);
  if (slice === 0) {
    for (const r of st.events.iterate(...windowParams(modelId, from, to)) as Iterable<EventTuple>) yield eventOf(r);
    return;
  }
  const f = sliceFilter(sqlite, modelId, slice);
  const w = windowParams(modelId, from, to);
  const rows = (f.versionId === null ? st.events.iterate(...w) : st.versionEvents.iterate(...w, f.versionId)) as Iterable<EventTuple>;
  for (const r of rows) {
    const e = eventOf(r);
    if (!f.test || f.test(e.features)) yield e;
  }
}

/** [first, last] event timestamps of the model, or null without events. */
export function eventSpan(sqlite: Database.Database, modelId: number): [number, number] | null {
  const r = stmts(sqlite).span.get(modelId, modelId, modelId, modelId) as [number | null, number | null];
  return r[0] === null || r[1] === null ? null : [r[0], r[1]];
}

/** Statistics of the slice's events in [from, to) straight from the raw events. */
export function statsFromEvents(sqlite: Database.Database, ctx: StatsContext, modelId: number, slice: number, from: number, to: number): WindowStats {
  const s = emptyStats(ctx);
  for (const e of readEvents(sqlite, modelId, slice, from, to)) accumulate(s, e, ctx);
  return s;
}
