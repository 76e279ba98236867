// Building a slice's statistics from the events stored before it existed (or before its
// profile changed), a UTC day per transaction from the compaction pass, so ingest waits at
// most one step. Ingest accumulates every new event into every slice meanwhile; each step
// first folds the batches ingest calls hold in memory into partials, then REPLACES the
// slice's statistics of its day with those of the raw events (which include any partial
// ingest wrote there), so an event is never counted twice nor missed, whatever ran before.
// Reads of a slice not ready yet take its raw events (stats-read.ts), so they are exact
// throughout. The day reached is kept in memory only: another process, or this one after a
// restart, starts the slice over, which replaces the same hours with the same statistics.
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../../domain/model.js';
import { accumulate, emptyStats, type WindowStats } from '../../../domain/metrics/window-stats.js';
import { DAY_MS, HOUR_MS } from '../../../domain/time.js';
import { purgedBefore } from './retention.js';
import { foldUncovered } from './stats-head.js';
import { deleteSliceStats, eventSpan, forgetModel, readEvents, writeRow } from './stats-store.js';
import { itemsBySlice } from './slice-routing.js';
import { SINCE, sinceParams } from './event-blocks.js';

/** Where each model's backfill is: the slices it builds, the start of the next day to build. */
const progress = new WeakMap<Database.Database, Map<number, { slices: string; cursor: number | null }>>();

function progressOf(sqlite: Database.Database): Map<number, { slices: string; cursor: number | null }> {
  let m = progress.get(sqlite);
  if (!m) progress.set(sqlite, (m = new Map()));
  return m;
}

const END = Number.MAX_SAFE_INTEGER;

/** Models with a slice whose statistics are being built. */
export function modelsBackfilling(sqlite: Database.Database): number[] {
  return sqlite.prepare('SELECT DISTINCT model_id FROM stats_slices WHERE ready_at IS NULL ORDER BY model_id').pluck().all() as number[];
}

/** The model's events that a backfill reads (those kept by retention). */
function eventCount(sqlite: Database.Database, modelId: number): number {
  const kept = purgedBefore(sqlite, modelId) ?? Number.MIN_SAFE_INTEGER;
  return sqlite.prepare(`SELECT count(*) FROM events WHERE ${SINCE}`).pluck().get(...sinceParams(modelId, kept)) as number;
}

/** Starts (over) building the statistics of `slices` of the model: not ready, none of its events done (caller's transaction). */
export function startBackfill(sqlite: Database.Database, modelId: number, slices: readonly number[]): void {
  if (slices.length === 0) return;
  const total = eventCount(sqlite, modelId);
  const st = sqlite.prepare('UPDATE stats_slices SET ready_at = NULL, backfill_done = 0, backfill_total = ? WHERE id = ? AND model_id = ?');
  for (const id of slices) st.run(total, id, modelId);
  progressOf(sqlite).delete(modelId);
}

/** Every slice of the model is complete from `at` (a rebuild of all of them just ran, in the caller's transaction). */
export function markAllReady(sqlite: Database.Database, modelId: number, at: number): void {
  sqlite.prepare('UPDATE stats_slices SET ready_at = ?, backfill_done = backfill_total WHERE model_id = ? AND ready_at IS NULL').run(at, modelId);
  progressOf(sqlite).delete(modelId);
}

/**
 * One step of the model's backfill, in one IMMEDIATE transaction: the next UTC day (the
 * first step from the purge mark, the last to the end of time) of every slice being
 * built. Returns whether steps remain.
 */
export function backfillStep(sqlite: Database.Database, model: ModelRecord, now: number): boolean {
  return sqlite
    .transaction(() => {
      const pending = sqlite.prepare('SELECT id, backfill_done, backfill_total FROM stats_slices WHERE model_id = ? AND ready_at IS NULL ORDER BY id').raw().all(model.id) as Array<[number, number, number]>;
      if (pending.length === 0) return false;
      const ids = new Set(pending.map((p) => p[0]));
      const key = pending.map((p) => p[0]).join(',');
      let p = progressOf(sqlite).get(model.id);
      if (!p || p.slices !== key) {
        // a slice joined, or this process did not start it: (re)start them all from the first day
        p = { slices: key, cursor: null };
        progressOf(sqlite).set(model.id, p);
        sqlite.prepare(`UPDATE stats_slices SET backfill_done = 0 WHERE model_id = ? AND ready_at IS NULL`).run(model.id);
      }
      // every event ingested so far is then in partials, which this step replaces where it builds
      foldUncovered(sqlite, model, now, 'all');
      const kept = purgedBefore(sqlite, model.id) ?? Number.MIN_SAFE_INTEGER;
      const from = Math.max(p.cursor ?? kept, kept);
      const span = eventSpan(sqlite, model.id);
      let to = END;
      if (span && span[1] >= from) {
        const next = Math.floor(Math.max(from, span[0]) / DAY_MS) * DAY_MS + DAY_MS;
        if (next <= span[1]) to = next;
      }
      for (const id of ids) deleteSliceStats(sqlite, model.id, id, from, to);
      const events = Array.from(readEvents(sqlite, model.id, 0, from, to));
      for (const { slice, ctx, items } of itemsBySlice(sqlite, model, events, (e) => e)) {
        if (!ids.has(slice)) continue;
        const hours = new Map<number, WindowStats>();
        for (const e of items) {
          const h = Math.floor(e.ts / HOUR_MS) * HOUR_MS;
          let s = hours.get(h);
          if (!s) hours.set(h, (s = emptyStats(ctx)));
          accumulate(s, e, ctx);
        }
        for (const [h, s] of hours) writeRow(sqlite, model.id, slice, 0, h, s);
      }
      const done = sqlite.prepare('UPDATE stats_slices SET backfill_done = backfill_done + ?, backfill_total = max(backfill_total, backfill_done + ?) WHERE id = ?');
      for (const id of ids) done.run(events.length, events.length, id);
      forgetModel(sqlite, model.id);
      if (to === END) {
        markAllReady(sqlite, model.id, now);
        return false;
      }
      p.cursor = to;
      return true;
    })
    .immediate();
}
