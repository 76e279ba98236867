// One ingest call (a GraphQL list, an NDJSON body, a CLI file): validates items as they
// come, writes them in batches of one transaction each (the store's writer), counts, and
// writes one audit entry for the call in the transaction of its last batch. On SQLite a
// batch commits on the caller's turn, so nothing here awaits; a store that commits
// asynchronously hands back a promise, and only then do the doors await.
import type { ModelRecord } from '../domain/model.js';
import {
  checkActual,
  checkPrediction,
  type ActualRow,
  type IngestError,
  type PredictionRow,
  type VersionNames,
} from '../domain/ingest/validate.js';
import { PURGED_ACTUAL_REASON, purgedTimeReason } from '../domain/retention.js';
import type { AuditRecord } from '../domain/audit.js';
import type { ActualBatchResult, ActualWriter, MaybePromise, PredictionBatchResult, PredictionWriter, WriteCounts } from '../store/ports/data.js';
import { auditEntry } from './audit.js';
import type { Actor, Deps } from './deps.js';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: IngestError[];
}

export type RowKind = 'predictions' | 'actuals';

/**
 * What a door feeds items into: the prediction/actual run, or the baseline collector.
 * add, finish and abort return a promise only when they committed asynchronously: the
 * door awaits it before feeding more (on SQLite they never do).
 */
export interface LineConsumer {
  add(index: number, input: unknown, featuresText?: string | null): void | Promise<void>;
  reject(index: number, message: string): void;
  finish(): MaybePromise<IngestResult>;
  abort(): MaybePromise<IngestResult>;
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
  /** what predictions' modelVersion resolves against (default: the model's current version only) */
  versions?: VersionNames;
}

/** Lines per transaction: big enough that the commit's fsync is amortised, small enough to interleave requests. */
export const DEFAULT_BATCH = 2000;

const ACTION: Record<RowKind, string> = { predictions: 'logPredictions', actuals: 'logActuals' };

const isPromise = <T>(v: MaybePromise<T>): v is Promise<T> => typeof (v as Promise<T> | undefined)?.then === 'function';

