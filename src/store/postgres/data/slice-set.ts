// A model's statistics slices on PostgreSQL (domain/slices.ts): which exist, what an event
// belongs to, and each one's statistics context against its own profile (stats_slices).
// Ingest reads them per batch, so they are cached per pool while the model and every
// slice row are unchanged: the model state's `slicesStamp` lists each slice's id with its
// row's xmin (any update of a row, its profile or its progress, gives it a new one).
import type pg from 'pg';
import { makeStatsContext, type StatsContext } from '../../../domain/metrics/context.js';
import type { BaselineProfile } from '../../../domain/metrics/profile.js';
import type { ModelRecord } from '../../../domain/model.js';
import type { SegmentCondition } from '../../../domain/segments/segment.js';
import { MODEL_SLICE, sliceRouter, type SliceRouter, type SliceSegment } from '../../../domain/slices.js';
import type { WindowStats } from '../../../domain/metrics/window-stats.js';
import type { Queryable } from './locks.js';
import { statsByHour, type SliceHours } from './stats-rows.js';
import { modelStamp, statsContextOf, type ModelState } from './stats-context.js';

/** One slice as ingest and reads use it. */
export interface PgSlice {
  id: number;
  versionId: number | null;
  segment: SliceSegment | null;
  ctx: StatsContext;
  ready: boolean;
}

/** The model's slices (0 not among them) and the router of events to them. */
export interface SliceSet {
  slices: PgSlice[];
  byId: Map<number, PgSlice>;
  route: SliceRouter;
}

type SliceRow = { id: number; version_id: number | null; segment_id: number | null; conditions: SegmentCondition[] | null; ready_at: number | null; xmin: string };

const sets = new WeakMap<pg.Pool, Map<number, { stamp: string; set: SliceSet }>>();
/** per pool, `${modelId}:${slice}`: the context and the stamp it was made under */
const contexts = new WeakMap<pg.Pool, Map<string, { stamp: string; ctx: StatsContext }>>();

function perPool<K, V>(map: WeakMap<pg.Pool, Map<K, V>>, pool: pg.Pool): Map<K, V> {
  let m = map.get(pool);
  if (!m) map.set(pool, (m = new Map()));
  return m;
}

/** The contexts of these slice rows (read only for those whose row changed since cached). */
async function contextsOf(pool: pg.Pool, q: Queryable, model: ModelRecord, rows: Array<{ id: number; xmin: string }>): Promise<Map<number, StatsContext>> {
  const cache = perPool(contexts, pool);
  const out = new Map<number, StatsContext>();
  const stampOf = (xmin: string) => `${modelStamp(model)}|${xmin}`;
  const missing: number[] = [];
  for (const r of rows) {
    const hit = cache.get(`${model.id}:${r.id}`);
    if (hit && hit.stamp === stampOf(r.xmin)) out.set(r.id, hit.ctx);
    else missing.push(r.id);
  }
  if (missing.length > 0) {
    const got = await q.query<{ id: number; xmin: string; profile: BaselineProfile | null }>(
      'SELECT id, xmin::text AS xmin, profile FROM stats_slices WHERE model_id = $1 AND id = ANY($2::int[])',
      [model.id, missing],
    );
    for (const r of got.rows) {
      const ctx = makeStatsContext(model, r.profile);
      cache.set(`${model.id}:${r.id}`, { stamp: stampOf(r.xmin), ctx });
      out.set(r.id, ctx);
    }
  }
  return out;
}

/** The model's slices as `state` has them (cached while its stamp holds). */
export async function sliceSetOf(pool: pg.Pool, q: Queryable, state: Pick<ModelState, 'model' | 'slicesStamp'>): Promise<SliceSet> {
  const cache = perPool(sets, pool);
  const m = state.model;
  const stamp = `${modelStamp(m)}|${state.slicesStamp}`;
  const hit = cache.get(m.id);
  if (hit && hit.stamp === stamp) return hit.set;
  const set = await loadSliceSet(pool, q, m);
  cache.set(m.id, { stamp, set });
  return set;
}

