// The data family: raw events (predictions and their actuals), baselines, the statistics
// kept at ingest and merged later (ARCHITECTURE rule 8), the metric reads over them, and
// retention. This is the hot path, so the port is coarse: one call per batch, per read,
// per purge step; how a batch is stored, merged and read is each adapter's own (SQLite:
// one writer, prepared statements, an in-memory event-id index and a stats head;
// PostgreSQL: COPY, the database deciding duplicates, partials as rows, compaction claimed
// so that several replicas share it). Validation, batching and error wording stay in the
// services, so both stores accept and refuse exactly the same input.
//
// MaybePromise: SQLite commits a batch synchronously on the caller's turn (better-sqlite3
// is synchronous; a transaction body must not await; a promise only while another
// caller's transaction holds the connection), PostgreSQL asynchronously. Callers await
// only when given a promise, so the SQLite ingest loop pays no await per batch.
import type { AuditRecord } from '../../domain/audit.js';
import type { ModelRecord } from '../../domain/model.js';
import type { ActualRow, BaselineRowIn, PredictionRow } from '../../domain/ingest/validate.js';
import type { MetricReader } from '../../domain/metrics/reads.js';
import type { SliceState } from '../../domain/slices.js';

export type MaybePromise<T> = T | Promise<T>;

/**
 * Builds a batch's audit entry from what the batch did, inside its transaction (the entry
 * counts the rows the batch itself refused: before the purge, or actuals of purged events).
 */
export type AuditOf<R> = (result: R) => AuditRecord;

export interface WriteCounts {
  accepted: number;
  duplicates: number;
}

/** What a prediction batch did. */
export interface PredictionBatchResult extends WriteCounts {
  /**
   * Rows refused because they are timed before the model's purge (their hour's statistics
   * are final): read inside the batch's transaction, so a purge that began meanwhile counts.
   */
  beforePurge: PredictionRow[];
  /** the model's purge instant the refusal used (null when none) */
  purgedBefore: number | null;
}

/**
 * One ingest call's predictions, a batch at a time; each batch is one transaction that
 * stores the rows whose eventId the model does not have yet (whoever stored it: on
 * PostgreSQL the database decides, across replicas), joins actuals that arrived first,
 * and keeps the statistics, all committing together. `audit`, when given, is called with
 * the batch's result and its entry written in the same transaction (the call's last batch).
 */
export interface PredictionWriter {
  write(rows: PredictionRow[], now: number, last: boolean, audit?: AuditOf<PredictionBatchResult>): MaybePromise<PredictionBatchResult>;
  /**
   * Optional: the batch `rows` is full and will be written next (write gets the same
   * array and `now`), perhaps once the batch before it has committed. A writer whose commits are
   * asynchronous does here what needs no transaction (encoding the rows, their statistics
   * as the last batch found the model), so that the process's CPU works while the
   * database commits the batch before; write checks what it assumed and redoes what no
   * longer holds.
   */
  prepare?(rows: PredictionRow[], now: number): void;
  /**
   * Optional: a validated row joins the batch being filled, at position `at` (0: a new
   * batch, whose time is guessed as `now`); returns what the batch holds for it, which
   * prepare and write then get in its place. A writer may fold the row in here (encode
   * it, add its statistics) and hand back a lighter stand-in, so that what the row
   * parsed does not live as long as the batch.
   */
  admit?(row: PredictionRow, at: number, now: number): PredictionRow;
  /** The call was cut off: settles what the writer holds (SQLite's stats head) and writes `audit`. */
  abort(audit: AuditRecord): MaybePromise<void>;
  /** A batch threw (rolled back): forget in-memory state that may hold its rows. */
  failed(): void;
}

/** What an actual batch did. */
export interface ActualBatchResult {
  accepted: number;
  purged: ActualRow[];
}

/**
 * One ingest call's actuals, a batch per transaction: each attaches to its event
 * (replacing an earlier actual, the statistics following) or waits as pending until the
 * event arrives; those whose event retention deleted come back as `purged` (to reject).
 */
export interface ActualWriter {
  /** `audit` as PredictionWriter.write's (given for the call's last batch). */
  write(rows: ActualRow[], now: number, audit?: AuditOf<ActualBatchResult>): MaybePromise<ActualBatchResult>;
  abort(audit: AuditRecord): MaybePromise<void>;
  failed(): void;
}

/** A slice found by its version and segment names, or the argument that names nothing. */
export type SliceLookup = { ok: true; slice: number } | { ok: false; field: 'version' | 'segment' };

export interface BaselineInfo {
  rowCount: number;
  updatedAt: number;
}

