// The statistics rows the write half stores on PostgreSQL (schema/stats.ts), each under
// its slice (domain/slices.ts; 0 = the whole model): partials appended by ingest, hour rows
// written by a rebuild or a slice's backfill, and the deletion of what those supersede (or
// of a deleted segment's slices). The same rows and bytes as SQLite (services/stats-store.ts):
// WindowStats in the two parts of domain/metrics/stats-codec.ts.
import { serializeStats } from '../../../domain/metrics/stats-codec.js';
import { emptyStats, type WindowStats } from '../../../domain/metrics/window-stats.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { spanEnd, type RollupLevel } from '../../../domain/metrics/rollup-spans.js';
import { DAY_MS, groupByHour, HOUR_MS } from '../../../domain/time.js';
import type { Queryable } from './locks.js';

export const hourOf = (ts: number): number => Math.floor(ts / HOUR_MS) * HOUR_MS;

/**
 * The statistics `change` makes per UTC hour of the items, an hour at a time in the items'
 * order (as SQLite's appendByHour: the same sums in the same order, so the same bytes).
 */
export function statsByHour<T>(ctx: StatsContext, items: readonly T[], ts: (t: T) => number, change: (s: WindowStats, t: T) => void): Map<number, WindowStats> {
  const groups = groupByHour(items, ts);
  const hours = new Map<number, WindowStats>();
  for (const [h, group] of groups) {
    const s = emptyStats(ctx);
    hours.set(h, s);
    for (const it of group) change(s, it);
  }
  return hours;
}

/** Statistics per slice (0 = the whole model), then per UTC hour. */
export type SliceHours = Map<number, Map<number, WindowStats>>;

/** Rows of one multi-row INSERT at most (5 parameters each, far below the 65535 limit). */
const ROWS_PER_INSERT = 1000;

const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** (slice, hour, stats) of each partial to append, slices in the map's order, hours in each one's. */
function partialRows(bySlice: SliceHours): Array<[number, number, WindowStats]> {
  const out: Array<[number, number, WindowStats]> = [];
  for (const [slice, hours] of bySlice) for (const [h, s] of hours) out.push([slice, h, s]);
  return out;
}

/** Appends one partial row per (slice, hour) (inside the caller's transaction). */
export async function appendPartials(q: Queryable, modelId: number, bySlice: SliceHours): Promise<void> {
  const all = partialRows(bySlice);
  for (let i = 0; i < all.length; i += ROWS_PER_INSERT) {
    const part = all.slice(i, i + ROWS_PER_INSERT);
    const params: unknown[] = [modelId];
    const values = part.map(([slice, h, s]) => {
      const { core, hists } = serializeStats(s, true);
      params.push(slice, h, bytes(core), hists && bytes(hists));
      const n = params.length;
      return `($1, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await q.query(`INSERT INTO stats_partial (model_id, slice, hour, data, hists) VALUES ${values.join(', ')}`, params);
  }
}

/**
 * The statement appending one partial row per (slice, hour) with its values inlined (bytea
 * as hex), so that it can share a round trip with other statements; null when there is none.
 */
export function partialsSql(modelId: number, bySlice: SliceHours): string | null {
  const all = partialRows(bySlice);
  if (all.length === 0) return null;
  const hex = (b: Uint8Array) => `'\\x${bytes(b).toString('hex')}'::bytea`;
  const values = all.map(([slice, h, s]) => {
    const { core, hists } = serializeStats(s, true);
    return `(${Math.trunc(modelId)}, ${Math.trunc(slice)}, ${Math.trunc(h)}, ${hex(core)}, ${hists ? hex(hists) : 'NULL'})`;
  });
  return `INSERT INTO stats_partial (model_id, slice, hour, data, hists) VALUES ${values.join(', ')}`;
}

/** Stores a slice's hour rows, each with a new random rev (readers' caches of the old ones go stale). */
export async function writeHours(q: Queryable, modelId: number, slice: number, hours: Map<number, WindowStats>): Promise<void> {
  for (const [h, s] of hours) {
    const { core, hists } = serializeStats(s);
    const rev = Math.floor(Math.random() * 2 ** 52);
    await q.query(
      `INSERT INTO stats_hourly (model_id, slice, hour, rev, data, hists) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (model_id, slice, hour) DO UPDATE SET rev = excluded.rev, data = excluded.data, hists = excluded.hists`,
      [modelId, slice, h, rev, bytes(core), hists && bytes(hists)],
    );
  }
}

/**
 * Deletes a slice's stored statistics of the hours in [fromHour, toHour) (from/to the end
 * when null): partials, hour rows, and every roll-up holding any of those hours.
 */
export async function deleteStatsIn(q: Queryable, modelId: number, slice: number, fromHour: number | null, toHour: number | null = null): Promise<void> {
  const from = fromHour ?? Number.MIN_SAFE_INTEGER;
  const to = toHour ?? Number.MAX_SAFE_INTEGER;
  const args = [modelId, slice, from, to];
  await q.query('DELETE FROM stats_hourly WHERE model_id = $1 AND slice = $2 AND hour >= $3 AND hour < $4', args);
  await q.query('DELETE FROM stats_partial WHERE model_id = $1 AND slice = $2 AND hour >= $3 AND hour < $4', args);
  await q.query('DELETE FROM stats_rollup WHERE model_id = $1 AND slice = $2 AND start >= $3 AND start < $4', args);
  if (fromHour === null) return;
  // roll-ups that start before `fromHour` and end after it (a year starts < 367 days before)
  const r = await q.query<{ level: RollupLevel; start: number }>('SELECT level, start FROM stats_rollup WHERE model_id = $1 AND slice = $2 AND start < $3 AND start >= $4', [
    modelId,
    slice,
    fromHour,
    fromHour - 367 * DAY_MS,
  ]);
  for (const { level, start } of r.rows)
    if (spanEnd(level, start) > fromHour) await q.query('DELETE FROM stats_rollup WHERE model_id = $1 AND slice = $2 AND level = $3 AND start = $4', [modelId, slice, level, start]);
}

/** Deletes every statistics row of these slices (a deleted segment's). */
export async function deleteSliceStats(q: Queryable, modelId: number, slices: number[]): Promise<void> {
  if (slices.length === 0) return;
  for (const table of ['stats_hourly', 'stats_partial', 'stats_rollup'])
    await q.query(`DELETE FROM ${table} WHERE model_id = $1 AND slice = ANY($2::int[])`, [modelId, slices]);
}
