// Storage of the statistics (src/db/schema/stats.ts: partials, compacted hours, roll-ups)
// and the in-process caches around it: the model's statistics context (its baseline
// profile, parsed once) and recently read rows, used only while their `rev` is the
// database's (which also covers a rolled-back transaction: its rev never reaches the
// database). Partials are immutable, so they need no rev.
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../../domain/model.js';
import { makeStatsContext, type StatsContext } from '../../../domain/metrics/context.js';
import type { BaselineProfile } from '../../../domain/metrics/profile.js';
import { deserializeStats, serializeStats } from '../../../domain/metrics/stats-codec.js';
import { accumulate, emptyStats, type StatsEvent, type WindowStats } from '../../../domain/metrics/window-stats.js';
import { DAY_MS as DAY } from '../../../domain/time.js';
import { spanEnd, type RollupLevel } from '../../../domain/metrics/rollup-spans.js';
import type { RowLevel } from '../../../domain/metrics/stats-rows.js';
import { forgetAllSlices, forgetSlices, sliceContext, sliceSet, type SliceSet } from './slice-set.js';

export { eventOf, eventSpan, readEvents, statsFromEvents, type SliceEvent } from './stored-events.js';

export { DAY_MS, HOUR_MS } from '../../../domain/time.js';

/** Parsed rows a process keeps (a busy day or month is ~1-2 MB). */
const HOT_ROWS = 48;

export type { RowLevel } from '../../../domain/metrics/stats-rows.js';

interface Stmts {
  baselineStamp: Database.Statement;
  profile: Database.Statement;
  appendPartial: Database.Statement;
  partialsIn: Database.Statement;
  partialsOfHour: Database.Statement;
  deletePartials: Database.Statement;
  hourRevs: Database.Statement;
  rollupRevs: Database.Statement;
  hourRow: Database.Statement;
  rollupRow: Database.Statement;
  upsertHour: Database.Statement;
  upsertRollup: Database.Statement;
  deleteRollup: Database.Statement;
  rollupExists: Database.Statement;
  deleteFrom: Database.Statement[];
  rollupsBefore: Database.Statement;
  deleteSliceRange: Database.Statement[];
  sliceRollups: Database.Statement;
}

interface StoreCache {
  stmts: Stmts;
  contexts: Map<number, { stamp: string; ctx: StatsContext }>;
  rows: Map<string, { rev: number; stats: WindowStats }>;
  /** partials appended and batches held in a head by this process so far */
  appended: number;
  /** per model, how many times it was forgotten (read workers forget theirs when it moves) */
  generations: Map<number, number>;
}

const caches = new WeakMap<Database.Database, StoreCache>();

