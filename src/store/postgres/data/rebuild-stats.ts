// Recomputes a model's statistics from its raw events on PostgreSQL (a baseline or
// threshold change), as SQLite's rebuildStats (services/stats.ts): the stored statistics
// from the purge mark on go (partials, hour rows, the roll-ups over them: compaction builds
// those again), every hour with events gets its row again, a day at a time in pages
// (memory stays bounded), in (ts, id) order, the order SQLite reads them in (its index
// keeps ties in rowid order), so the sums are the same. Hours before the purge mark keep
// their rows: their events are gone. Holds the model's data lock alone: no prediction batch
// commits partials meanwhile (they would be counted twice or lost).
import type pg from 'pg';
import { accumulate, emptyStats, type WindowStats } from '../../../domain/metrics/window-stats.js';
import type { ModelRecord } from '../../../domain/model.js';
import { DAY_MS } from '../../../domain/time.js';
import type { PgContext } from '../context.js';
import { eventPartitions } from '../partitions.js';
import { holdModel } from './locks.js';
import { statsEventOf, type EventRow } from './event-rows.js';
import { modelState, statsContextOf } from './stats-context.js';
import { deleteStatsFrom, hourOf, writeHours } from './stats-rows.js';

/** Events read per query. */
const PAGE = 5000;

type Row = EventRow & { id: number };

const PAGE_SQL = `SELECT id, ts, features, score, predicted_label, value, actual_label, actual_value FROM events
  WHERE model_id = $1 AND ts >= $2 AND ts < $3 AND (ts, id) > ($4, $5) ORDER BY ts, id LIMIT ${PAGE}`;

/** Rebuilds inside the open transaction of `client` (see the file's comment). */
export async function rebuildStatsOn(ctx: PgContext, client: pg.PoolClient, model: ModelRecord): Promise<void> {
  await holdModel(client, model.id);
  const state = await modelState(client, model.id);
  if (!state) return;
  const kept = state.purgedBefore;
  await deleteStatsFrom(client, model.id, kept);
  // the model as the caller has it (as on SQLite): a threshold change passes the new one
  const sctx = await statsContextOf(ctx.pool, client, { model, baselineStamp: state.baselineStamp });
  const from = kept ?? Number.MIN_SAFE_INTEGER;
  const days = (await eventPartitions(ctx.pool, model.id)).filter((p) => p.attached && p.day + DAY_MS > from).map((p) => p.day);
  for (const day of days) {
    const hours = new Map<number, WindowStats>();
    // a purge cut short may have left events before `kept`: their hours are final
    let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
    for (;;) {
      const r = await client.query<Row>(PAGE_SQL, [model.id, Math.max(day, from), day + DAY_MS, after[0], after[1]]);
      for (const e of r.rows) {
        const h = hourOf(e.ts);
        let s = hours.get(h);
        if (!s) hours.set(h, (s = emptyStats(sctx)));
        accumulate(s, statsEventOf(e), sctx);
      }
      if (r.rows.length < PAGE) break;
      const last = r.rows[r.rows.length - 1]!;
      after = [last.ts, last.id];
    }
    await writeHours(client, model.id, hours);
  }
}
