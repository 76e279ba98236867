// PredictionWriter on PostgreSQL: one transaction per batch that refuses the rows timed
// before the model's purge, stores the others whose eventId the model does not have yet
// (the database decides, across replicas: event-batch.ts), joins the actuals that arrived
// first, and appends one statistics partial per slice (0, the whole model, and each slice a
// row is in: domain/slices.ts) and UTC hour the stored rows touch, with the call's audit entry when given. The same semantics as SQLite (services/ingest-writer.ts):
// the first of repeated eventIds in a batch wins, an actual on the prediction line wins
// over a pending one (it is the later of the two), joined actuals keep their arrival time.
// A batch's CPU work that needs no transaction (its COPY text, its statistics as the last
// batch saw the model) is done before its commit, while the batch before commits: the
// process and the database then work at once instead of in turn. Once a batch has seen the
// model, the next ones are folded in row by row as they fill (admit: held-batch.ts), so
// that what a row parsed dies young; the first is prepared when full (prepare).
import type pg from 'pg';
import type { ModelRecord } from '../../../domain/model.js';
import type { PredictionRow } from '../../../domain/ingest/validate.js';
import type { AuditOf, PredictionBatchResult, PredictionWriter } from '../../ports/data.js';
import type { AppendRow } from '../append-events.js';
import type { PgContext } from '../context.js';
import { daysOf, ensureEventPartitions } from '../partitions.js';
import { pgAudit } from '../audit.js';
import { dataTransaction } from './data-transaction.js';
import { batchTexts, EVENT_BATCH_RELEASE, EVENT_BATCH_SAVEPOINT, storeEventBatch, type BatchTexts } from './event-batch.js';
import { shareModelSql } from './locks.js';
import { modelStateOf, modelStateSql, statsContextOf } from './stats-context.js';
import { partialsSql } from './stats-rows.js';
import { sliceSetOf, type SliceSet } from './slice-set.js';
import { partialStatsBySlice } from './batch-partials.js';
import { appendRowOf, sliceEventOf } from './batch-rows.js';
import { HeldBatch, type Seen } from './held-batch.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import type { SliceEvent } from './event-rows.js';

type Stored = SliceEvent;


/** The model is gone (deleted while an ingest call ran). */
export function modelGone(modelId: number): Error {
  return new Error(`model ${modelId} no longer exists`);
}

/** Pending actuals of these eventIds: label, value, received_at. */
async function pendingOf(client: pg.PoolClient, modelId: number, ids: string[]): Promise<Map<string, [string | null, number | null, number]>> {
  const r = await client.query<{ event_id: string; actual_label: string | null; actual_value: number | null; received_at: number }>(
    'SELECT event_id, actual_label, actual_value, received_at FROM pending_actuals WHERE model_id = $1 AND event_id = ANY($2::text[])',
    [modelId, ids],
  );
  return new Map(r.rows.map((p) => [p.event_id, [p.actual_label, p.actual_value, p.received_at]]));
}

/** The rows a batch stores if none is a duplicate: the purge's refusals apart, the first of repeated eventIds. */
interface Planned {
  beforePurge: PredictionRow[];
  kept: PredictionRow[];
  unique: PredictionRow[];
  /** the unique rows as stored, made when first asked (a held batch's are read back from their lines) */
  append: () => AppendRow[];
}

function plan(rows: PredictionRow[], before: number | null, pending: ReadonlyMap<string, [string | null, number | null, number]>, now: number): Planned {
  const beforePurge = before === null ? [] : rows.filter((r) => r.ts < before);
  const kept = beforePurge.length === 0 ? rows : rows.filter((r) => r.ts >= before!);
  // the first of repeated eventIds wins, as on SQLite (the rest are duplicates below)
  const seen = new Set<string>();
  const unique = kept.filter((r) => !seen.has(r.eventId) && seen.add(r.eventId) !== undefined);
  const append = unique.map((r) => {
    let { actualLabel, actualValue } = r;
    let actualAt: number | null = actualLabel !== null || actualValue !== null ? now : null;
    const p = pending.get(r.eventId);
    if (p && actualAt === null) [actualLabel, actualValue, actualAt] = p;
    return appendRowOf(r, actualLabel, actualValue, actualAt);
  });
  return { beforePurge, kept, unique, append: () => append };
}

/** The events the statistics see: the planned rows the database stored ('all', or those eventIds). */
function storedOf(p: Planned, fresh: Set<string> | 'all'): Stored[] {
  const stored: Stored[] = [];
  const append = p.append();
  for (let i = 0; i < p.unique.length; i++) {
    const r = p.unique[i]!;
    if (fresh !== 'all' && !fresh.has(r.eventId)) continue;
    stored.push(sliceEventOf(r, append[i]!));
  }
  return stored;
}

const partialsOf = (modelId: number, sctx: StatsContext, set: SliceSet, stored: Stored[]): string | null =>
  stored.length === 0 ? null : partialsSql(modelId, partialStatsBySlice(sctx, set, stored));

/**
 * A batch's work done before its transaction (PredictionWriter.prepare), valid while the
 * model is as `seen` says: no purge mark moved, no actual pending, the same statistics
 * context and slices, and every row stored.
 */
interface Prepared {
  now: number;
  seen: Seen;
  plan: Planned;
  texts: BatchTexts;
  /** the partials' INSERT if every unique row is stored */
  partials: string | null;
}

function prepareBatch(modelId: number, rows: PredictionRow[], seen: Seen, now: number): Prepared {
  const p = plan(rows, seen.purgedBefore, NO_PENDING, now);
  return { now, seen, plan: p, texts: batchTexts(modelId, p.append()), partials: partialsOf(modelId, seen.sctx, seen.set, storedOf(p, 'all')) };
}

