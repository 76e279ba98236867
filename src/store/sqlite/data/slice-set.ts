// A model's statistics slices as ingest and reads use them on SQLite (domain/slices.ts):
// which slices an event goes to, and each slice's statistics context against its own
// profile (stats_slices.profile). Cached per connection while the model's slice set and
// the baselines the profiles come from are unchanged: one small query per batch or read
// tells (profiles themselves are read once per change: they may be megabytes).
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../../domain/model.js';
import { makeStatsContext, type StatsContext } from '../../../domain/metrics/context.js';
import type { BaselineProfile } from '../../../domain/metrics/profile.js';
import type { SegmentCondition } from '../../../domain/segments/segment.js';
import { compileSegment, type FeaturesPredicate } from '../../../domain/segments/match.js';
import { sliceRouter, type SliceRouter } from '../../../domain/slices.js';

/** One slice of a model, as cached. */
export interface CachedSlice {
  id: number;
  versionId: number | null;
  segmentId: number | null;
  /** the segment's predicate (null: every event) */
  test: FeaturesPredicate | null;
  ctx: StatsContext | null;
}

export interface SliceSet {
  stamp: string;
  slices: Map<number, CachedSlice>;
  /** the slices (beyond 0) an event goes to */
  route: SliceRouter;
}

interface Stmts {
  listing: Database.Statement;
  profile: Database.Statement;
  conditions: Database.Statement;
  ready: Database.Statement;
}

interface Cache {
  stmts: Stmts;
  sets: Map<number, SliceSet>;
  segments: Map<number, SegmentCondition[]>;
}

const caches = new WeakMap<Database.Database, Cache>();

function cacheOf(sqlite: Database.Database): Cache {
  let c = caches.get(sqlite);
  if (!c) {
    const p = (sql: string) => sqlite.prepare(sql);
    c = {
      stmts: {
        // what a slice's profile depends on: its version's own baseline (else the model's, in
        // the model's stamp), its segment (immutable); ids are never reused (AUTOINCREMENT)
        listing: p(
          `SELECT s.id, s.version_id, s.segment_id, v.baseline_updated_at, v.baseline_row_count
           FROM stats_slices s LEFT JOIN model_versions v ON v.id = s.version_id WHERE s.model_id = ? ORDER BY s.id`,
        ).raw(),
        profile: p('SELECT profile FROM stats_slices WHERE id = ?').pluck(),
        conditions: p('SELECT conditions FROM segments WHERE id = ?').pluck(),
        ready: p('SELECT ready_at FROM stats_slices WHERE id = ? AND model_id = ?').raw(),
      },
      sets: new Map(),
      segments: new Map(),
    };
    caches.set(sqlite, c);
  }
  return c;
}

const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

function conditionsOf(c: Cache, segmentId: number): SegmentCondition[] {
  let conds = c.segments.get(segmentId);
  if (!conds) {
    const text = c.stmts.conditions.get(segmentId);
    if (text === undefined) throw new Error(`segment ${segmentId} of a statistics slice does not exist`);
    c.segments.set(segmentId, (conds = parsed<SegmentCondition[]>(text)));
  }
  return conds;
}

/** The model's slices (cached while `modelStamp` and its slice listing are unchanged). */
export function sliceSet(sqlite: Database.Database, modelId: number, modelStamp: string): SliceSet {
  const c = cacheOf(sqlite);
  const rows = c.stmts.listing.all(modelId) as Array<[number, number | null, number | null, number | null, number | null]>;
  const stamp = `${modelStamp}#${rows.map((r) => r.join(',')).join(';')}`;
  const hit = c.sets.get(modelId);
  if (hit && hit.stamp === stamp) return hit;
  const slices = new Map<number, CachedSlice>();
  const shapes = [];
  for (const [id, versionId, segmentId] of rows) {
    const conditions = segmentId === null ? null : conditionsOf(c, segmentId);
    slices.set(id, { id, versionId, segmentId, test: conditions ? compileSegment(conditions) : null, ctx: null });
    shapes.push({ id, versionId, segment: conditions && segmentId !== null ? { id: segmentId, conditions } : null });
  }
  const set = { stamp, slices, route: sliceRouter(shapes) };
  c.sets.set(modelId, set);
  return set;
}

/** The context of slice `slice` (> 0) of the set, against its stored profile. */
export function sliceContext(sqlite: Database.Database, model: ModelRecord, set: SliceSet, slice: number): StatsContext {
  const s = set.slices.get(slice);
  if (!s) throw new Error(`model ${model.id} has no statistics slice ${slice}`);
  if (!s.ctx) {
    const text = cacheOf(sqlite).stmts.profile.get(slice);
    s.ctx = makeStatsContext(model, text === null || text === undefined ? null : parsed<BaselineProfile>(text));
  }
  return s.ctx;
}

/** Whether the slice's stored statistics hold all its events (slice 0 always; an unknown slice never). */
export function sliceReady(sqlite: Database.Database, modelId: number, slice: number): boolean {
  if (slice === 0) return true;
  const r = cacheOf(sqlite).stmts.ready.get(slice, modelId) as [number | null] | undefined;
  return r !== undefined && r[0] !== null;
}

/** Forgets the model's cached slices (its slices or their profiles were replaced). */
export function forgetSlices(sqlite: Database.Database, modelId: number): void {
  cacheOf(sqlite).sets.delete(modelId);
}

const filters = new WeakMap<Database.Database, Map<number, { versionId: number | null; test: FeaturesPredicate | null }>>();

/** The version and segment predicate of slice `slice` (> 0) of the model (immutable per id). */
export function sliceFilter(sqlite: Database.Database, modelId: number, slice: number): { versionId: number | null; test: FeaturesPredicate | null } {
  let m = filters.get(sqlite);
  if (!m) filters.set(sqlite, (m = new Map()));
  let f = m.get(slice);
  if (!f) {
    const r = sqlite.prepare('SELECT version_id, segment_id FROM stats_slices WHERE id = ? AND model_id = ?').raw().get(slice, modelId) as [number | null, number | null] | undefined;
    if (!r) throw new Error(`model ${modelId} has no statistics slice ${slice}`);
    f = { versionId: r[0], test: r[1] === null ? null : compileSegment(conditionsOf(cacheOf(sqlite), r[1])) };
    m.set(slice, f);
  }
  return f;
}

/** Forgets every model's cached slices (cold measurements). */
export function forgetAllSlices(sqlite: Database.Database): void {
  cacheOf(sqlite).sets.clear();
}

/** Whether the model has the slice (0 always). */
export function sliceExists(sqlite: Database.Database, modelId: number, slice: number): boolean {
  return slice === 0 || cacheOf(sqlite).stmts.ready.get(slice, modelId) !== undefined;
}