export class IngestRun implements LineConsumer {
  private batch: Array<PredictionRow | ActualRow> = [];
  /** when the batch being filled got its first row: a writer folding rows in takes it as a guess of the batch's time */
  private batchStart = 0;
  private readonly result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, errors: [] };
  private readonly batchSize: number;
  private readonly maxErrors: number;
  private done = false;
  private settledLines = 0;
  private readonly predictions: PredictionWriter | null;
  private readonly actuals: ActualWriter | null;
  /** the batch being committed asynchronously, if any (never on SQLite): the next one waits for it */
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly deps: Deps,
    private readonly actor: Actor,
    readonly model: ModelRecord,
    readonly kind: RowKind,
    private readonly opts: RunOptions,
  ) {
    this.batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
    this.maxErrors = opts.maxErrors ?? Number.POSITIVE_INFINITY;
    this.predictions = kind === 'predictions' ? deps.store.data.predictionWriter(model) : null;
    this.actuals = kind === 'actuals' ? deps.store.data.actualWriter(model) : null;
  }

  settled(): { lines: number; accepted: number; duplicates: number } {
    // accepted and duplicates grow only once a batch has committed
    return { lines: this.settledLines, accepted: this.result.accepted, duplicates: this.result.duplicates };
  }

  /** Validates one item; a full batch is committed before this returns (or the promise it returns settles). */
  add(index: number, input: unknown, featuresText: string | null = null): void | Promise<void> {
    const checked =
      this.kind === 'predictions' ? checkPrediction(this.model, input, index, featuresText, this.opts.versions) : checkActual(this.model, input, index);
    if (!checked.ok) {
      this.rejectError(checked.error);
      return;
    }
    const w = this.predictions;
    if (w?.admit) {
      const at = this.batch.length;
      if (at === 0) this.batchStart = this.deps.clock.now();
      this.batch.push(w.admit(checked.row as PredictionRow, at, this.batchStart));
    } else this.batch.push(checked.row);
    if (this.batch.length >= this.batchSize) return this.commit(false);
  }

  /** Records a rejected line that could not even be read (not JSON, too long). */
  reject(index: number, message: string): void {
    this.rejectError({ index, eventId: null, message });
  }

  /** Commits what is left and the audit entry together; returns the counts of the call. */
  finish(): MaybePromise<IngestResult> {
    if (this.done) return this.result;
    const p = this.commit(true);
    return p ? p.then(() => this.result) : this.result;
  }

  /** The call was cut off: the pending partial batch is dropped, what was committed is audited. */
  abort(): MaybePromise<IngestResult> {
    if (this.done) return this.result;
    this.done = true;
    this.batch = [];
    const writeAbort = (): MaybePromise<IngestResult> => {
      const audit = this.audit(true);
      const p = (this.predictions ?? this.actuals)!.abort(audit);
      return isPromise(p) ? p.then(() => this.result) : this.result;
    };
    // a batch still committing settles first (its failure is the door's to report)
    return this.inflight ? this.inflight.then(writeAbort, writeAbort) : writeAbort();
  }

  /** Counts a rejection, listing it while under the cap. */
  rejectError(error: IngestError): void {
    this.result.rejected++;
    if (this.result.errors.length < this.maxErrors) this.result.errors.push(error);
  }

  /** Commits the batch (after the one in flight, if any); a promise only when the store commits asynchronously. */
  private commit(last: boolean): void | Promise<void> {
    const rows = this.batch;
    this.batch = [];
    // the batch's time is when it is full (its write may wait for the batch before)
    const now = this.deps.clock.now();
    // while the batch before may still be committing (PostgreSQL)
    if (this.predictions?.prepare) this.predictions.prepare(rows as PredictionRow[], now);
    const p = this.inflight ? this.inflight.then(() => this.write(rows, now, last)) : this.write(rows, now, last);
    if (!p) return;
    const tracked = p.then(
      () => {
        if (this.inflight === tracked) this.inflight = null;
      },
      (err: unknown) => {
        if (this.inflight === tracked) this.inflight = null;
        throw err;
      },
    );
    this.inflight = tracked;
    return tracked;
  }

  private write(rows: Array<PredictionRow | ActualRow>, now: number, last: boolean): void | Promise<void> {
    let out: MaybePromise<PredictionBatchResult | ActualBatchResult>;
    try {
      out = this.predictions
        ? this.predictions.write(rows as PredictionRow[], now, last, last ? (r) => this.audit(false, r, r.beforePurge.length) : undefined)
        : this.actuals!.write(rows as ActualRow[], now, last ? (r) => this.audit(false, { accepted: r.accepted, duplicates: 0 }, r.purged.length) : undefined);
    } catch (err) {
      this.failed();
      throw err;
    }
    if (!isPromise(out)) return this.settle(rows, out, last);
    return out.then(
      (r) => this.settle(rows, r, last),
      (err: unknown) => {
        this.failed();
        throw err;
      },
    );
  }

  /** A batch threw (rolled back): the writer forgets what may hold its rows (abort() still audits what committed). */
  private failed(): void {
    (this.predictions ?? this.actuals)!.failed();
  }

  /** Counts a committed batch and rejects the rows it refused. */
  private settle(rows: Array<PredictionRow | ActualRow>, out: PredictionBatchResult | ActualBatchResult, last: boolean): void {
    let counts: WriteCounts;
    if (this.predictions) {
      const r = out as PredictionBatchResult;
      for (const row of r.beforePurge) this.rejectError({ index: row.index, eventId: row.eventId, message: `timestamp: ${purgedTimeReason(r.purgedBefore!)}` });
      counts = r;
    } else {
      const r = out as ActualBatchResult;
      for (const a of r.purged) this.rejectError({ index: a.index, eventId: a.eventId, message: `eventId: ${PURGED_ACTUAL_REASON}` });
      counts = { accepted: r.accepted, duplicates: 0 };
    }
    this.result.accepted += counts.accepted;
    this.result.duplicates += counts.duplicates;
    if (rows.length > 0) this.settledLines = rows[rows.length - 1]!.index + 1;
    if (last) this.done = true;
  }

  /** The call's audit entry; `pending` and `refused` are the last batch's, not counted yet. */
  private audit(aborted: boolean, pending?: WriteCounts, refused = 0): AuditRecord {
    const r = this.result;
    return auditEntry(this.deps.clock.now(), this.actor, ACTION[this.kind], this.model.name, {
      via: this.opts.via,
      accepted: r.accepted + (pending?.accepted ?? 0),
      duplicates: r.duplicates + (pending?.duplicates ?? 0),
      rejected: r.rejected + refused,
      ...(aborted ? { aborted: true } : {}),
    });
  }
}
