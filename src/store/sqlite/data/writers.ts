// The ingest writers on SQLite: each batch one synchronous BEGIN IMMEDIATE transaction on
// the caller's turn (no await per batch), through ingest-writer.ts; prediction statistics
// go through the model's head (shared-heads.ts). When another caller's async
// transaction holds the connection, the batch waits for it (then, only, a promise).
import type { ModelRecord } from '../../../domain/model.js';
import type { ActualRow, PredictionRow } from '../../../domain/ingest/validate.js';
import type { AuditRecord } from '../../../domain/audit.js';
import type { ActualBatchResult, ActualWriter, AuditOf, MaybePromise, PredictionBatchResult, PredictionWriter } from '../../ports/data.js';
import type { SqliteContext } from '../context.js';
import { insertAudit } from '../audit.js';
import { dropEventIndex } from './ingest-index.js';
import { writeActuals, writePredictions } from './ingest-writer.js';
import { purgedBefore } from './retention.js';
import { armHead, sharedHead, writeOutHeadIn } from './shared-heads.js';
import { forgetStatsHints } from './stats-hints.js';

/** Runs `body` now when the connection is free for it, else once the open transaction ends. */
function onConnection<T>(ctx: SqliteContext, body: () => T): MaybePromise<T> {
  return ctx.tx.free() ? body() : ctx.tx.exec(body);
}

/**
 * Splits off the predictions timed before the model's purge: their hour's statistics are
 * final (and one may be a resend of a deleted event, which would count twice). Read inside
 * the write transaction, so a purge that started meanwhile is seen.
 */
function afterPurge(ctx: SqliteContext, modelId: number, rows: PredictionRow[]): { kept: PredictionRow[]; beforePurge: PredictionRow[]; purgedBefore: number | null } {
  const before = purgedBefore(ctx.sqlite, modelId);
  if (before === null) return { kept: rows, beforePurge: [], purgedBefore: null };
  const kept: PredictionRow[] = [];
  const beforePurge: PredictionRow[] = [];
  for (const r of rows) (r.ts >= before ? kept : beforePurge).push(r);
  return { kept, beforePurge, purgedBefore: before };
}

export function sqlitePredictionWriter(ctx: SqliteContext, model: ModelRecord): PredictionWriter {
  const { sqlite } = ctx;
  /** the statistics of committed batches not written yet, this call's and others' */
  const head = sharedHead(ctx, model);
  const writeNow = (rows: PredictionRow[], now: number, audit?: AuditOf<PredictionBatchResult>): PredictionBatchResult => {
    const result = sqlite
      .transaction(() => {
        const split = afterPurge(ctx, model.id, rows);
        const counts = writePredictions(sqlite, model, split.kept, now, head);
        const r: PredictionBatchResult = { ...counts, beforePurge: split.beforePurge, purgedBefore: split.purgedBefore };
        if (audit) insertAudit(ctx, audit(r));
        return r;
      })
      .immediate();
    armHead(ctx, model.id);
    return result;
  };
  const abortNow = (audit: AuditRecord): void => {
    sqlite
      .transaction(() => {
        head.flush(sqlite, model);
        insertAudit(ctx, audit);
      })
      .immediate();
  };
  return {
    write: (rows, now, _last, audit) => onConnection(ctx, () => writeNow(rows, now, audit)),
    abort: (audit) => onConnection(ctx, () => abortNow(audit)),
    failed: () => {
      // the in-memory event index may hold rows that were rolled back
      dropEventIndex(sqlite, model.id);
      forgetStatsHints(sqlite);
      // the head may hold them too: its next write-out folds its batches from the raw rows
      head.failed();
    },
  };
}

export function sqliteActualWriter(ctx: SqliteContext, model: ModelRecord): ActualWriter {
  const { sqlite } = ctx;
  const writeNow = (rows: ActualRow[], now: number, audit?: AuditOf<ActualBatchResult>): ActualBatchResult =>
    sqlite
      .transaction(() => {
        writeOutHeadIn(ctx, model);
        const r = writeActuals(sqlite, model, rows, now);
        if (audit) insertAudit(ctx, audit(r));
        return r;
      })
      .immediate();
  return {
    write: (rows, now, audit) => onConnection(ctx, () => writeNow(rows, now, audit)),
    abort: (audit) => onConnection(ctx, () => sqlite.transaction(() => insertAudit(ctx, audit)).immediate()),
    failed: () => {
      dropEventIndex(sqlite, model.id);
      forgetStatsHints(sqlite);
    },
  };
}
