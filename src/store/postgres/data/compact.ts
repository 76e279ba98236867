// Compaction on PostgreSQL (the rules of services/stats-compact.ts): folds each hour's
// partials into its hour row and the same delta into the roll-ups that already cover the
// hour, goes on with the slices being built (slice-backfill.ts), then builds the roll-ups of
// ended spans; each per statistics slice (domain/slices.ts). Several replicas run it at once: a step
// claims what it changes with advisory transaction locks (stats-locks.ts) and skips what
// another holds; roll-up rows are locked FOR UPDATE in (level, start) order, so two folds
// of one day never deadlock nor overwrite each other. Each step is one transaction that
// deletes exactly the partials it read and merged (by id: a partial committed meanwhile,
// even with a lower id, stays for the next pass), so a killed step leaves the partials or
// their merge, never both, never neither; and rerunning finds nothing left to do.
import { onOwnConnection } from '../own-connection.js';
import type pg from 'pg';
import type { ModelRecord } from '../../../domain/model.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { dropValuesLostIn, HOUR_PARTS, mergeInto } from '../../../domain/metrics/merge-stats.js';
import { ROLLUP_LEVELS, spanEnd, spanStart, TOP_LEVEL, type RollupLevel } from '../../../domain/metrics/rollup-spans.js';
import { deserializeStats, serializeStats } from '../../../domain/metrics/stats-codec.js';
import { accumulate, emptyStats, type WindowStats } from '../../../domain/metrics/window-stats.js';
import { DAY_MS, HOUR_MS } from '../../../domain/time.js';
import type { CompactOptions, CompactReport } from '../../ports/data.js';
import { AppError } from '../../../errors.js';
import { addStored } from '../../../services/stats-read.js';
import { EVENT_COLUMNS, statsEventOf, type EventRow } from './event-rows.js';
import { withPreloadedRows, type PgStatsCaches } from './preloaded-rows.js';
import { sliceOf, type PgSlice } from './slice-set.js';
import { backfillSlices } from './slice-backfill.js';
import { inSlice } from '../../../domain/slices.js';
import { tryShareModel, type Queryable } from './locks.js';
import { tryHour, tryModelAlone, tryModelShared } from './stats-locks.js';

/** Hours folded in one transaction. */
const HOURS_A_STEP = 64;
/** Roll-ups of one level built in one transaction (their rows read in one round). */
const ROLLUPS_A_STEP = 32;

export interface PgCompactDeps {
  pool: pg.Pool;
  caches: PgStatsCaches;
  modelById(id: number): Promise<ModelRecord | null>;
}

type Stored = { rev: number; data: Buffer; hists: Buffer | null };

/** A step that lost a deadlock (roll-back, nothing done) is left to the next pass. */
const DEADLOCK = '40P01';

async function step<T>(pool: pg.Pool, fn: (q: Queryable) => Promise<T>): Promise<T | null> {
  try {
    return await onOwnConnection(pool, 'BEGIN', fn);
  } catch (err) {
    if ((err as { code?: string }).code === DEADLOCK) return null;
    throw err;
  }
}

/** The slice as committed (its context against its profile), or null when it is gone. */
async function sliceNow(q: Queryable, pool: pg.Pool, model: ModelRecord, slice: number): Promise<PgSlice | null> {
  const b = (await q.query<{ updated_at: number; row_count: number }>('SELECT updated_at, row_count FROM baselines WHERE model_id = $1', [model.id])).rows[0];
  return sliceOf(pool, q, model, slice, b ? `${b.updated_at}|${b.row_count}` : null);
}

const newRev = () => Math.floor(Math.random() * 2 ** 52);

async function writeHour(q: Queryable, modelId: number, slice: number, hour: number, stats: WindowStats): Promise<void> {
  const { core, hists } = serializeStats(stats);
  await q.query(
    `INSERT INTO stats_hourly (model_id, slice, hour, rev, data, hists) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (model_id, slice, hour) DO UPDATE SET rev = excluded.rev, data = excluded.data, hists = excluded.hists`,
    [modelId, slice, hour, newRev(), core, hists],
  );
}

