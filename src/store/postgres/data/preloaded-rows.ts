// The statistics rows of one slice of a model (domain/slices.ts; 0: the whole model) and
// span on PostgreSQL, in memory (StatsRows is synchronous: the shared merge and computation
// run over it unchanged; a slice's raw events are the model's of its version and segment). Loading goes in
// rounds: a listing query (purge mark, baseline stamp, the revs of the hour rows and
// roll-ups, the hours with partials), then the merge runs once over what is known, noting
// every row, partial or event range it asked for and did not have (answering as if it were
// empty and up to date), then all of those are read in a few queries, and the merge runs
// again; a round misses something only when a row turns out stale (another baseline), so
// a read takes two or three rounds. All on one connection, in the caller's snapshot: one
// for a read (REPEATABLE READ); a compaction step reads at READ COMMITTED, where a row
// rewritten or partials folded after the listing make the listing outdated: it is then
// taken again (without that a round kept asking for a rev no longer stored).
import type { ModelRecord } from '../../../domain/model.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { deserializeStats } from '../../../domain/metrics/stats-codec.js';
import type { RollupLevel } from '../../../domain/metrics/rollup-spans.js';
import type { StatsEvent } from '../../../domain/metrics/stats-event.js';
import type { RowLevel, StatsRows, StoredRow } from '../../../domain/metrics/stats-rows.js';
import { emptyStats, type WindowStats } from '../../../domain/metrics/window-stats.js';
import { ceilTo, floorTo, HOUR_MS } from '../../../domain/time.js';
import type pg from 'pg';
import type { Queryable } from './locks.js';
import { EVENT_COLUMNS, statsEventOf, type EventRow } from './event-rows.js';
import { sliceOf, type PgSlice } from './slice-set.js';
import { compileSegment } from '../../../domain/segments/match.js';
import { badInput } from '../../../errors.js';

/** Parsed rows a process keeps (a busy day or month is ~1-2 MB), as SQLite's stats store. */
const HOT_ROWS = 48;
/** Rounds at most per listing: each reads strictly more, so this is only a guard against a bug. */
const MAX_ROUNDS = 8;
/** Listings taken again at most (each after a concurrent writer changed what the last one named). */
const MAX_RELISTS = 4;

/** Whether a decoded row answers for the listed `rev`, against `ctx`, with histograms when asked. */
const answers = (row: StoredRow | undefined, rev: number, ctx: StatsContext, withHists: boolean): row is StoredRow =>
  row !== undefined && row.rev === rev && row.stats.key === ctx.statsKey && (!withHists || !!row.stats.histograms);

/** Recently read rows, used only while their rev is the database's. */
export class PgRowCache {
  private readonly rows = new Map<string, StoredRow>();

  get(key: string, rev: number, ctx: StatsContext, withHists: boolean): StoredRow | null {
    const hit = this.rows.get(key);
    if (!answers(hit, rev, ctx, withHists)) return null;
    this.rows.delete(key);
    this.rows.set(key, hit);
    return hit;
  }

  put(key: string, row: StoredRow): void {
    this.rows.delete(key);
    this.rows.set(key, row);
    while (this.rows.size > HOT_ROWS) this.rows.delete(this.rows.keys().next().value!);
  }

  forget(modelId: number): void {
    for (const k of Array.from(this.rows.keys())) if (k.startsWith(`${modelId}:`)) this.rows.delete(k);
  }
}

/** What a process caches per pool (the parsed baselines: stats-context.ts, per pool too). */
export interface PgStatsCaches {
  pool: pg.Pool;
  rows: PgRowCache;
}

export const newStatsCaches = (pool: pg.Pool): PgStatsCaches => ({ pool, rows: new PgRowCache() });

interface RawRow {
  rev: number;
  data: Buffer;
  hists: Buffer | null;
}

interface Listing {
  purgedBefore: number | null;
  /** hours with a row, ascending, and their revs */
  hours: number[];
  hourRev: Map<number, number>;
  rollups: Array<[RollupLevel, number, number]>;
  partialHours: number[];
}

/** What a round asked for and did not have. */
interface Misses {
  rows: Map<string, { level: RowLevel; start: number; hists: boolean }>;
  partials: Map<number, boolean>;
  events: Array<[number, number]>;
}

