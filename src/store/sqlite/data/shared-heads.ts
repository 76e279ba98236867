// One statistics head per model for all of this process's ingest calls (stats-head.ts), so
// that consecutive calls add to the same hours: GraphQL's 1000-event calls of traffic
// shuffled over a week touch ~170 hours each, and wrote ~170 small partials a call when
// each call had its own head. A head is written out when it is due (size), before any
// read of its model (reads see every committed call), HEAD_MAX_MS after its first
// unwritten batch (a timer), and at close; after a crash, its rows in stats_uncovered are
// recovered at startup as before.
import type { ModelRecord } from '../../../domain/model.js';
import type { MaybePromise } from '../../ports/data.js';
import type { SqliteContext } from '../context.js';
import { HEAD_MAX_MS, StatsHead } from './stats-head.js';

interface Shared {
  head: StatsHead;
  /** the record of the model's latest write (a write-out re-checks what it implies) */
  model: ModelRecord;
  timer: NodeJS.Timeout | null;
}

const registry = new WeakMap<SqliteContext, Map<number, Shared>>();

function headsOf(ctx: SqliteContext): Map<number, Shared> {
  let m = registry.get(ctx);
  if (!m) registry.set(ctx, (m = new Map()));
  return m;
}

/** The model's head, its record updated to the caller's. */
export function sharedHead(ctx: SqliteContext, model: ModelRecord): StatsHead {
  const heads = headsOf(ctx);
  let s = heads.get(model.id);
  if (!s) heads.set(model.id, (s = { head: new StatsHead(), model, timer: null }));
  s.model = model;
  return s.head;
}

/** Writes the head out now, inside the caller's synchronous turn on the free connection. */
function writeOutNow(ctx: SqliteContext, s: Shared): void {
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  if (!ctx.sqlite.open || !s.head.pending()) return;
  try {
    ctx.sqlite.transaction(() => s.head.flush(ctx.sqlite, s.model)).immediate();
  } catch (err) {
    // its rows stay in stats_uncovered: the next write-out folds them from the raw rows
    s.head.failed();
    throw err;
  }
}

/** After a write: starts the timer that writes the head out if nothing else does first. */
export function armHead(ctx: SqliteContext, modelId: number): void {
  const s = headsOf(ctx).get(modelId);
  if (!s || s.timer || !s.head.pending()) return;
  s.timer = setTimeout(() => {
    s.timer = null;
    // a failure leaves the rows for the next write-out (the head marked failed)
    Promise.resolve()
      .then(() => settleHead(ctx, modelId))
      .catch(() => {});
  }, HEAD_MAX_MS);
  s.timer.unref();
}

/**
 * Inside the caller's write transaction, before actuals change the model's raw rows: the
 * head's batches are written out first, since folding them from the raw rows later (a
 * head that lost track) would count those actuals a second time.
 */
export function writeOutHeadIn(ctx: SqliteContext, model: ModelRecord): void {
  headsOf(ctx).get(model.id)?.head.flush(ctx.sqlite, model);
}

/** Before a read of the model: its committed batches reach the statistics. */
export function settleHead(ctx: SqliteContext, modelId: number): MaybePromise<void> {
  const s = headsOf(ctx).get(modelId);
  if (!s || !s.head.pending()) return;
  return ctx.tx.free() ? writeOutNow(ctx, s) : ctx.tx.exec(() => writeOutNow(ctx, s));
}

/**
 * At close: writes every head out when the connection is free, then drops them, so that
 * rows a failed write-out left are recovered (by compaction here, or at the next start).
 */
export function settleAllHeads(ctx: SqliteContext): void {
  const heads = headsOf(ctx);
  for (const s of heads.values()) {
    try {
      if (ctx.tx.free()) writeOutNow(ctx, s);
    } catch {
      /* left to recovery */
    } finally {
      if (s.timer) clearTimeout(s.timer);
      s.head.close();
    }
  }
  heads.clear();
}
