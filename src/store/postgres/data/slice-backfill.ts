// Builds the statistics of slices that start over (new, or a new profile layout:
// slices-sync.ts) from the raw events already stored, on PostgreSQL, during compaction.
// A run takes every slice of a model that is not ready and goes through the model's event
// days, one day a transaction: under the model's data lock alone (no batch commits
// meanwhile), it deletes what those slices hold of the day (partials, hours, the roll-ups
// over them) and writes the day's hours again from its events. Batches between days append
// their partials as usual: on a day built already they add to it, on a day still to come
// they are replaced with the rest of it. The days are those the model has when the run
// begins (under the lock: every earlier event is in one; a day made later holds only events
// whose partials the slices got). The last day marks them ready (reads take their raw
// events until then: stats-read.ts). A replica claims a model's run with a session advisory
// lock (another skips it; one that dies lets it go); a slice that changed since the run's
// last day (another start over, or a rebuild made it ready: its row has another xmin)
// leaves the run. A run cut short starts over at the next pass.
import type pg from 'pg';
import type { ModelRecord } from '../../../domain/model.js';
import { DAY_MS } from '../../../domain/time.js';
import { eventPartitions } from '../partitions.js';
import { holdModel } from './locks.js';
import { buildDay } from './rebuild-stats.js';
import { loadSliceSet } from './slice-set.js';
import { modelState } from './stats-context.js';
import { deleteStatsIn, hourOf } from './stats-rows.js';
import { inTransaction } from '../own-connection.js';

/** The lock space of backfill claims ("gbbf"), apart from the data locks'. */
const BACKFILL_LOCK = 0x67626266;

export interface BackfillDeps {
  pool: pg.Pool;
  modelById(id: number): Promise<ModelRecord | null>;
}

/** Rows of these slices still as this run last left them: id -> xmin. */
async function stillMine(client: pg.PoolClient, modelId: number, mine: Map<number, string>): Promise<number[]> {
  const r = await client.query<{ id: number; xmin: string }>('SELECT id, xmin::text AS xmin FROM stats_slices WHERE model_id = $1 AND id = ANY($2::int[]) FOR UPDATE', [modelId, [...mine.keys()]]);
  return r.rows.filter((x) => mine.get(x.id) === x.xmin).map((x) => x.id);
}

/** Builds one model's slices that are not ready (see the file's comment); false when cut short. */
async function backfillModel(pool: pg.Pool, client: pg.PoolClient, model: ModelRecord, now: number, shouldStop: () => boolean): Promise<boolean> {
  const mine = new Map<number, string>();
  // progress counts the events read (as on SQLite); counted before the lock, so it is only a guide
  const kept = (await client.query<{ p: number | null }>('SELECT purged_before AS p FROM models WHERE id = $1', [model.id])).rows[0]?.p ?? null;
  const total = (await client.query<{ n: number }>('SELECT count(*)::bigint AS n FROM events WHERE model_id = $1 AND ts >= $2', [model.id, kept ?? Number.MIN_SAFE_INTEGER])).rows[0]!.n;
  const days = await inTransaction(client, async () => {
    await holdModel(client, model.id);
    const purged = (await client.query<{ p: number | null }>('SELECT purged_before AS p FROM models WHERE id = $1', [model.id])).rows[0]?.p ?? null;
    const from = purged === null ? Number.MIN_SAFE_INTEGER : Number(purged);
    const list = (await eventPartitions(pool, model.id)).filter((p) => p.attached && p.day + DAY_MS > from).map((p) => p.day);
    const r = await client.query<{ id: number; xmin: string }>(
      `UPDATE stats_slices SET backfill_done = 0, backfill_total = $2::bigint, ready_at = CASE WHEN $3::int = 0 THEN $4::bigint END
        WHERE model_id = $1 AND ready_at IS NULL RETURNING id, xmin::text AS xmin`,
      [model.id, total, list.length, now],
    );
    for (const x of r.rows) mine.set(x.id, x.xmin);
    return list;
  });
  for (let i = 0; i < days.length && mine.size > 0; i++) {
    if (shouldStop()) return false;
    const day = days[i]!;
    await inTransaction(client, async () => {
      await holdModel(client, model.id);
      const ids = await stillMine(client, model.id, mine);
      for (const id of mine.keys()) if (!ids.includes(id)) mine.delete(id);
      if (ids.length === 0) return;
      const state = await modelState(client, model.id);
      if (!state) return;
      const from = Math.max(day, state.purgedBefore ?? Number.MIN_SAFE_INTEGER);
      let read = 0;
      // a day purged meanwhile has nothing left to build it from
      if (from < day + DAY_MS) {
        for (const id of ids) await deleteStatsIn(client, model.id, id, hourOf(from), day + DAY_MS);
        // the model as committed (a threshold change made since the pass began is in it)
        const set = await loadSliceSet(pool, client, state.model);
        read = await buildDay(client, model.id, day, from, null, set, new Set(ids));
      }
      const last = i === days.length - 1;
      const r = await client.query<{ id: number; xmin: string }>(
        `UPDATE stats_slices SET ready_at = CASE WHEN $3::boolean THEN $4::bigint END,
           backfill_done = CASE WHEN $3::boolean THEN greatest(backfill_total, backfill_done + $5) ELSE backfill_done + $5 END,
           backfill_total = greatest(backfill_total, backfill_done + $5)
          WHERE model_id = $1 AND id = ANY($2::int[]) RETURNING id, xmin::text AS xmin`,
        [model.id, ids, last, now, read],
      );
      for (const x of r.rows) mine.set(x.id, x.xmin);
    });
  }
  return true;
}

/**
 * Runs the backfill of every model with slices that are not ready and that no other
 * replica is building; `shouldStop` cuts it short between days. Returns the models done.
 */
export async function backfillSlices(d: BackfillDeps, now: number, shouldStop: () => boolean): Promise<number> {
  const models = (await d.pool.query<{ m: number }>('SELECT DISTINCT model_id AS m FROM stats_slices WHERE ready_at IS NULL ORDER BY 1')).rows.map((r) => Number(r.m));
  let done = 0;
  for (const id of models) {
    const model = await d.modelById(id);
    if (!model) continue;
    const client = await d.pool.connect();
    try {
      const claimed = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [BACKFILL_LOCK, id])).rows[0]!.ok;
      if (!claimed) continue;
      try {
        if (await backfillModel(d.pool, client, model, now, shouldStop)) done++;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [BACKFILL_LOCK, id]);
      }
    } finally {
      client.release();
    }
  }
  return done;
}