function cacheOf(sqlite: Database.Database): StoreCache {
  let c = caches.get(sqlite);
  if (!c) {
    const p = (sql: string) => sqlite.prepare(sql);
    c = {
      stmts: {
        // not the profile itself: reading its megabytes per batch would dominate ingest.
        // Every baseline change also goes through setBaselineProfile, which forgets the model.
        baselineStamp: p('SELECT updated_at, row_count FROM baselines WHERE model_id = ?').raw(),
        profile: p('SELECT profile FROM baselines WHERE model_id = ?').pluck(),
        appendPartial: p('INSERT INTO stats_partial (model_id, slice, hour, data, hists) VALUES (?, ?, ?, ?, ?)'),
        partialsIn: p('SELECT id, hour FROM stats_partial WHERE model_id = ? AND slice = ? AND hour >= ? AND hour < ? ORDER BY hour, id').raw(),
        partialsOfHour: p('SELECT id, data, hists FROM stats_partial WHERE model_id = ? AND slice = ? AND hour = ? ORDER BY id').raw(),
        deletePartials: p('DELETE FROM stats_partial WHERE model_id = ? AND slice = ? AND hour = ? AND id <= ?'),
        hourRevs: p('SELECT hour, rev FROM stats_hourly WHERE model_id = ? AND slice = ? AND hour >= ? AND hour < ? ORDER BY hour').raw(),
        rollupRevs: p('SELECT level, start, rev FROM stats_rollup WHERE model_id = ? AND slice = ? AND start >= ? AND start < ?').raw(),
        hourRow: p('SELECT rev, data, hists FROM stats_hourly WHERE model_id = ? AND slice = ? AND hour = ?').raw(),
        rollupRow: p('SELECT rev, data, hists FROM stats_rollup WHERE model_id = ? AND slice = ? AND level = ? AND start = ?').raw(),
        upsertHour: p(
          `INSERT INTO stats_hourly (model_id, slice, hour, rev, data, hists) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (model_id, slice, hour) DO UPDATE SET rev = excluded.rev, data = excluded.data, hists = excluded.hists`,
        ),
        upsertRollup: p(
          `INSERT INTO stats_rollup (model_id, slice, level, start, rev, data, hists) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (model_id, slice, level, start) DO UPDATE SET rev = excluded.rev, data = excluded.data, hists = excluded.hists`,
        ),
        rollupExists: p('SELECT 1 FROM stats_rollup WHERE model_id = ? AND slice = ? AND level = ? AND start = ?').pluck(),
        deleteRollup: p('DELETE FROM stats_rollup WHERE model_id = ? AND slice = ? AND level = ? AND start = ?'),
        // every slice's (a baseline or threshold change)
        deleteFrom: [
          p('DELETE FROM stats_hourly WHERE model_id = ? AND hour >= ?'),
          p('DELETE FROM stats_partial WHERE model_id = ? AND hour >= ?'),
          p('DELETE FROM stats_rollup WHERE model_id = ? AND start >= ?'),
        ],
        rollupsBefore: p('SELECT slice, level, start FROM stats_rollup WHERE model_id = ? AND start < ? AND start >= ?').raw(),
        // one slice's, over [from, to) (a backfill step)
        deleteSliceRange: [
          p('DELETE FROM stats_hourly WHERE model_id = ? AND slice = ? AND hour >= ? AND hour < ?'),
          p('DELETE FROM stats_partial WHERE model_id = ? AND slice = ? AND hour >= ? AND hour < ?'),
        ],
        sliceRollups: p('SELECT level, start FROM stats_rollup WHERE model_id = ? AND slice = ? AND start < ?').raw(),
      },
      contexts: new Map(),
      rows: new Map(),
      appended: 0,
      generations: new Map(),
    };
    caches.set(sqlite, c);
  }
  return c;
}

/** The model's baseline profile as stored, or null. */
export function readProfile(sqlite: Database.Database, modelId: number): BaselineProfile | null {
  const text = cacheOf(sqlite).stmts.profile.get(modelId) as string | undefined;
  if (text === undefined) return null;
  return (typeof text === 'string' ? JSON.parse(text) : text) as BaselineProfile;
}

/** What the model's own context depends on: its record's version, threshold, baseline. */
function modelStamp(c: StoreCache, model: ModelRecord): { stamp: string; hasBaseline: boolean } {
  const b = c.stmts.baselineStamp.get(model.id) as [number, number] | undefined;
  return { stamp: `${model.updatedAt}|${model.decisionThreshold}|${b ? b.join('|') : 'none'}`, hasBaseline: b !== undefined };
}

/**
 * The statistics context of the model (slice 0) against its current baseline, or of one of
 * its slices against the slice's profile (cached while all they depend on is unchanged).
 */
export function statsContext(sqlite: Database.Database, model: ModelRecord, slice = 0): StatsContext {
  const c = cacheOf(sqlite);
  const { stamp, hasBaseline } = modelStamp(c, model);
  if (slice !== 0) return sliceContext(sqlite, model, sliceSet(sqlite, model.id, stamp), slice);
  const hit = c.contexts.get(model.id);
  if (hit && hit.stamp === stamp) return hit.ctx;
  const ctx = makeStatsContext(model, hasBaseline ? readProfile(sqlite, model.id) : null);
  c.contexts.set(model.id, { stamp, ctx });
  return ctx;
}

/** The model's slices (ingest routes each event through them), with the model's context. */
export function modelSlices(sqlite: Database.Database, model: ModelRecord): { ctx: StatsContext; set: SliceSet } {
  const c = cacheOf(sqlite);
  const ctx = statsContext(sqlite, model);
  return { ctx, set: sliceSet(sqlite, model.id, modelStamp(c, model).stamp) };
}