async function writeRollup(q: Queryable, modelId: number, slice: number, level: RollupLevel, start: number, stats: WindowStats): Promise<void> {
  const { core, hists } = serializeStats(stats);
  await q.query(
    `INSERT INTO stats_rollup (model_id, slice, level, start, rev, data, hists) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (model_id, slice, level, start) DO UPDATE SET rev = excluded.rev, data = excluded.data, hists = excluded.hists`,
    [modelId, slice, level, start, newRev(), core, hists],
  );
}

/** What the hours folded in one step add to one roll-up over them ('drop': rebuild it later). */
type RollupDelta = { level: RollupLevel; start: number; delta: WindowStats; hours: WindowStats[] } | 'drop' | 'none';

/** Folds one claimed hour; returns the partials merged (0: none, or left as they are). */
async function foldHour(q: Queryable, sl: PgSlice, modelId: number, hour: number, purgedBefore: number | null, ups: Map<string, RollupDelta>, rollups: Set<string>): Promise<number> {
  const ctx = sl.ctx;
  const slice = sl.id;
  const parts = (
    await q.query<{ id: number; data: Buffer; hists: Buffer | null }>('SELECT id, data, hists FROM stats_partial WHERE model_id = $1 AND slice = $2 AND hour = $3 ORDER BY id', [modelId, slice, hour])
  ).rows;
  if (parts.length === 0) return 0;
  const delta = emptyStats(ctx);
  let stale = false;
  for (const p of parts) {
    const s = deserializeStats(p.data, p.hists, ctx, true);
    if (s.key === ctx.statsKey) mergeInto(delta, s, ctx, HOUR_PARTS);
    else stale = true;
  }
  const row = (await q.query<Stored>('SELECT rev, data, hists FROM stats_hourly WHERE model_id = $1 AND slice = $2 AND hour = $3', [modelId, slice, hour])).rows[0];
  const old = row ? deserializeStats(row.data, row.hists, ctx, true) : null;
  if (stale || (old && old.key !== ctx.statsKey)) {
    if (purgedBefore !== null && hour < purgedBefore) return 0; // no raw events to rebuild it from: left as it is (reads refuse it)
    // the hour's events and every partial it has, in one statement's snapshot: a batch
    // committing meanwhile is in both (its partial deleted) or in neither (kept for later)
    const events = await q.query<EventRow>(
      `WITH gone AS (DELETE FROM stats_partial WHERE model_id = $1 AND slice = $4 AND hour = $2 RETURNING id)
       SELECT ${EVENT_COLUMNS} FROM events WHERE model_id = $1 AND ts >= $2 AND ts < $3 AND ($5::int IS NULL OR version_id = $5) ORDER BY ts, id`,
      [modelId, hour, hour + HOUR_MS, slice, sl.versionId],
    );
    const fresh = emptyStats(ctx);
    for (const e of events.rows) {
      const ev = statsEventOf(e);
      if (inSlice(sl, ev.versionId, ev.features)) accumulate(fresh, ev, ctx);
    }
    await writeHour(q, modelId, slice, hour, fresh);
    for (const level of ROLLUP_LEVELS) ups.set(`${level}:${spanStart(level, hour)}`, 'drop');
    return parts.length;
  } else {
    const next = emptyStats(ctx);
    if (old) mergeInto(next, old, ctx, HOUR_PARTS);
    mergeInto(next, delta, ctx, HOUR_PARTS);
    await writeHour(q, modelId, slice, hour, next);
    for (const level of ROLLUP_LEVELS) {
      const start = spanStart(level, hour);
      const key = `${level}:${start}`;
      let u = ups.get(key);
      if (u === 'drop' || u === 'none') continue;
      if (u === undefined) {
        // most hours are folded before their day has a roll-up: nothing to carry then
        u = rollups.has(key) ? { level, start, delta: emptyStats(ctx), hours: [] } : 'none';
        ups.set(key, u);
        if (u === 'none') continue;
      }
      mergeInto(u.delta, delta, ctx);
      u.hours.push(next);
    }
  }
  await q.query('DELETE FROM stats_partial WHERE id = ANY($1::bigint[])', [parts.map((p) => p.id)]);
  return parts.length;
}

