// Storage of the hourly statistics and the in-process caches around it: the model's
// statistics context (its baseline profile, parsed once), recently written hour rows
// (kept mutable so a busy hour is not re-parsed per batch) and merged days for queries.
// A cached row is used only while its `rev` is the database's, which also covers a
// rolled-back transaction (its rev never reaches the database).
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../domain/model.js';
import { makeStatsContext, type StatsContext } from '../domain/metrics/context.js';
import type { BaselineProfile } from '../domain/metrics/profile.js';
import { deserializeStats, serializeStats } from '../domain/metrics/stats-codec.js';
import { accumulate, emptyStats, type StatsEvent, type WindowStats } from '../domain/metrics/window-stats.js';
import { HOUR_MS } from '../domain/time.js';
import { refuseOutdatedPurgedHour } from './retention.js';

export { DAY_MS, HOUR_MS } from '../domain/time.js';

/** How many mutable hour rows and merged days a process keeps (each up to ~1-2 MB). */
const HOT_HOURS = 24;
const HOT_DAYS = 32;

interface Stmts {
  baselineStamp: Database.Statement;
  profile: Database.Statement;
  revs: Database.Statement;
  rev: Database.Statement;
  data: Database.Statement;
  dataAndHists: Database.Statement;
  upsert: Database.Statement;
  deleteModel: Database.Statement;
  events: Database.Statement;
  span: Database.Statement;
}

interface ContextEntry {
  stamp: string;
  ctx: StatsContext;
}

interface CachedStats {
  rev: string;
  stats: WindowStats;
}

interface StoreCache {
  stmts: Stmts;
  contexts: Map<number, ContextEntry>;
  hours: Map<string, CachedStats>;
  days: Map<string, CachedStats>;
}

const caches = new WeakMap<Database.Database, StoreCache>();

function cacheOf(sqlite: Database.Database): StoreCache {
  let c = caches.get(sqlite);
  if (!c) {
    c = {
      stmts: {
        // not the profile itself: reading its megabytes per batch would dominate ingest.
        // Every baseline change also goes through setBaselineProfile, which forgets the model.
        baselineStamp: sqlite.prepare('SELECT updated_at, row_count FROM baselines WHERE model_id = ?').raw(),
        profile: sqlite.prepare('SELECT profile FROM baselines WHERE model_id = ?').pluck(),
        revs: sqlite.prepare('SELECT hour, rev FROM stats_hourly WHERE model_id = ? AND hour >= ? AND hour < ? ORDER BY hour').raw(),
        rev: sqlite.prepare('SELECT rev FROM stats_hourly WHERE model_id = ? AND hour = ?').pluck(),
        data: sqlite.prepare('SELECT data FROM stats_hourly WHERE model_id = ? AND hour = ?').pluck(),
        dataAndHists: sqlite.prepare('SELECT data, hists FROM stats_hourly WHERE model_id = ? AND hour = ?').raw(),
        upsert: sqlite.prepare(
          `INSERT INTO stats_hourly (model_id, hour, rev, data, hists) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (model_id, hour) DO UPDATE SET rev = excluded.rev, data = excluded.data, hists = excluded.hists`,
        ),
        deleteModel: sqlite.prepare('DELETE FROM stats_hourly WHERE model_id = ? AND hour >= ?'),
        events: sqlite
          .prepare(
            `SELECT ts, features, score, predicted_label, value, actual_label, actual_value FROM events
             WHERE model_id = ? AND ts >= ? AND ts < ? ORDER BY ts`,
          )
          .raw(),
        span: sqlite.prepare('SELECT min(ts), max(ts) FROM events WHERE model_id = ?').raw(),
      },
      contexts: new Map(),
      hours: new Map(),
      days: new Map(),
    };
    caches.set(sqlite, c);
  }
  return c;
}

function touch<V>(m: Map<string, V>, key: string, value: V, limit: number): void {
  m.delete(key);
  m.set(key, value);
  while (m.size > limit) m.delete(m.keys().next().value!);
}

/** The model's baseline profile as stored, or null. */
export function readProfile(sqlite: Database.Database, modelId: number): BaselineProfile | null {
  const text = cacheOf(sqlite).stmts.profile.get(modelId) as string | undefined;
  if (text === undefined) return null;
  return (typeof text === 'string' ? JSON.parse(text) : text) as BaselineProfile;
}

/** The statistics context of the model against its current baseline (cached while both are unchanged). */
export function statsContext(sqlite: Database.Database, model: ModelRecord): StatsContext {
  const c = cacheOf(sqlite);
  const b = c.stmts.baselineStamp.get(model.id) as [number, number] | undefined;
  const stamp = `${model.updatedAt}|${model.decisionThreshold}|${b ? b.join('|') : 'none'}`;
  const hit = c.contexts.get(model.id);
  if (hit && hit.stamp === stamp) return hit.ctx;
  const ctx = makeStatsContext(model, b ? readProfile(sqlite, model.id) : null);
  c.contexts.set(model.id, { stamp, ctx });
  return ctx;
}

/** Forgets everything cached about the model (its baseline or its statistics were replaced). */
export function forgetModel(sqlite: Database.Database, modelId: number): void {
  const c = cacheOf(sqlite);
  c.contexts.delete(modelId);
  for (const m of [c.hours, c.days]) for (const k of Array.from(m.keys())) if (k.startsWith(`${modelId}:`)) m.delete(k);
}

/** The raw events of the model in [from, to), as accumulated. */
export function* readEvents(sqlite: Database.Database, modelId: number, from: number, to: number): Generator<StatsEvent & { ts: number }> {
  type Row = [number, string, number | null, string | null, number | null, string | null, number | null];
  for (const r of cacheOf(sqlite).stmts.events.iterate(modelId, from, to) as Iterable<Row>) {
    yield { ts: r[0], features: JSON.parse(r[1]), score: r[2], predictedLabel: r[3], value: r[4], actualLabel: r[5], actualValue: r[6] };
  }
}