/** Forgets everything cached about the model (its baseline, slices or statistics were replaced). */
export function forgetModel(sqlite: Database.Database, modelId: number): void {
  const c = cacheOf(sqlite);
  c.generations.set(modelId, (c.generations.get(modelId) ?? 0) + 1);
  c.contexts.delete(modelId);
  forgetSlices(sqlite, modelId);
  for (const k of Array.from(c.rows.keys())) if (k.startsWith(`${modelId}:`)) c.rows.delete(k);
}

/**
 * How many times the model was forgotten on this connection: another connection's caches
 * of the model (a read worker's) are stale once this has moved since they were filled.
 */
export function modelGeneration(sqlite: Database.Database, modelId: number): number {
  return cacheOf(sqlite).generations.get(modelId) ?? 0;
}

const decode = (r: [Buffer, Buffer | null], ctx: StatsContext, withHists: boolean) => deserializeStats(r[0], withHists ? r[1] : null, ctx, withHists);

/** Appends one partial row: the statistics a transaction adds to the slice's hour. */
export function appendPartial(sqlite: Database.Database, modelId: number, slice: number, hour: number, stats: WindowStats): void {
  const { core, hists } = serializeStats(stats, true);
  const c = cacheOf(sqlite);
  c.stmts.appendPartial.run(modelId, slice, hour, core, hists);
  c.appended++;
}

/** Counts an ingest batch whose statistics stay in memory for now (compaction gives way to it too). */
export function noteIngestWrite(sqlite: Database.Database): void {
  cacheOf(sqlite).appended++;
}

/** How many partials this process appended so far (compaction gives way while it grows). */
export function appendedPartials(sqlite: Database.Database): number {
  return cacheOf(sqlite).appended;
}

/** (id, hour) of the slice's partials in [from, to), by hour then id. */
export function partialsIn(sqlite: Database.Database, modelId: number, slice: number, from: number, to: number): Array<[number, number]> {
  return cacheOf(sqlite).stmts.partialsIn.all(modelId, slice, from, to) as Array<[number, number]>;
}

/** The slice's partials of one hour, decoded, oldest first. */
export function partialsOfHour(sqlite: Database.Database, ctx: StatsContext, modelId: number, slice: number, hour: number, withHists = true): Array<{ id: number; stats: WindowStats }> {
  const rows = cacheOf(sqlite).stmts.partialsOfHour.all(modelId, slice, hour) as Array<[number, Buffer, Buffer | null]>;
  return rows.map((r) => ({ id: r[0], stats: decode([r[1], r[2]], ctx, withHists) }));
}

/** Deletes the slice's partials of the hour up to id `maxId` (compaction, inside its transaction, which read them). */
export function deletePartials(sqlite: Database.Database, modelId: number, slice: number, hour: number, maxId: number): void {
  cacheOf(sqlite).stmts.deletePartials.run(modelId, slice, hour, maxId);
}

/** (hour, rev) of the slice's compacted hour rows in [from, to). */
export function hourRevs(sqlite: Database.Database, modelId: number, slice: number, from: number, to: number): Array<[number, number]> {
  return cacheOf(sqlite).stmts.hourRevs.all(modelId, slice, from, to) as Array<[number, number]>;
}

/** (level, start, rev) of the slice's roll-ups starting in [from, to). */
export function rollupRevs(sqlite: Database.Database, modelId: number, slice: number, from: number, to: number): Array<[RollupLevel, number, number]> {
  return cacheOf(sqlite).stmts.rollupRevs.all(modelId, slice, from, to) as Array<[RollupLevel, number, number]>;
}

/**
 * A stored hour (level 0) or roll-up row of the slice, for reading only (do not mutate),
 * with or without the numeric histograms (only drift needs them); `rev` known from a
 * listing lets a cached copy answer. Null when there is no row. The caller checks its key.
 */
