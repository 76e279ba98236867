// Statistics of any window [from, to): the fewest stored rows that tile its whole hours
// (roll-ups from years down to days, then compacted hours) plus the partials not compacted
// yet, plus the partial hours at both ends accumulated from the raw events, so any window
// is exact to the millisecond and its cost grows with the number of rows, not events
// (over time purged by retention, edges move out to the UTC hour: there are no raw events
// left to cut an hour with).
import type { ModelRecord } from '../domain/model.js';
import type { StatsContext } from '../domain/metrics/context.js';
import { accumulate, emptyStats, type WindowStats } from '../domain/metrics/window-stats.js';
import { dropValuesLostIn, HOUR_PARTS, mergeInto } from '../domain/metrics/merge-stats.js';
import { coverWindow, spanEnd, TOP_LEVEL, type Level, type RollupLevel } from '../domain/metrics/rollup-spans.js';
import { alignToKept } from '../domain/retention.js';
import { ceilTo, floorTo, HOUR_MS } from '../domain/time.js';
import type { StatsRows } from '../domain/metrics/stats-rows.js';
import { badInput } from '../errors.js';
import { MODEL_SLICE } from '../domain/slices.js';

function addRaw(rows: StatsRows, ctx: StatsContext, modelId: number, slice: number, acc: WindowStats, from: number, to: number): void {
  if (from < to) for (const e of rows.events(modelId, slice, from, to)) accumulate(acc, e, ctx);
}

/**
 * Throws when `hour` was purged and its stored statistics were built under another
 * baseline or decision threshold than the current one: they cannot be rebuilt without
 * their raw events, and a number from nothing would be silently wrong (docs/metrics.md).
 */
function refuseOutdatedPurgedHour(rows: StatsRows, modelId: number, hour: number): void {
  const before = rows.purgedBefore(modelId);
  if (before === null || hour >= before) return;
  const at = new Date(before).toISOString();
  throw badInput(
    'from',
    `the events before ${at} were deleted by retention and their hourly statistics were built with an earlier baseline or decision threshold, which they cannot be recomputed against; start the window at ${at} or later`,
  );
}

/**
 * Merges into `acc` the stored statistics of the hour-aligned [lo, hi): roll-ups and hour
 * rows, and the partials when `withPartials`. Any hour with a row or partial built against
 * another baseline or threshold is taken from the raw events instead. Returns how many
 * hours were.
 */
export function addStored(
  rows: StatsRows,
  ctx: StatsContext,
  modelId: number,
  slice: number,
  acc: WindowStats,
  lo: number,
  hi: number,
  opts: { histograms: boolean; partials: boolean },
): number {
  const withHists = opts.histograms;
  // the partials of each hour merged first, as parts of that hour
  const deltas = new Map<number, WindowStats>();
  const stale = new Set<number>();
  if (opts.partials) {
    for (const hour of rows.partialHours(modelId, slice, lo, hi)) {
      const delta = emptyStats(ctx);
      for (const p of rows.partialsOfHour(ctx, modelId, slice, hour, withHists)) {
        if (p.stats.key === ctx.statsKey) mergeInto(delta, p.stats, ctx, HOUR_PARTS);
        else stale.add(hour);
      }
      if (!stale.has(hour)) deltas.set(hour, delta);
    }
  }
  const revs = new Map<string, number>();
  for (const [level, start, rev] of rows.rollupRevs(modelId, slice, lo, hi)) revs.set(`${level}:${start}`, rev);
  const staleWithin = (a: number, b: number) => {
    for (const h of stale) if (h >= a && h < b) return true;
    return false;
  };
  const has = (level: RollupLevel, start: number) => revs.has(`${level}:${start}`) && !staleWithin(start, spanEnd(level, start));
  const raw = new Set<number>();
  const rawHour = (h: number) => {
    refuseOutdatedPurgedHour(rows, modelId, h); // its raw events are gone: never rebuild it from nothing
    raw.add(h);
    const fromEvents = emptyStats(ctx);
    addRaw(rows, ctx, modelId, slice, fromEvents, h, h + HOUR_MS);
    mergeInto(acc, fromEvents, ctx);
  };
  const addCover = (a: number, b: number, top: Level) => {
    for (const piece of coverWindow(a, b, has, top)) {
      if (piece.level === 0) {
        for (const [h, rev] of rows.hourRevs(modelId, slice, piece.lo, piece.hi)) {
          const row = stale.has(h) ? null : rows.readRow(ctx, modelId, slice, 0, h, withHists, rev);
          if (!row || row.stats.key !== ctx.statsKey) rawHour(h);
          else if (!deltas.has(h)) mergeInto(acc, row.stats, ctx);
          else {
            const whole = emptyStats(ctx);
            mergeInto(whole, row.stats, ctx, HOUR_PARTS);
            mergeInto(whole, deltas.get(h)!, ctx, HOUR_PARTS);
            mergeInto(acc, whole, ctx);
            deltas.delete(h);
          }
        }
        for (const h of stale) if (h >= piece.lo && h < piece.hi && !raw.has(h)) rawHour(h);
        continue;
      }
      const row = rows.readRow(ctx, modelId, slice, piece.level, piece.start, withHists, revs.get(`${piece.level}:${piece.start}`));
      if (row && row.stats.key === ctx.statsKey) mergeInto(acc, row.stats, ctx);
      else addCover(piece.start, spanEnd(piece.level, piece.start), (piece.level - 1) as Level);
    }
  };
  addCover(lo, hi, TOP_LEVEL);
  // partials of hours without a row, or inside a roll-up that holds their compacted part
  for (const [h, delta] of deltas) {
    if (raw.has(h)) continue;
    mergeInto(acc, delta, ctx);
    const row = withHists ? rows.readRow(ctx, modelId, slice, 0, h, true) : null;
    if (row && row.stats.key === ctx.statsKey) {
      const whole = emptyStats(ctx);
      mergeInto(whole, row.stats, ctx, HOUR_PARTS);
      mergeInto(whole, delta, ctx, HOUR_PARTS);
      dropValuesLostIn(acc, whole);
    }
  }
  return raw.size;
}

/**
 * Fresh (caller-owned) statistics of the events of `opts.slice` in [from, to) (absent or
 * 0: the model's), and the context to read them with; `histograms: false` skips the numeric
 * histograms (all but drift). A slice still being built is read from its raw events.
 */
export function windowStats(
  rows: StatsRows,
  model: ModelRecord,
  from: number,
  to: number,
  opts: { histograms?: boolean; slice?: number } = {},
): { stats: WindowStats; ctx: StatsContext } {
  const histograms = opts.histograms ?? true;
  const slice = opts.slice ?? MODEL_SLICE;
  ({ from, to } = alignToKept(from, to, rows.purgedBefore(model.id)));
  const ctx = rows.context(model, slice);
  const acc = emptyStats(ctx);
  const h0 = ceilTo(from, HOUR_MS);
  const h1 = floorTo(to, HOUR_MS);
  if (h0 >= h1 || !rows.sliceReady(model.id, slice)) {
    addRaw(rows, ctx, model.id, slice, acc, from, to);
    return { stats: acc, ctx };
  }
  addRaw(rows, ctx, model.id, slice, acc, from, h0);
  addRaw(rows, ctx, model.id, slice, acc, h1, to);
  addStored(rows, ctx, model.id, slice, acc, h0, h1, { histograms, partials: true });
  return { stats: acc, ctx };
}
