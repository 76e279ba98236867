// Recomputes a model's statistics from its raw events on PostgreSQL (a baseline or
// threshold change), as SQLite's rebuildStats (services/stats.ts): the stored statistics
// from the purge mark on go (partials, hour rows, the roll-ups over them: compaction builds
// those again), every hour with events gets its row again, a day at a time in pages
// (memory stays bounded), in (ts, id) order, the order SQLite reads them in (its index
// keeps ties in rowid order), so the sums are the same. Hours before the purge mark keep
// their rows: their events are gone. Holds the model's data lock alone: no prediction batch
// commits partials meanwhile (they would be counted twice or lost). The model's slices
// (domain/slices.ts) are rebuilt in the same scan, each event routed to those it is in,
// and are complete (ready) when it commits.
import type pg from 'pg';
import { accumulate, emptyStats, type WindowStats } from '../../../domain/metrics/window-stats.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import type { ModelRecord } from '../../../domain/model.js';
import { MODEL_SLICE } from '../../../domain/slices.js';
import { DAY_MS } from '../../../domain/time.js';
import type { PgContext } from '../context.js';
import { eventPartitions } from '../partitions.js';
import { holdModel, type Queryable } from './locks.js';
import { statsEventOf, type EventRow, type SliceEvent } from './event-rows.js';
import { modelState, statsContextOf } from './stats-context.js';
import { loadSliceSet, type SliceSet } from './slice-set.js';
import { deleteStatsIn, hourOf, writeHours } from './stats-rows.js';

/** Events read per query. */
const PAGE = 5000;

type Row = EventRow & { id: number };

const PAGE_SQL = `SELECT id, ts, features, score, predicted_label, value, actual_label, actual_value, version_id, attributions FROM events
  WHERE model_id = $1 AND ts >= $2 AND ts < $3 AND (ts, id) > ($4, $5) ORDER BY ts, id LIMIT ${PAGE}`;

/**
 * Calls `each` with the model's events of [from, to) in (ts, id) order, a page at a time
 * (on the connection of `q`, in its transaction).
 */
export async function scanEvents(q: Queryable, modelId: number, from: number, to: number, each: (e: SliceEvent) => void): Promise<void> {
  let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
  for (;;) {
    const r = await q.query<Row>(PAGE_SQL, [modelId, from, to, after[0], after[1]]);
    for (const e of r.rows) each(statsEventOf(e));
    if (r.rows.length < PAGE) return;
    const last = r.rows[r.rows.length - 1]!;
    after = [Number(last.ts), Number(last.id)];
  }
}

/** Which statistics a rebuild makes again: the model's (slice 0) and/or these slices. */
export interface RebuildTargets {
  model: boolean;
  /** slice ids (of `set`), or every slice of the model */
  slices: number[] | 'all';
  /** when the rebuilt slices become ready (stats_slices.ready_at) */
  at: number;
}

/**
 * Builds a day's statistics from its events for slice 0 (under `ctx0`, when given) and the
 * `slices` of `set`, and writes them as hour rows (the caller deleted what they replace);
 * returns the events read.
 */
export async function buildDay(q: Queryable, modelId: number, day: number, from: number, ctx0: StatsContext | null, set: SliceSet, slices: ReadonlySet<number>): Promise<number> {
  const hours = new Map<number, Map<number, WindowStats>>();
  const add = (slice: number, ctx: StatsContext, h: number, e: SliceEvent) => {
    let byHour = hours.get(slice);
    if (!byHour) hours.set(slice, (byHour = new Map()));
    let s = byHour.get(h);
    if (!s) byHour.set(h, (s = emptyStats(ctx)));
    accumulate(s, e, ctx);
  };
  const route = slices.size > 0;
  let n = 0;
  // a purge cut short may have left events before `from`: their hours are final
  await scanEvents(q, modelId, Math.max(day, from), day + DAY_MS, (e) => {
    n++;
    const h = hourOf(e.ts);
    if (ctx0) add(MODEL_SLICE, ctx0, h, e);
    if (!route) return;
    for (const id of set.route(e.versionId, e.features)) if (slices.has(id)) add(id, set.byId.get(id)!.ctx, h, e);
  });
  for (const [slice, byHour] of hours) await writeHours(q, modelId, slice, byHour);
  return n;
}

/** Rebuilds inside the open transaction of `client` (see the file's comment). */
export async function rebuildStatsOn(ctx: PgContext, client: pg.PoolClient, model: ModelRecord, targets: RebuildTargets = { model: true, slices: 'all', at: model.updatedAt }): Promise<void> {
  await holdModel(client, model.id);
  const state = await modelState(client, model.id);
  if (!state) return;
  const kept = state.purgedBefore;
  const set = await loadSliceSet(ctx.pool, client, model);
  const ids = new Set(targets.slices === 'all' ? set.slices.map((s) => s.id) : targets.slices.filter((id) => set.byId.has(id)));
  if (targets.model) await deleteStatsIn(client, model.id, MODEL_SLICE, kept);
  for (const id of ids) await deleteStatsIn(client, model.id, id, kept);
  // the model as the caller has it (as on SQLite): a threshold change passes the new one
  const ctx0 = targets.model ? await statsContextOf(ctx.pool, client, { model, baselineStamp: state.baselineStamp }) : null;
  const from = kept ?? Number.MIN_SAFE_INTEGER;
  const days = (await eventPartitions(ctx.pool, model.id)).filter((p) => p.attached && p.day + DAY_MS > from).map((p) => p.day);
  for (const day of days) await buildDay(client, model.id, day, from, ctx0, set, ids);
  if (ids.size > 0) {
    await client.query('UPDATE stats_slices SET ready_at = $2, backfill_done = backfill_total WHERE model_id = $1 AND id = ANY($3::int[])', [model.id, targets.at, [...ids]]);
  }
}