/** A held batch's work, as prepareBatch's (null: its line actuals' time was not the batch's). */
function preparedOf(held: HeldBatch, rows: PredictionRow[], now: number): Prepared | null {
  const h = held.plan(rows, now);
  if (!h) return null;
  let append: AppendRow[] | undefined;
  const p: Planned = { beforePurge: h.beforePurge, kept: h.kept, unique: h.unique, append: () => (append ??= h.unique.map((r) => r.appendRow())) };
  return { now, seen: h.seen, plan: p, texts: h.texts, partials: h.partials };
}

const NO_PENDING: ReadonlyMap<string, [string | null, number | null, number]> = new Map();

async function writeBatch(
  ctx: PgContext,
  client: pg.PoolClient,
  modelId: number,
  rows: PredictionRow[],
  now: number,
  audit: AuditOf<PredictionBatchResult> | undefined,
  prepared: Prepared | undefined,
  see: (s: Seen) => void,
): Promise<PredictionBatchResult> {
  // Round trips are what a batch pays most for besides the COPYs (each ~2-5 ms on a loaded
  // machine): the lock, then the state (a statement of its own, so its snapshot is taken
  // once the lock is held) and the events' savepoint go in one; its release and the
  // partials in another.
  const opened = (await client.query(`${shareModelSql(modelId)}; ${modelStateSql(modelId)}; ${EVENT_BATCH_SAVEPOINT}`)) as unknown as pg.QueryResult[];
  const state = modelStateOf(opened[1]!.rows);
  if (!state) throw modelGone(modelId);
  const before = state.purgedBefore;
  // what prepare() did holds unless the purge mark moved or an actual waits for a row (timestamps and eventIds are the batch's own)
  const usable = prepared && prepared.now === now && prepared.seen.purgedBefore === before && !state.anyPending ? prepared : undefined;
  let p: Planned;
  let pending: ReadonlyMap<string, [string | null, number | null, number]> = NO_PENDING;
  if (usable) p = usable.plan;
  else {
    const kept = before === null ? rows : rows.filter((r) => r.ts >= before);
    pending = state.anyPending && kept.length > 0 ? await pendingOf(client, modelId, [...new Set(kept.map((r) => r.eventId))]) : NO_PENDING;
    p = plan(rows, before, pending, now);
  }
  const fresh = await storeEventBatch(client, modelId, p.append, { inSavepoint: true, texts: usable?.texts });
  const joined = pending.size === 0 ? [] : p.unique.filter((r) => pending.has(r.eventId) && (fresh === 'all' || fresh.has(r.eventId))).map((r) => r.eventId);
  if (joined.length > 0) await client.query('DELETE FROM pending_actuals WHERE model_id = $1 AND event_id = ANY($2::text[])', [modelId, joined]);
  const sctx = await statsContextOf(ctx.pool, client, state);
  const set = await sliceSetOf(ctx.pool, client, state);
  see({ purgedBefore: before, sctx, set });
  const stored = fresh === 'all' ? p.unique.length : fresh.size;
  // the cached context and slices are the same objects while unchanged
  const partials = usable && fresh === 'all' && usable.seen.sctx === sctx && usable.seen.set === set ? usable.partials : partialsOf(modelId, sctx, set, storedOf(p, fresh));
  await client.query(partials ? `${EVENT_BATCH_RELEASE}; ${partials}` : EVENT_BATCH_RELEASE);
  const result = { accepted: stored, duplicates: p.kept.length - stored, beforePurge: p.beforePurge, purgedBefore: before };
  if (audit) await pgAudit(ctx).record(audit(result));
  return result;
}

/** The PostgreSQL prediction writer of one ingest call. */
export function pgPredictionWriter(ctx: PgContext, model: ModelRecord): PredictionWriter {
  let seen: Seen | null = null;
  const prepared = new WeakMap<PredictionRow[], Prepared>();
  const see = (s: Seen) => (seen = s);
  /** the batch being filled, once a batch before it has seen the model */
  let filling: HeldBatch | null = null;
  /** the last held batch's COPY text size: the next one's first guess */
  let lastBytes = 0;
  return {
    admit: (row, at, now) => {
      if (at === 0) filling = seen ? new HeldBatch(model.id, seen, now, lastBytes + (lastBytes >> 3)) : null;
      return filling ? filling.admit(row) : row;
    },
    prepare: (rows, now) => {
      const held = filling;
      filling = null;
      if (held && held.size === rows.length) {
        lastBytes = held.textBytes;
        const p = preparedOf(held, rows, now);
        if (p) prepared.set(rows, p);
        return;
      }
      // the first batch has seen nothing yet: it does all of its work in its transaction
      if (seen) prepared.set(rows, prepareBatch(model.id, rows, seen, now));
    },
    write: (rows, now, _last, audit) => {
      const mine = prepared.get(rows);
      prepared.delete(rows);
      return dataTransaction(
        ctx,
        (client) => writeBatch(ctx, client, model.id, rows, now, audit, mine, see),
        async (inside) => {
          const days = daysOf(rows.map((r) => r.ts));
          if (inside) await inside.query('SELECT glassbox_event_partition($1, d) FROM unnest($2::bigint[]) AS d', [model.id, days]);
          else await ensureEventPartitions(ctx.pool, model.id, days);
        },
      );
    },
    // nothing is held between batches: each committed its statistics with its rows
    abort: (audit) => {
      filling = null;
      return ctx.tx.run(() => pgAudit(ctx).record(audit));
    },
    failed: () => {
      seen = null;
      filling = null;
    },
  };
}