export function readRow(sqlite: Database.Database, ctx: StatsContext, modelId: number, slice: number, level: RowLevel, start: number, withHists = true, rev?: number): { rev: number; stats: WindowStats } | null {
  const c = cacheOf(sqlite);
  const key = `${modelId}:${slice}:${level}:${start}`;
  const hit = c.rows.get(key);
  if (hit && rev !== undefined && hit.rev === rev && hit.stats.key === ctx.statsKey && (hit.stats.histograms || !withHists)) {
    c.rows.delete(key);
    c.rows.set(key, hit);
    return hit;
  }
  const r = (level === 0 ? c.stmts.hourRow.get(modelId, slice, start) : c.stmts.rollupRow.get(modelId, slice, level, start)) as [number, Buffer, Buffer | null] | undefined;
  if (r === undefined) return null;
  const row = { rev: r[0], stats: decode([r[1], r[2]], ctx, withHists) };
  c.rows.delete(key);
  c.rows.set(key, row);
  while (c.rows.size > HOT_ROWS) c.rows.delete(c.rows.keys().next().value!);
  return row;
}

/** Stores an hour (level 0) or roll-up row of the slice (inside the caller's transaction). */
export function writeRow(sqlite: Database.Database, modelId: number, slice: number, level: RowLevel, start: number, stats: WindowStats): void {
  const c = cacheOf(sqlite);
  const rev = Math.floor(Math.random() * 2 ** 52);
  const { core, hists } = serializeStats(stats);
  if (level === 0) c.stmts.upsertHour.run(modelId, slice, start, rev, core, hists);
  else c.stmts.upsertRollup.run(modelId, slice, level, start, rev, core, hists);
  c.rows.delete(`${modelId}:${slice}:${level}:${start}`);
}

/** Whether the slice's roll-up row exists. */
export function hasRollup(sqlite: Database.Database, modelId: number, slice: number, level: RollupLevel, start: number): boolean {
  return cacheOf(sqlite).stmts.rollupExists.get(modelId, slice, level, start) !== undefined;
}

/** Deletes a roll-up row of the slice (it will be built again from the hours). */
export function deleteRollup(sqlite: Database.Database, modelId: number, slice: number, level: RollupLevel, start: number): void {
  cacheOf(sqlite).stmts.deleteRollup.run(modelId, slice, level, start);
  cacheOf(sqlite).rows.delete(`${modelId}:${slice}:${level}:${start}`);
}

/**
 * Deletes the stored statistics of every slice of the model for the hours from `fromHour`
 * on (all by default): partials, hour rows, and every roll-up holding any of those hours.
 */
export function deleteStatsFrom(sqlite: Database.Database, modelId: number, fromHour = Number.MIN_SAFE_INTEGER): void {
  const st = cacheOf(sqlite).stmts;
  for (const d of st.deleteFrom) d.run(modelId, fromHour);
  // roll-ups that start before `fromHour` and end after it (a year starts < 367 days before)
  if (fromHour > Number.MIN_SAFE_INTEGER)
    for (const [slice, level, start] of st.rollupsBefore.all(modelId, fromHour, fromHour - 367 * DAY) as Array<[number, RollupLevel, number]>)
      if (spanEnd(level, start) > fromHour) st.deleteRollup.run(modelId, slice, level, start);
  forgetModel(sqlite, modelId);
}

/** Deletes one slice's stored statistics of the hours in [from, to), and every roll-up holding one of them. */
export function deleteSliceStats(sqlite: Database.Database, modelId: number, slice: number, from: number, to: number): void {
  const st = cacheOf(sqlite).stmts;
  for (const d of st.deleteSliceRange) d.run(modelId, slice, from, to);
  for (const [level, start] of st.sliceRollups.all(modelId, slice, to) as Array<[RollupLevel, number]>)
    if (spanEnd(level, start) > from) deleteRollup(sqlite, modelId, slice, level, start);
  forgetModel(sqlite, modelId);
}

/** Drops the in-process caches (for cold measurements); `keepContexts` keeps the parsed baseline profiles. */
export function dropStatsCaches(sqlite: Database.Database, opts: { keepContexts?: boolean } = {}): void {
  const c = cacheOf(sqlite);
  c.rows.clear();
  if (!opts.keepContexts) {
    c.contexts.clear();
    forgetAllSlices(sqlite);
  }
}