const rowKey = (modelId: number, slice: number, level: RowLevel, start: number) => `${modelId}:${slice}:${level}:${start}`;

/** Index of the first element of sorted `a` that is >= x. */
function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const within = (a: number[], from: number, to: number) => a.slice(lowerBound(a, from), lowerBound(a, to));

/** Everything loaded so far for one model and span; each round's StatsRows answers from it. */
class Loaded {
  rows = new Map<string, RawRow>();
  /** rows known to have been loaded with their histograms */
  withHists = new Set<string>();
  partials = new Map<number, Array<{ id: number; data: Buffer; hists: Buffer | null }>>();
  partialHists = new Set<number>();
  events: Array<{ from: number; to: number; events: Array<StatsEvent & { ts: number }> }> = [];
  /**
   * Rows this read decoded or took from the process's cache, kept for its later rounds:
   * other reads and compactions may evict them from the cache meanwhile, and a row lost
   * each round made every round miss one more (a read then ran out of rounds).
   */
  taken = new Map<string, StoredRow>();
  /** a row the listing named came back with another rev or not at all, or a listed hour's partials were gone */
  outdated = false;
  readonly ctx: StatsContext;

  constructor(
    readonly model: ModelRecord,
    readonly slice: PgSlice,
    readonly listing: Listing,
    readonly cache: PgRowCache,
  ) {
    this.ctx = slice.ctx;
  }

  /** The rev of the row the listing names, if it names one. */
  listedRev(level: RowLevel, start: number): number | undefined {
    if (level === 0) return this.listing.hourRev.get(start);
    return this.listing.rollups.find((r) => r[0] === level && r[1] === start)?.[2];
  }

  /** A StatsRows over what is loaded, noting what it lacks in `misses`. */
  round(misses: Misses): StatsRows {
    const { model, ctx, listing, cache } = this;
    const sl = this.slice.id;
    const mine = (modelId: number, slice: number) => {
      if (modelId !== model.id || slice !== sl) throw new Error(`statistics of model ${model.id} slice ${sl} were loaded, model ${modelId} slice ${slice} was asked for`);
    };
    const revOf = (level: RowLevel, start: number) => this.listedRev(level, start);
    return {
      purgedBefore: (modelId) => (mine(modelId, sl), listing.purgedBefore),
      context: (m, slice) => (mine(m.id, slice), ctx),
      sliceReady: (modelId, slice) => (mine(modelId, slice), this.slice.ready),
      hourRevs: (modelId, slice, from, to) => (mine(modelId, slice), within(listing.hours, from, to).map((h) => [h, listing.hourRev.get(h)!])),
      rollupRevs: (modelId, slice, from, to) => (mine(modelId, slice), listing.rollups.filter((r) => r[1] >= from && r[1] < to)),
      partialHours: (modelId, slice, from, to) => (mine(modelId, slice), within(listing.partialHours, from, to)),
      readRow: (c, modelId, slice, level, start, withHists) => {
        mine(modelId, slice);
        const rev = revOf(level, start);
        if (rev === undefined) return null;
        const key = rowKey(modelId, slice, level, start);
        const kept = this.taken.get(key);
        if (answers(kept, rev, c, withHists)) return kept;
        const hit = cache.get(key, rev, c, withHists);
        if (hit) {
          this.taken.set(key, hit);
          return hit;
        }
        const raw = this.rows.get(key);
        if (raw && raw.rev === rev && (!withHists || this.withHists.has(key))) {
          const row = { rev, stats: deserializeStats(raw.data, withHists ? raw.hists : null, c, withHists) };
          cache.put(key, row);
          this.taken.set(key, row);
          return row;
        }
        const had = misses.rows.get(key);
        misses.rows.set(key, { level, start, hists: withHists || (had?.hists ?? false) });
        return { rev, stats: emptyStats(c) };
      },
      partialsOfHour: (c, modelId, slice, hour, withHists) => {
        mine(modelId, slice);
        const parts = this.partials.get(hour);
        if (parts && (!withHists || this.partialHists.has(hour))) {
          return parts.map((p) => ({ id: p.id, stats: deserializeStats(p.data, withHists ? p.hists : null, c, withHists) }));
        }
        misses.partials.set(hour, withHists || (misses.partials.get(hour) ?? false));
        return [];
      },
      events: (modelId, slice, from, to) => {
        mine(modelId, slice);
        const got = this.events.find((e) => e.from <= from && e.to >= to);
        if (got) return got.events.filter((e) => e.ts >= from && e.ts < to);
        misses.events.push([from, to]);
        return [];
      },
    };
  }

