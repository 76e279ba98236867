// One ingest call (a GraphQL list, an NDJSON body, a CLI file): validates items as they
// come, writes them in batches of one synchronous transaction each, counts, and writes
// one audit entry for the call in the transaction of its last batch.
import type { ModelRecord } from '../domain/model.js';
import {
  checkActual,
  checkPrediction,
  type ActualRow,
  type IngestError,
  type PredictionRow,
} from '../domain/ingest/validate.js';
import { PURGED_ACTUAL_REASON, purgedTimeReason } from '../domain/retention.js';
import { recordAudit } from './audit.js';
import { purgedBefore } from './retention.js';
import { dropEventIndex } from './ingest-index.js';
import { forgetStatsHints } from './stats-hints.js';
import { writeActuals, writePredictions } from './ingest-writer.js';
import { StatsHead } from './stats-head.js';
import type { Actor, Deps } from './deps.js';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: IngestError[];
}

export type RowKind = 'predictions' | 'actuals';

/** What a door feeds items into: the prediction/actual run, or the baseline collector. */
export interface LineConsumer {
  add(index: number, input: unknown, featuresText?: string | null): void;
  reject(index: number, message: string): void;
  finish(): IngestResult;
  abort(): IngestResult;
  /** What is committed for good: `lines` from the start (each stored, a duplicate or rejected) and the counts of those. */
  settled(): { lines: number; accepted: number; duplicates: number };
}

export interface RunOptions {
  /** lines per transaction */
  batchSize?: number;
  /** how many rejections are listed in `errors` (all are counted) */
  maxErrors?: number;
  /** which door, for the audit entry */
  via: 'graphql' | 'ndjson' | 'cli';
}

/** Lines per transaction: big enough that the commit's fsync is amortised, small enough to interleave requests. */
export const DEFAULT_BATCH = 2000;

const ACTION: Record<RowKind, string> = { predictions: 'logPredictions', actuals: 'logActuals' };

export class IngestRun implements LineConsumer {
  private batch: Array<PredictionRow | ActualRow> = [];
  private readonly result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, errors: [] };
  private readonly batchSize: number;
  private readonly maxErrors: number;
  private done = false;
  private settledLines = 0;
  /** the statistics of committed batches not written yet (predictions only) */
  private readonly head: StatsHead | null;

  constructor(
    private readonly deps: Deps,
    private readonly actor: Actor,
    readonly model: ModelRecord,
    readonly kind: RowKind,
    private readonly opts: RunOptions,
  ) {
    this.batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
    this.maxErrors = opts.maxErrors ?? Number.POSITIVE_INFINITY;
    this.head = kind === 'predictions' ? new StatsHead() : null;
  }

  settled(): { lines: number; accepted: number; duplicates: number } {
    // accepted and duplicates grow only once a batch has committed
    return { lines: this.settledLines, accepted: this.result.accepted, duplicates: this.result.duplicates };
  }

  /** Validates one item; a full batch is committed before this returns. */
  add(index: number, input: unknown, featuresText: string | null = null): void {
    const checked = this.kind === 'predictions' ? checkPrediction(this.model, input, index, featuresText) : checkActual(this.model, input, index);
    if (!checked.ok) {
      this.rejectError(checked.error);
      return;
    }
    this.batch.push(checked.row);
    if (this.batch.length >= this.batchSize) this.commit(false);
  }

  /** Records a rejected line that could not even be read (not JSON, too long). */
  reject(index: number, message: string): void {
    this.rejectError({ index, eventId: null, message });
  }

  /** Commits what is left and the audit entry together; returns the counts of the call. */
  finish(): IngestResult {
    if (!this.done) this.commit(true);
    return this.result;
  }

  /** The call was cut off: the pending partial batch is dropped, what was committed is audited. */
  abort(): IngestResult {
    if (this.done) return this.result;
    this.done = true;
    this.batch = [];
    const tx = this.deps.store.sqlite.transaction(() => {
      this.head?.flush(this.deps.store.sqlite, this.model);
      this.audit(true);
    });
    try {
      tx.immediate();
    } finally {
      this.head?.close();
    }
    return this.result;
  }

  /** Counts a rejection, listing it while under the cap. */
  rejectError(error: IngestError): void {
    this.result.rejected++;
    if (this.result.errors.length < this.maxErrors) this.result.errors.push(error);
  }

  private commit(last: boolean): void {
    const rows = this.batch;
    this.batch = [];
    const { deps, model } = this;
    const now = deps.clock.now();
    const tx = deps.store.sqlite.transaction(() => {
      let counts: { accepted: number; duplicates: number };
      if (this.kind === 'predictions') {
        counts = writePredictions(deps, model, this.keepAfterPurge(rows as PredictionRow[]), now, { head: this.head!, last });
      } else {
        const r = writeActuals(deps, model, rows as ActualRow[], now);
        for (const a of r.purged) this.rejectError({ index: a.index, eventId: a.eventId, message: `eventId: ${PURGED_ACTUAL_REASON}` });
        counts = { accepted: r.accepted, duplicates: 0 };
      }
      if (last) this.audit(false, counts);
      return counts;
    });
    let counts: { accepted: number; duplicates: number };
    try {
      counts = tx.immediate();
    } catch (err) {
      // the in-memory event index may hold rows that were rolled back
      dropEventIndex(deps.store.sqlite, model.id);
      forgetStatsHints(deps.store.sqlite);
      // its committed batches are folded by abort(), else recovered by compaction
      this.head?.failed();
      this.head?.close();
      throw err;
    }
    this.result.accepted += counts.accepted;
    this.result.duplicates += counts.duplicates;
    if (rows.length > 0) this.settledLines = rows[rows.length - 1]!.index + 1;
    if (last) {
      this.done = true;
      this.head?.close();
    }
  }

  /**
   * Rejects predictions timed before the model's purge: their hour's statistics are final
   * (and one may be a resend of a deleted event, which would count twice). Read inside the
   * write transaction, so a purge that started meanwhile is seen.
   */
  private keepAfterPurge(rows: PredictionRow[]): PredictionRow[] {
    const before = purgedBefore(this.deps.store.sqlite, this.model.id);
    if (before === null) return rows;
    return rows.filter((r) => {
      if (r.ts >= before) return true;
      this.rejectError({ index: r.index, eventId: r.eventId, message: `timestamp: ${purgedTimeReason(before)}` });
      return false;
    });
  }

  private audit(aborted: boolean, pending?: { accepted: number; duplicates: number }): void {
    const r = this.result;
    recordAudit(this.deps.store.db, this.deps.clock.now(), this.actor, ACTION[this.kind], this.model.name, {
      via: this.opts.via,
      accepted: r.accepted + (pending?.accepted ?? 0),
      duplicates: r.duplicates + (pending?.duplicates ?? 0),
      rejected: r.rejected,
      ...(aborted ? { aborted: true } : {}),
    });
  }
}