/** What a model keeps, and since when (Model.storage). */
export interface StoredSpan {
  rawEvents: number;
  oldestRawEvent: number | null;
  newestEvent: number | null;
  purgedBefore: number | null;
  /** the model's own retention (null: the server's default applies) */
  ownRetentionDays: number | null;
}

export interface CompactReport {
  partials: number;
  hours: number;
  rollups: number;
}

export interface CompactOptions {
  /** ends the pass early between steps */
  shouldStop?: () => boolean;
  /** wait for a pause in ingest before each step (the timer's passes do; tests do not) */
  giveWay?: boolean;
}

export interface ReaderOptions {
  /** read workers (SQLite: threads with their own read-only connections; 0 = in process) */
  workers: number;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface DataRepo {
  predictionWriter(model: ModelRecord): PredictionWriter;
  actualWriter(model: ModelRecord): ActualWriter;

  /** The model's baseline summary, or null. */
  baseline(modelId: number): Promise<BaselineInfo | null>;
  /**
   * Replaces the baseline with `rows` in one transaction: the rows, the profile built from
   * them (domain/metrics/profile.ts), every statistic rebuilt under it, and `audit`;
   * the baseline's `updatedAt` is `audit.at`.
   */
  replaceBaseline(model: ModelRecord, rows: BaselineRowIn[], audit: AuditRecord): Promise<BaselineInfo>;
  /**
   * Replaces a version's own baseline (setVersionBaseline) in one transaction: the rows
   * (baseline_rows.version_id = versionId), the version's summary and profile in
   * model_versions, then syncSlices, and `audit`; `updatedAt` is `audit.at`.
   */
  replaceVersionBaseline(model: ModelRecord, versionId: number, rows: BaselineRowIn[], audit: AuditRecord): Promise<BaselineInfo>;
  /**
   * Makes the model's statistics slices (stats_slices) match its versions x segments:
   * creates the missing ones, deletes those of gone versions/segments with their stats rows,
   * recomputes every slice's profile (its version's baseline rows when the version has a
   * baseline, else the model's, filtered by its segment; none in it: null), and starts
   * building the statistics of new slices and of those whose profile changed from the raw
   * events (backfill, with progress in stats_slices; reads stay exact meanwhile). Joins
   * the caller's transaction when there is one (H3 calls it after creating or deleting a
   * version or segment); replaceBaseline and replaceVersionBaseline call it themselves.
   */
  syncSlices(model: ModelRecord): Promise<void>;
  /**
   * The slice of a version and/or segment named by the caller (both null: 0, the model);
   * `{ ok: false, field }` names the argument whose name the model does not have.
   */
  findSlice(modelId: number, version: string | null, segment: string | null): Promise<SliceLookup>;
  /** The model's slices and their backfill progress, by id. */
  slices(modelId: number): Promise<SliceState[]>;
  /** The model's events in [from, to) as baseline rows, in (ts, id) order. */
  eventsAsBaselineRows(modelId: number, from: number, to: number): Promise<BaselineRowIn[]>;
  /**
   * Recomputes the model's statistics from its raw events (a decision-threshold change);
   * joins the caller's transaction when there is one. Purged hours keep their rows.
   */
  rebuildStats(model: ModelRecord): Promise<void>;
  /** The instant before which the model's events may have been deleted (read fresh), or null. */
  purgedBefore(modelId: number): Promise<number | null>;

  /** Where metric reads run (SQLite: the read-worker pool, or in process; PostgreSQL: its pool). */
  openReader(opts: ReaderOptions): MetricReader;

  /** What the model stores. */
  storedSpan(modelId: number): Promise<StoredSpan | null>;
  /**
   * Deletes the model's events before `cut` (moving its purge mark first, so a crash at any
   * point leaves a consistent store and the next run finishes), keeps tombstones of their
   * eventIds until `tombstoneUntil` (late actuals are refused by them), drops pending
   * actuals received before `cut`. Gives way to ingest between steps. Returns events deleted.
   */
  purge(model: ModelRecord, cut: number, now: number, tombstoneUntil: number): Promise<number>;
  /** Drops tombstones whose time is over. */
  expireTombstones(now: number): Promise<void>;

  /**
   * One compaction pass: partials into hours, ended spans into roll-ups, and a step of
   * each slice's backfill (idempotent, crash-safe).
   */
  compact(now: number, opts?: CompactOptions): Promise<CompactReport>;
  /** At start-up: recovers the statistics ingest calls of a stopped process held in memory. */
  recoverStopped(now: number): Promise<number>;
  /** A model was deleted or changed shape: forget what this process caches about it. */
  forgetModel(modelId: number): void;
}