/** The model's slices as committed (or as the open transaction of `q` has them), uncached. */
export async function loadSliceSet(pool: pg.Pool, q: Queryable, model: ModelRecord): Promise<SliceSet> {
  const r = await q.query<SliceRow>(
    `SELECT s.id, s.version_id, s.segment_id, g.conditions, s.ready_at, s.xmin::text AS xmin
       FROM stats_slices s LEFT JOIN segments g ON g.id = s.segment_id WHERE s.model_id = $1 ORDER BY s.id`,
    [model.id],
  );
  const ctxs = await contextsOf(pool, q, model, r.rows);
  const slices = r.rows.map((row) => ({
    id: row.id,
    versionId: row.version_id,
    segment: row.segment_id === null ? null : { id: row.segment_id, conditions: row.conditions ?? [] },
    ctx: ctxs.get(row.id)!,
    ready: row.ready_at !== null,
  }));
  return { slices, byId: new Map(slices.map((s) => [s.id, s])), route: sliceRouter(slices) };
}

/** One slice as a read or a compaction step sees it (slice 0: the model against its baseline), or null when it is gone. */
export async function sliceOf(pool: pg.Pool, q: Queryable, model: ModelRecord, slice: number, baselineStamp: string | null): Promise<PgSlice | null> {
  if (slice === MODEL_SLICE) return { id: 0, versionId: null, segment: null, ctx: await statsContextOf(pool, q, { model, baselineStamp }), ready: true };
  const r = await q.query<SliceRow>(
    `SELECT s.id, s.version_id, s.segment_id, g.conditions, s.ready_at, s.xmin::text AS xmin
       FROM stats_slices s LEFT JOIN segments g ON g.id = s.segment_id WHERE s.model_id = $1 AND s.id = $2`,
    [model.id, slice],
  );
  const row = r.rows[0];
  if (!row) return null;
  const ctx = (await contextsOf(pool, q, model, [row])).get(row.id)!;
  return { id: row.id, versionId: row.version_id, segment: row.segment_id === null ? null : { id: row.segment_id, conditions: row.conditions ?? [] }, ctx, ready: row.ready_at !== null };
}

/**
 * The statistics `change` makes per slice and UTC hour of the items: slice 0 (under
 * `ctx0`) for all of them, then each slice (by id) for those of its events, an hour at a
 * time in the items' order (stats-rows.ts statsByHour), each under the slice's context.
 */
export function statsBySlice<T extends { versionId: number | null; features: Readonly<Record<string, unknown>> }>(
  ctx0: StatsContext,
  set: SliceSet,
  items: readonly T[],
  ts: (t: T) => number,
  change: (s: WindowStats, t: T, ctx: StatsContext) => void,
): SliceHours {
  const out: SliceHours = new Map();
  const model = statsByHour(ctx0, items, ts, (s, t) => change(s, t, ctx0));
  if (model.size > 0) out.set(MODEL_SLICE, model);
  if (set.slices.length === 0) return out;
  const members = membersOf(set, items);
  for (const sl of set.slices) {
    const list = members.get(sl.id);
    if (list) out.set(sl.id, statsByHour(sl.ctx, list.map((i) => items[i]!), ts, (s, t) => change(s, t, sl.ctx)));
  }
  return out;
}

/** The items' indices in each slice they belong to, in the items' order. */
function membersOf(set: SliceSet, items: ReadonlyArray<{ versionId: number | null; features: Readonly<Record<string, unknown>> }>): Map<number, number[]> {
  const members = new Map<number, number[]>();
  for (let i = 0; i < items.length; i++) {
    for (const id of set.route(items[i]!.versionId, items[i]!.features)) {
      let list = members.get(id);
      if (!list) members.set(id, (list = []));
      list.push(i);
    }
  }
  return members;
}

/** Forgets what this process caches about the model's slices. */
export function forgetSlices(pool: pg.Pool, modelId: number): void {
  sets.get(pool)?.delete(modelId);
  const c = contexts.get(pool);
  if (c) for (const k of Array.from(c.keys())) if (k.startsWith(`${modelId}:`)) c.delete(k);
}