/** Carries the step's deltas into the roll-ups, locking each in (level, start) order. */
async function carryToRollups(q: Queryable, ctx: StatsContext, modelId: number, slice: number, ups: Map<string, RollupDelta>): Promise<void> {
  const keys = [...ups.keys()].map((k) => k.split(':').map(Number) as [RollupLevel, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [level, start] of keys) {
    const u = ups.get(`${level}:${start}`)!;
    if (u === 'none') continue;
    const row = (
      await q.query<Stored>('SELECT rev, data, hists FROM stats_rollup WHERE model_id = $1 AND slice = $2 AND level = $3 AND start = $4 FOR UPDATE', [modelId, slice, level, start])
    ).rows[0];
    if (!row) continue; // dropped meanwhile by another step: built again from the hours
    const up = deserializeStats(row.data, row.hists, ctx, true);
    if (u === 'drop' || up.key !== ctx.statsKey) {
      await q.query('DELETE FROM stats_rollup WHERE model_id = $1 AND slice = $2 AND level = $3 AND start = $4', [modelId, slice, level, start]);
      continue;
    }
    const merged = emptyStats(ctx);
    mergeInto(merged, up, ctx);
    mergeInto(merged, u.delta, ctx);
    for (const h of u.hours) dropValuesLostIn(merged, h);
    await writeRollup(q, modelId, slice, level, start, merged);
  }
}

/** One step: the hours of one slice of a model this compactor can claim, folded in one transaction. */
async function foldStep(d: PgCompactDeps, model: ModelRecord, slice: number, hours: number[]): Promise<number> {
  const n = await step(d.pool, async (q) => {
    if (!(await tryShareModel(q, model.id)) || !(await tryModelShared(q, model.id, slice))) return 0; // a rebuild or a roll-up build holds the model
    const sl = await sliceNow(q, d.pool, model, slice);
    if (!sl) return 0; // its segment or version was deleted (its rows with it)
    const purged = (await q.query<{ p: number | null }>('SELECT purged_before AS p FROM models WHERE id = $1', [model.id])).rows[0]?.p ?? null;
    // the roll-ups over these hours (a builder cannot add one: it needs the model alone)
    const over = await q.query<{ level: number; start: number }>(
      'SELECT level, start FROM stats_rollup WHERE model_id = $1 AND slice = $2 AND start >= $3 AND start <= $4',
      [model.id, slice, spanStart(TOP_LEVEL, hours[0]!), hours[hours.length - 1]!],
    );
    const rollups = new Set(over.rows.map((r) => `${r.level}:${Number(r.start)}`));
    const ups = new Map<string, RollupDelta>();
    let folded = 0;
    for (const hour of hours) {
      if (await tryHour(q, model.id, slice, hour)) folded += await foldHour(q, sl, model.id, hour, purged === null ? null : Number(purged), ups, rollups);
    }
    await carryToRollups(q, sl.ctx, model.id, slice, ups);
    return folded;
  });
  return n ?? 0;
}

/** Spans of `level` that ended by `cutoff`, hold compacted hours of the slice, and have no roll-up yet. */
async function dueRollups(q: Queryable, modelId: number, slice: number, level: RollupLevel, cutoff: number): Promise<number[]> {
  const days = (
    await q.query<{ d: number }>(
      level === 1
        ? `SELECT DISTINCT hour - mod(hour, $1) AS d FROM stats_hourly WHERE model_id = $2 AND slice = $4 AND hour < $3
           EXCEPT SELECT start FROM stats_rollup WHERE model_id = $2 AND slice = $4 AND level = 1`
        : `SELECT DISTINCT hour - mod(hour, $1) AS d FROM stats_hourly WHERE model_id = $2 AND slice = $4 AND hour < $3
           UNION SELECT start FROM stats_rollup WHERE model_id = $2 AND slice = $4 AND level = 1`,
      [DAY_MS, modelId, cutoff, slice],
    )
  ).rows.map((r) => Number(r.d));
  if (level === 1) return days.filter((d) => d + DAY_MS <= cutoff).sort((a, b) => a - b);
  const have = new Set(
    (await q.query<{ s: number }>('SELECT start AS s FROM stats_rollup WHERE model_id = $1 AND slice = $2 AND level = $3', [modelId, slice, level])).rows.map((r) => Number(r.s)),
  );
  const out = new Set<number>();
  for (const day of days) {
    const s = spanStart(level, day);
    if (!have.has(s) && spanEnd(level, s) <= cutoff) out.add(s);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Builds roll-ups of one level from the rows below them (no partials: folds carry those),
 * holding the model alone, in one transaction reading the rows of all of them at once;
 * skips one while any hour in it is stale, or when another replica built it. Returns how many.
 */
async function buildRollups(d: PgCompactDeps, model: ModelRecord, slice: number, level: RollupLevel, starts: number[]): Promise<number> {
  const built = await step(d.pool, async (q) => {
    if (!(await tryShareModel(q, model.id)) || !(await tryModelAlone(q, model.id, slice))) return 0;
    const have = await q.query<{ s: number }>('SELECT start AS s FROM stats_rollup WHERE model_id = $1 AND slice = $2 AND level = $3 AND start = ANY($4::bigint[])', [
      model.id,
      slice,
      level,
      starts,
    ]);
    const done = new Set(have.rows.map((r) => Number(r.s)));
    const todo = starts.filter((s) => !done.has(s));
    if (todo.length === 0) return 0;
    const sums = await withPreloadedRows(q, d.caches, model, slice, todo[0]!, spanEnd(level, todo[todo.length - 1]!), (rows) => {
      const ctx = rows.context(model, slice);
      return todo.map((start) => {
        const sum = emptyStats(ctx);
        try {
          return addStored(rows, ctx, model.id, slice, sum, start, spanEnd(level, start), { histograms: true, partials: false }) > 0 ? null : sum;
        } catch (err) {
          if (err instanceof AppError) return null; // an outdated purged hour in it: no roll-up over it
          throw err;
        }
      });
    });
    let n = 0;
    for (let i = 0; i < todo.length; i++) {
      const sum = sums[i];
      if (!sum) continue;
      await writeRollup(q, model.id, slice, level, todo[i]!, sum);
      n++;
    }
    return n;
  });
  return built ?? 0;
}

/** One compaction pass at `now` (see the top of this file); `shouldStop` ends it between steps. */
export async function compactPostgres(d: PgCompactDeps, now: number, opts: CompactOptions = {}): Promise<CompactReport> {
  const shouldStop = opts.shouldStop ?? (() => false);
  // giveWay: ingest on PostgreSQL never waits for a step (a fold locks no row an insert of
  // events or partials needs), so there is no pause to wait for
  const report: CompactReport = { partials: 0, hours: 0, rollups: 0 };
  const models = new Map<number, ModelRecord | null>();
  const model = async (id: number) => {
    if (!models.has(id)) models.set(id, await d.modelById(id));
    return models.get(id)!;
  };
  const due = (
    await d.pool.query<{ m: number; s: number; h: number }>('SELECT model_id AS m, slice AS s, hour AS h FROM stats_partial GROUP BY 1, 2, 3 ORDER BY 1, 2, 3')
  ).rows.map((r) => [Number(r.m), Number(r.s), Number(r.h)] as const);
  for (let i = 0; i < due.length; ) {
    if (shouldStop()) return report;
    const [id, slice] = due[i]!;
    const hours: number[] = [];
    while (i < due.length && due[i]![0] === id && due[i]![1] === slice && hours.length < HOURS_A_STEP) hours.push(due[i++]![2]);
    const m = await model(id);
    if (!m) continue;
    report.partials += await foldStep(d, m, slice, hours);
    report.hours += hours.length;
  }
  // slices being built next: the roll-ups below then cover the days they rebuilt
  await backfillSlices(d, now, shouldStop);
  if (shouldStop()) return report;
  // a slice still being built has hours to be replaced: its roll-ups wait
  const slices = (
    await d.pool.query<{ m: number; s: number }>(
      `SELECT DISTINCT h.model_id AS m, h.slice AS s FROM stats_hourly h
        WHERE NOT EXISTS (SELECT 1 FROM stats_slices x WHERE x.id = h.slice AND x.ready_at IS NULL) ORDER BY 1, 2`,
    )
  ).rows.map((r) => [Number(r.m), Number(r.s)] as const);
  for (const [id, slice] of slices) {
    const m = await model(id);
    if (!m) continue;
    for (const level of ROLLUP_LEVELS) {
      const due = await dueRollups(d.pool, id, slice, level, now);
      for (let i = 0; i < due.length; i += ROLLUPS_A_STEP) {
        if (shouldStop()) return report;
        report.rollups += await buildRollups(d, m, slice, level, due.slice(i, i + ROLLUPS_A_STEP));
      }
    }
  }
  return report;
}