/** [first, last] event timestamps of the model, or null without events. */
export function eventSpan(sqlite: Database.Database, modelId: number): [number, number] | null {
  const r = cacheOf(sqlite).stmts.span.get(modelId) as [number | null, number | null];
  return r[0] === null || r[1] === null ? null : [r[0], r[1]];
}

/** Statistics of [from, to) straight from the raw events. */
export function statsFromEvents(sqlite: Database.Database, ctx: StatsContext, modelId: number, from: number, to: number): WindowStats {
  const s = emptyStats(ctx);
  for (const e of readEvents(sqlite, modelId, from, to)) accumulate(s, e, ctx);
  return s;
}

/** (hour, rev) of the stored rows of the model in [from, to). */
export function hourRevs(sqlite: Database.Database, modelId: number, from: number, to: number): Array<[number, number]> {
  return cacheOf(sqlite).stmts.revs.all(modelId, from, to) as Array<[number, number]>;
}

function readStored(c: StoreCache, ctx: StatsContext, modelId: number, hour: number, withHists: boolean): WindowStats | null {
  if (!withHists) {
    const core = c.stmts.data.get(modelId, hour) as Buffer | undefined;
    return core === undefined ? null : deserializeStats(core, null, ctx, false);
  }
  const r = c.stmts.dataAndHists.get(modelId, hour) as [Buffer, Buffer | null] | undefined;
  return r === undefined ? null : deserializeStats(r[0], r[1], ctx, true);
}

/**
 * The stored statistics of one hour, for reading only (do not mutate), with or without the
 * numeric histograms (only drift needs them); rebuilt from the raw events when the row was
 * built against another baseline or threshold. Null when no row.
 */
export function readHour(sqlite: Database.Database, ctx: StatsContext, modelId: number, hour: number, rev: number, withHists = true): WindowStats | null {
  const c = cacheOf(sqlite);
  const hit = c.hours.get(`${modelId}:${hour}`);
  if (hit && hit.rev === String(rev) && hit.stats.key === ctx.statsKey && (hit.stats.histograms || !withHists)) return hit.stats;
  const s = readStored(c, ctx, modelId, hour, withHists);
  if (s === null) return null;
  if (s.key === ctx.statsKey) return s;
  refuseOutdatedPurgedHour(sqlite, modelId, hour); // its raw events are gone: never rebuild it from nothing
  return statsFromEvents(sqlite, ctx, modelId, hour, hour + HOUR_MS);
}

/**
 * The hour's statistics to modify, owned by the caller until `writeHour`: the cached
 * mutable row when current, else the stored row, else empty. `stale` when the stored row
 * was built against another baseline (the caller then rebuilds it from the raw events).
 */
export function takeHour(sqlite: Database.Database, ctx: StatsContext, modelId: number, hour: number): { stats: WindowStats; stale: boolean } {
  const c = cacheOf(sqlite);
  const key = `${modelId}:${hour}`;
  const rev = c.stmts.rev.get(modelId, hour) as number | undefined;
  const hit = c.hours.get(key);
  c.hours.delete(key); // mutated from here on: not valid until written
  if (rev === undefined) return { stats: emptyStats(ctx), stale: false };
  if (hit && hit.rev === String(rev) && hit.stats.key === ctx.statsKey && hit.stats.histograms) return { stats: hit.stats, stale: false };
  const s = readStored(c, ctx, modelId, hour, true)!;
  return s.key === ctx.statsKey ? { stats: s, stale: false } : { stats: emptyStats(ctx), stale: true };
}

/** Stores the hour's statistics (inside the caller's transaction) and keeps them hot. */
export function writeHour(sqlite: Database.Database, modelId: number, hour: number, stats: WindowStats): void {
  const c = cacheOf(sqlite);
  const rev = Math.floor(Math.random() * 2 ** 52);
  const { core, hists } = serializeStats(stats);
  c.stmts.upsert.run(modelId, hour, rev, core, hists);
  touch(c.hours, `${modelId}:${hour}`, { rev: String(rev), stats }, HOT_HOURS);
}

/** Deletes the stored hours of the model from `fromHour` on (all of them by default). */
export function deleteHours(sqlite: Database.Database, modelId: number, fromHour = Number.MIN_SAFE_INTEGER): void {
  cacheOf(sqlite).stmts.deleteModel.run(modelId, fromHour);
  forgetModel(sqlite, modelId);
}

/** A merged day from the cache (with histograms when asked), valid while the day's rows have exactly these revs. */
export function cachedDay(sqlite: Database.Database, modelId: number, day: number, signature: string, key: string, withHists: boolean): WindowStats | null {
  const days = cacheOf(sqlite).days;
  for (const h of withHists ? [true] : [false, true]) {
    const hit = days.get(`${modelId}:${day}:${h}`);
    if (hit && hit.rev === signature && hit.stats.key === key) return hit.stats;
  }
  return null;
}

/** Remembers a merged day (not to be mutated afterwards). */
export function rememberDay(sqlite: Database.Database, modelId: number, day: number, signature: string, stats: WindowStats): void {
  touch(cacheOf(sqlite).days, `${modelId}:${day}:${stats.histograms}`, { rev: signature, stats }, HOT_DAYS);
}

/** Drops the in-process caches (for cold measurements); `keepContexts` keeps the parsed baseline profiles. */
export function dropStatsCaches(sqlite: Database.Database, opts: { keepContexts?: boolean } = {}): void {
  const c = cacheOf(sqlite);
  c.hours.clear();
  c.days.clear();
  if (!opts.keepContexts) c.contexts.clear();
}
