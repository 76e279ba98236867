// Statistics of any window [from, to): the stored full hours (whole UTC days merged once
// and kept in memory), plus the partial hours at both ends accumulated from the raw events,
// so any window is exact to the millisecond (over time purged by retention, edges move out
// to the UTC hour: there are no raw events left to cut an hour with).
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../domain/model.js';
import type { StatsContext } from '../domain/metrics/context.js';
import { accumulate, emptyStats, type WindowStats } from '../domain/metrics/window-stats.js';
import { mergeInto } from '../domain/metrics/merge-stats.js';
import { alignToKept } from '../domain/retention.js';
import { purgedBefore } from './retention.js';
import { cachedDay, DAY_MS, HOUR_MS, hourRevs, readEvents, readHour, rememberDay, statsContext } from './stats-store.js';

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

function addRaw(sqlite: Database.Database, ctx: StatsContext, modelId: number, acc: WindowStats, from: number, to: number): void {
  if (from < to) for (const e of readEvents(sqlite, modelId, from, to)) accumulate(acc, e, ctx);
}

function dayStats(sqlite: Database.Database, ctx: StatsContext, modelId: number, day: number, revs: Array<[number, number]>, withHists: boolean): WindowStats {
  const signature = revs.map((r) => `${r[0]}:${r[1]}`).join(',');
  const hit = cachedDay(sqlite, modelId, day, signature, ctx.statsKey, withHists);
  if (hit) return hit;
  const s = emptyStats(ctx);
  for (const [hour, rev] of revs) {
    const h = readHour(sqlite, ctx, modelId, hour, rev, withHists);
    if (h) mergeInto(s, h, ctx);
  }
  rememberDay(sqlite, modelId, day, signature, s);
  return s;
}

/**
 * Fresh (caller-owned) statistics of the model's events in [from, to), and the context to
 * read them with; `histograms: false` skips the numeric histograms (all but drift).
 */
export function windowStats(
  sqlite: Database.Database,
  model: ModelRecord,
  from: number,
  to: number,
  opts: { histograms?: boolean } = {},
): { stats: WindowStats; ctx: StatsContext } {
  const withHists = opts.histograms ?? true;
  ({ from, to } = alignToKept(from, to, purgedBefore(sqlite, model.id)));
  const ctx = statsContext(sqlite, model);
  const acc = emptyStats(ctx);
  const h0 = ceilTo(from, HOUR_MS);
  const h1 = floorTo(to, HOUR_MS);
  if (h0 >= h1) {
    addRaw(sqlite, ctx, model.id, acc, from, to);
    return { stats: acc, ctx };
  }
  addRaw(sqlite, ctx, model.id, acc, from, h0);
  addRaw(sqlite, ctx, model.id, acc, h1, to);
  const revs = hourRevs(sqlite, model.id, h0, h1);
  let i = 0;
  while (i < revs.length) {
    const day = floorTo(revs[i]![0], DAY_MS);
    let j = i;
    while (j < revs.length && revs[j]![0] < day + DAY_MS) j++;
    if (day >= h0 && day + DAY_MS <= h1) mergeInto(acc, dayStats(sqlite, ctx, model.id, day, revs.slice(i, j), withHists), ctx);
    else
      for (let k = i; k < j; k++) {
        const h = readHour(sqlite, ctx, model.id, revs[k]![0], revs[k]![1], withHists);
        if (h) mergeInto(acc, h, ctx);
      }
    i = j;
  }
  return { stats: acc, ctx };
}