  /** Reads what a round missed, in one query per kind (events: per merged range). */
  async fill(q: Queryable, m: Misses): Promise<void> {
    const id = this.model.id;
    const slice = this.slice.id;
    for (const level of [0, 1] as const) {
      const want = [...m.rows.values()].filter((r) => (level === 0 ? r.level === 0 : r.level !== 0));
      if (want.length === 0) continue;
      const hists = want.filter((r) => r.hists);
      const r =
        level === 0
          ? await q.query<{ level: number; start: number; rev: number; data: Buffer; hists: Buffer | null }>(
              `SELECT 0 AS level, hour AS start, rev, data, CASE WHEN hour = ANY($3::bigint[]) THEN hists END AS hists
                 FROM stats_hourly WHERE model_id = $1 AND slice = $4 AND hour = ANY($2::bigint[])`,
              [id, want.map((w) => w.start), hists.map((w) => w.start), slice],
            )
          : await q.query<{ level: number; start: number; rev: number; data: Buffer; hists: Buffer | null }>(
              `SELECT r.level, r.start, r.rev, r.data, CASE WHEN w.hists THEN r.hists END AS hists
                 FROM stats_rollup r JOIN unnest($2::int[], $3::bigint[], $4::bool[]) AS w(level, start, hists)
                   ON r.level = w.level AND r.start = w.start
                WHERE r.model_id = $1 AND r.slice = $5`,
              [id, want.map((w) => w.level), want.map((w) => w.start), want.map((w) => w.hists), slice],
            );
      const got = new Map<string, number>();
      for (const row of r.rows) {
        const key = rowKey(id, slice, row.level as RowLevel, row.start);
        got.set(key, row.rev);
        this.rows.set(key, { rev: row.rev, data: row.data, hists: row.hists });
        if (m.rows.get(key)?.hists) this.withHists.add(key);
        else this.withHists.delete(key);
      }
      for (const w of want) if (got.get(rowKey(id, slice, w.level, w.start)) !== this.listedRev(w.level, w.start)) this.outdated = true;
    }
    if (m.partials.size > 0) {
      const hours = [...m.partials.keys()];
      const hists = hours.filter((h) => m.partials.get(h));
      const r = await q.query<{ id: number; hour: number; data: Buffer; hists: Buffer | null }>(
        `SELECT id, hour, data, CASE WHEN hour = ANY($3::bigint[]) THEN hists END AS hists
           FROM stats_partial WHERE model_id = $1 AND slice = $4 AND hour = ANY($2::bigint[]) ORDER BY hour, id`,
        [id, hours, hists, slice],
      );
      for (const h of hours) this.partials.set(h, []);
      for (const row of r.rows) this.partials.get(row.hour)!.push({ id: row.id, data: row.data, hists: row.hists });
      if (hours.some((h) => this.partials.get(h)!.length === 0)) this.outdated = true;
      for (const h of hours) (m.partials.get(h) ? this.partialHists.add(h) : this.partialHists.delete(h));
    }
    for (const [from, to] of mergeRanges(m.events)) this.events.push({ from, to, events: await readEvents(q, id, this.slice, from, to) });
  }
}

