// ActualWriter on PostgreSQL: one transaction per batch. Each actual replaces the one its
// event has (the statistics move by the difference: a partial per slice and UTC hour, the
// event's labelled state removed and the new one added, in slice 0 and each slice the event
// is in, in the batch's order as on SQLite, services/ingest-writer.ts); an actual whose event is unknown waits in pending_actuals
// (the last one of an eventId wins), or comes back as purged when a tombstone says
// retention deleted its event. Events are found through `event_keys` (model, eventId ->
// ts), which leads to one day partition of `events`.
import type pg from 'pg';
import type { ActualRow } from '../../../domain/ingest/validate.js';
import type { ModelRecord } from '../../../domain/model.js';
import { applyLabel } from '../../../domain/metrics/window-stats.js';
import type { ActualBatchResult, ActualWriter, AuditOf } from '../../ports/data.js';
import type { PgContext } from '../context.js';
import { pgAudit } from '../audit.js';
import { dataTransaction } from './data-transaction.js';
import { holdModel, shareModel } from './locks.js';
import { modelGone } from './prediction-writer.js';
import { modelState, statsContextOf } from './stats-context.js';
import { appendPartials } from './stats-rows.js';
import { sliceSetOf, statsBySlice } from './slice-set.js';
import { TOMBSTONE_KEY } from './tombstones.js';
import { EVENT_COLUMNS, statsEventOf, type EventRow, type SliceEvent } from './event-rows.js';

type Event = SliceEvent;

/** The model's events of these eventIds, locked for the update. */
async function findEvents(client: pg.PoolClient, modelId: number, ids: string[]): Promise<Map<string, Event>> {
  const r = await client.query<EventRow & { event_id: string }>(
    `SELECT e.event_id, ${EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
       FROM event_keys k JOIN events e ON e.model_id = k.model_id AND e.ts = k.ts AND e.event_id = k.event_id
      WHERE k.model_id = $1 AND k.event_id = ANY($2::text[])
      FOR UPDATE OF e`,
    [modelId, ids],
  );
  const out = new Map<string, Event>();
  for (const e of r.rows) out.set(e.event_id, statsEventOf(e));
  return out;
}

/** Which of these eventIds have a tombstone (their event was deleted by retention). */
async function tombstoned(client: pg.PoolClient, modelId: number, ids: string[]): Promise<Set<string>> {
  const r = await client.query<{ id: string }>(
    `SELECT u.id FROM unnest($2::text[]) AS u(id)
      WHERE EXISTS (SELECT 1 FROM purged_events p WHERE p.key = ${TOMBSTONE_KEY('u.id', '$1')} AND p.model_id = $1)`,
    [modelId, ids],
  );
  return new Set(r.rows.map((x) => x.id));
}

async function writeBatch(ctx: PgContext, client: pg.PoolClient, modelId: number, rows: ActualRow[], now: number, audit?: AuditOf<ActualBatchResult>): Promise<ActualBatchResult> {
  const ids = [...new Set(rows.map((r) => r.eventId))];
  const found = ids.length > 0 ? await findEvents(client, modelId, ids) : new Map<string, Event>();
  const missing = ids.filter((id) => !found.has(id));
  // the events found are locked already; the model's lock keeps its baseline and threshold
  // (what the partials are built under) as read below until this commits. Parking actuals
  // takes it alone: no prediction batch may commit meanwhile (it would never join them),
  // so they are looked for again once every batch that held it has committed.
  if (missing.length > 0) {
    await holdModel(client, modelId);
    for (const [id, e] of await findEvents(client, modelId, missing)) found.set(id, e);
  } else await shareModel(client, modelId);
  const state = await modelState(client, modelId);
  if (!state) throw modelGone(modelId);
  const unknown = missing.filter((id) => !found.has(id));
  const gone = state.purgedBefore !== null && unknown.length > 0 ? await tombstoned(client, modelId, unknown) : new Set<string>();
  const purged: ActualRow[] = [];
  const parked = new Map<string, ActualRow>();
  const changes: Array<{ before: Event; after: Event; versionId: number | null; features: Event['features'] }> = [];
  /** each changed event's state after its last actual of the batch */
  const updated = new Map<string, Event>();
  for (const r of rows) {
    const e = found.get(r.eventId);
    if (!e) {
      if (gone.has(r.eventId)) purged.push(r);
      else parked.set(r.eventId, r);
      continue;
    }
    const after = { ...e, actualLabel: r.actualLabel, actualValue: r.actualValue };
    changes.push({ before: e, after, versionId: e.versionId, features: e.features });
    found.set(r.eventId, after);
    updated.set(r.eventId, after);
  }
  if (changes.length > 0) {
    const final = [...updated];
    await client.query(
      `UPDATE events e SET actual_label = u.label, actual_value = u.value, actual_at = $2
         FROM unnest($3::text[], $4::bigint[], $5::text[], $6::float8[]) AS u(id, ts, label, value)
        WHERE e.model_id = $1 AND e.ts = u.ts AND e.event_id = u.id`,
      [modelId, now, final.map(([id]) => id), final.map(([, e]) => e.ts), final.map(([, e]) => e.actualLabel), final.map(([, e]) => e.actualValue)],
    );
    const sctx = await statsContextOf(ctx.pool, client, state);
    const set = await sliceSetOf(ctx.pool, client, state);
    await appendPartials(
      client,
      modelId,
      statsBySlice(sctx, set, changes, (c) => c.before.ts, (s, { before, after }, c) => {
        applyLabel(s, before, c, -1);
        applyLabel(s, after, c, 1);
      }),
    );
  }
  if (parked.size > 0) {
    const p = [...parked.values()];
    await client.query(
      `INSERT INTO pending_actuals (model_id, event_id, actual_label, actual_value, received_at)
       SELECT $1, u.id, u.label, u.value, $2 FROM unnest($3::text[], $4::text[], $5::float8[]) AS u(id, label, value)
       ON CONFLICT (model_id, event_id) DO UPDATE SET actual_label = excluded.actual_label,
         actual_value = excluded.actual_value, received_at = excluded.received_at`,
      [modelId, now, p.map((r) => r.eventId), p.map((r) => r.actualLabel), p.map((r) => r.actualValue)],
    );
  }
  const result = { accepted: rows.length - purged.length, purged };
  if (audit) await pgAudit(ctx).record(audit(result));
  return result;
}

/** The PostgreSQL actual writer of one ingest call. */
export function pgActualWriter(ctx: PgContext, model: ModelRecord): ActualWriter {
  return {
    write: (rows, now, audit) => dataTransaction(ctx, (client) => writeBatch(ctx, client, model.id, rows, now, audit)),
    abort: (audit) => ctx.tx.run(() => pgAudit(ctx).record(audit)),
    failed: () => {},
  };
}
