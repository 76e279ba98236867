// The statistics rows the write half stores on PostgreSQL (schema/stats.ts): partials
// appended by ingest, hour rows written by a rebuild, and the deletion of what a rebuild
// supersedes. The same rows and bytes as SQLite (services/stats-store.ts): WindowStats
// in the two parts of domain/metrics/stats-codec.ts.
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

/** Rows of one multi-row INSERT at most (4 parameters each, far below the 65535 limit). */
const ROWS_PER_INSERT = 1000;

/** Appends one partial row per hour (inside the caller's transaction). */
export async function appendPartials(q: Queryable, modelId: number, hours: Map<number, WindowStats>): Promise<void> {
  const all = [...hours];
  for (let i = 0; i < all.length; i += ROWS_PER_INSERT) {
    const part = all.slice(i, i + ROWS_PER_INSERT);
    const params: unknown[] = [modelId];
    const values = part.map(([h, s]) => {
      const { core, hists } = serializeStats(s);
      params.push(h, Buffer.from(core.buffer, core.byteOffset, core.byteLength), hists && Buffer.from(hists.buffer, hists.byteOffset, hists.byteLength));
      const n = params.length;
      return `($1, $${n - 2}, $${n - 1}, $${n})`;
    });
    await q.query(`INSERT INTO stats_partial (model_id, hour, data, hists) VALUES ${values.join(', ')}`, params);
  }
}

/**
 * The statement appending one partial row per hour with its values inlined (bytea as hex),
 * so that it can share a round trip with other statements; null when there is no hour.
 */
export function partialsSql(modelId: number, hours: Map<number, WindowStats>): string | null {
  if (hours.size === 0) return null;
  const values: string[] = [];
  for (const [h, s] of hours) {
    const { core, hists } = serializeStats(s);
    const hex = (b: Uint8Array) => `'\\x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}'::bytea`;
    values.push(`(${Math.trunc(modelId)}, ${Math.trunc(h)}, ${hex(core)}, ${hists ? hex(hists) : 'NULL'})`);
  }
  return `INSERT INTO stats_partial (model_id, hour, data, hists) VALUES ${values.join(', ')}`;
}

/** Stores hour rows, each with a new random rev (readers' caches of the old ones go stale). */
export async function writeHours(q: Queryable, modelId: number, hours: Map<number, WindowStats>): Promise<void> {
  for (const [h, s] of hours) {
    const { core, hists } = serializeStats(s);
    const rev = Math.floor(Math.random() * 2 ** 52);
    await q.query(
      `INSERT INTO stats_hourly (model_id, hour, rev, data, hists) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (model_id, slice, hour) DO UPDATE SET rev = excluded.rev, data = excluded.data, hists = excluded.hists`,
      [modelId, h, rev, Buffer.from(core.buffer, core.byteOffset, core.byteLength), hists && Buffer.from(hists.buffer, hists.byteOffset, hists.byteLength)],
    );
  }
}

/**
 * Deletes the model's stored statistics of the hours from `fromHour` on (all when null):
 * partials, hour rows, and every roll-up holding any of those hours.
 */
export async function deleteStatsFrom(q: Queryable, modelId: number, fromHour: number | null): Promise<void> {
  const from = fromHour ?? Number.MIN_SAFE_INTEGER;
  await q.query('DELETE FROM stats_hourly WHERE model_id = $1 AND hour >= $2', [modelId, from]);
  await q.query('DELETE FROM stats_partial WHERE model_id = $1 AND hour >= $2', [modelId, from]);
  await q.query('DELETE FROM stats_rollup WHERE model_id = $1 AND start >= $2', [modelId, from]);
  if (fromHour === null) return;
  // roll-ups that start before `fromHour` and end after it (a year starts < 367 days before)
  const r = await q.query<{ level: RollupLevel; start: number }>('SELECT level, start FROM stats_rollup WHERE model_id = $1 AND start < $2 AND start >= $3', [
    modelId,
    fromHour,
    fromHour - 367 * DAY_MS,
  ]);
  for (const { level, start } of r.rows)
    if (spanEnd(level, start) > fromHour) await q.query('DELETE FROM stats_rollup WHERE model_id = $1 AND level = $2 AND start = $3', [modelId, level, start]);
}