/** The ranges merged where they touch or overlap, ascending. */
function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The slice's raw events in [from, to) by time (ts filtered: partitions outside are pruned; version in SQL, segment here). */
async function readEvents(q: Queryable, modelId: number, sl: PgSlice, from: number, to: number): Promise<Array<StatsEvent & { ts: number }>> {
  const r = await q.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE model_id = $1 AND ts >= $2 AND ts < $3 AND ($4::int IS NULL OR version_id = $4) ORDER BY ts, id`,
    [modelId, from, to, sl.versionId],
  );
  const all = r.rows.map(statsEventOf);
  if (sl.segment === null) return all;
  const test = compileSegment(sl.segment.conditions);
  return all.filter((e) => test(e.features));
}

/** The listing of the slice's statistics over the hours around [from, to), and the model's baseline stamp. */
async function list(q: Queryable, model: ModelRecord, slice: number, from: number, to: number): Promise<{ listing: Listing; baselineStamp: string | null }> {
  const lo = floorTo(from, HOUR_MS);
  const hi = ceilTo(to, HOUR_MS);
  // one round trip: tagged rows (k: 0 model, 1 baseline, 2 hour row, 3 roll-up, 4 hour with partials)
  const r = await q.query<{ k: number; a: number | null; b: number | null; c: number | null }>(
    `SELECT 0 AS k, purged_before AS a, NULL::bigint AS b, NULL::int AS c FROM models WHERE id = $1
     UNION ALL SELECT 1, updated_at, row_count, NULL FROM baselines WHERE model_id = $1
     UNION ALL SELECT 2, hour, rev, NULL FROM stats_hourly WHERE model_id = $1 AND slice = $4 AND hour >= $2 AND hour < $3
     UNION ALL SELECT 3, start, rev, level FROM stats_rollup WHERE model_id = $1 AND slice = $4 AND start >= $2 AND start < $3
     UNION ALL SELECT DISTINCT 4, hour, NULL::bigint, NULL::int FROM stats_partial WHERE model_id = $1 AND slice = $4 AND hour >= $2 AND hour < $3`,
    [model.id, lo, hi, slice],
  );
  const listing: Listing = { purgedBefore: null, hours: [], hourRev: new Map(), rollups: [], partialHours: [] };
  let baselineStamp: string | null = null;
  for (const { k, a, b, c } of r.rows) {
    if (k === 0) listing.purgedBefore = a === null ? null : Number(a);
    else if (k === 1) baselineStamp = `${Number(a)}|${Number(b)}`;
    else if (k === 2) listing.hourRev.set(Number(a), Number(b));
    else if (k === 3) listing.rollups.push([c as RollupLevel, Number(a), Number(b)]);
    else listing.partialHours.push(Number(a));
  }
  listing.hours = [...listing.hourRev.keys()].sort((x, y) => x - y);
  listing.partialHours.sort((x, y) => x - y);
  return { listing, baselineStamp };
}

/**
 * Runs `fn` (synchronous: the shared merge and computation) over the model's statistics
 * of the span [from, to), loaded on `q` in as few rounds as it needs; every query runs on
 * `q`, so the caller decides the snapshot (one REPEATABLE READ transaction for a read).
 */
export async function withPreloadedRows<T>(q: Queryable, caches: PgStatsCaches, model: ModelRecord, slice: number, from: number, to: number, fn: (rows: StatsRows) => T): Promise<T> {
  const start = async (): Promise<Loaded> => {
    const { listing, baselineStamp } = await list(q, model, slice, from, to);
    const sl = await sliceOf(caches.pool, q, model, slice, baselineStamp);
    if (!sl) throw badInput(slice === 0 ? 'model' : 'segment', 'the version or segment read was deleted while the read ran');
    return new Loaded(model, sl, listing, caches.rows);
  };
  let loaded = await start();
  let relists = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const misses: Misses = { rows: new Map(), partials: new Map(), events: [] };
    let out: { value: T } | { err: unknown };
    try {
      out = { value: fn(loaded.round(misses)) };
    } catch (err) {
      out = { err };
    }
    if (misses.rows.size === 0 && misses.partials.size === 0 && misses.events.length === 0) {
      if ('err' in out) throw out.err;
      return out.value;
    }
    await loaded.fill(q, misses);
    if (loaded.outdated && relists < MAX_RELISTS) {
      relists++;
      loaded = await start();
      round = -1;
    }
  }
  throw new Error(`statistics of model ${model.id} still incomplete after ${MAX_ROUNDS} rounds of loading (${relists} listings taken again)`);
}

/** A stored row's parsed stats (for writers: compaction reads the row it is about to replace). */
export function decodeRow(row: RawRow, ctx: StatsContext): WindowStats {
  return deserializeStats(row.data, row.hists, ctx, true);
}
