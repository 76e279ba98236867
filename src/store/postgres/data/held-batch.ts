// A batch of predictions as the PostgreSQL prediction writer holds it while it fills
// (PredictionWriter.admit), once it has seen the model: each row is folded in as it comes,
// its COPY line written into the batch's buffer and its statistics into the batch's
// partials, and the batch keeps for it only a HeldRow (index, eventId, time). The parsed
// features and the line's text then die young; held for the batch's life (filling, then
// committing), ~1.4 KB a row was copied by one young-generation GC and promoted by the
// next: GC was the largest single cost of the process on the PostgreSQL ingest bench
// (docs/postgres.md).
// What the writer assumed when folding (the model as its last batch saw it) is checked at
// commit as for a prepared batch; where it no longer holds, a HeldRow reads its whole row
// back from its line and the batch takes the planned way.
import type { PredictionRow } from '../../../domain/ingest/validate.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import type { AppendRow } from '../append-events.js';
import { copyFields } from '../copy-text.js';
import { appendRowOf, sliceEventOf } from './batch-rows.js';
import { PartialsBuilder } from './batch-partials.js';
import { keysText, rowLine, type BatchTexts } from './event-batch.js';
import type { SliceSet } from './slice-set.js';
import { partialsSql } from './stats-rows.js';

/** What the model looked like to the writer's last batch: what a batch folded before its commit assumes. */
export interface Seen {
  purgedBefore: number | null;
  sctx: StatsContext;
  set: SliceSet;
}

/** A row of a held batch: its identity and time at hand, the rest read back from its COPY line when asked. */
export class HeldRow implements PredictionRow {
  private row: AppendRow | null = null;
  private parsed: Record<string, unknown> | null = null;

  constructor(
    readonly index: number,
    readonly eventId: string,
    readonly ts: number,
    private readonly batch: HeldBatch,
    private readonly line: number,
  ) {}

  /** The row as stored (its actual, if on its line, at the batch's time). */
  appendRow(): AppendRow {
    return (this.row ??= this.batch.rowAt(this.line));
  }

  get features(): Record<string, unknown> {
    return (this.parsed ??= JSON.parse(this.appendRow().features) as Record<string, unknown>);
  }
  get featuresText(): string {
    return this.appendRow().features;
  }
  get score(): number | null {
    return this.appendRow().score;
  }
  get predictedLabel(): string | null {
    return this.appendRow().predictedLabel;
  }
  get value(): number | null {
    return this.appendRow().value;
  }
  get actualLabel(): string | null {
    return this.appendRow().actualLabel;
  }
  get actualValue(): number | null {
    return this.appendRow().actualValue;
  }
  get versionId(): number | null {
    return this.appendRow().versionId ?? null;
  }
  get attributions(): string | null {
    return this.appendRow().attributions ?? null;
  }
}

const num = (f: string | null): number | null => (f === null ? null : Number(f));


/** What a held batch hands its commit when what it assumed may still hold. */
export interface HeldPlan {
  seen: Seen;
  beforePurge: PredictionRow[];
  kept: PredictionRow[];
  unique: HeldRow[];
  texts: BatchTexts;
  /** the partials' INSERT if every unique row is stored */
  partials: string | null;
}

export class HeldBatch {
  private buf: Buffer;
  private bytes = 0;
  /** where each held row's line starts in `buf` */
  private readonly starts: number[] = [];
  private readonly ids: string[] = [];
  private readonly times: number[] = [];
  private readonly unique: HeldRow[] = [];
  private readonly beforePurge: PredictionRow[] = [];
  private readonly seenIds = new Set<string>();
  private readonly partials: PartialsBuilder;
  private readonly prefix: string;
  /** a row carried its actual on its line: its actual_at is `now`, right only if the batch's time is */
  private lineActuals = false;
  /** rows admitted */
  size = 0;

  /** `now`: the batch's time as guessed when its first row came; `bytes`: a guess of its COPY text's size. */
  constructor(
    private readonly modelId: number,
    readonly seen: Seen,
    private readonly now: number,
    bytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(bytes, 1 << 16));
    this.partials = new PartialsBuilder(seen.sctx, seen.set);
    this.prefix = `${modelId}\t`;
  }

  /** Folds a validated row in; returns what the batch holds for it (the row itself when refused by the purge or a repeat). */
  admit(r: PredictionRow): PredictionRow {
    this.size++;
    // as plan() does at commit: refused rows, then the first of repeated eventIds
    if (this.seen.purgedBefore !== null && r.ts < this.seen.purgedBefore) {
      this.beforePurge.push(r);
      return r;
    }
    if (this.seenIds.has(r.eventId)) return r;
    this.seenIds.add(r.eventId);
    const onLine = r.actualLabel !== null || r.actualValue !== null;
    if (onLine) this.lineActuals = true;
    const a = appendRowOf(r, r.actualLabel, r.actualValue, onLine ? this.now : null);
    this.write(rowLine(a, this.prefix));
    this.partials.add(sliceEventOf(r, a));
    this.ids.push(r.eventId);
    this.times.push(r.ts);
    const held = new HeldRow(r.index, r.eventId, r.ts, this, this.unique.length);
    this.unique.push(held);
    return held;
  }

  /** Bytes of COPY text so far. */
  get textBytes(): number {
    return this.bytes;
  }

  /**
   * The batch `rows` (what admit returned, in order) at its time `now`, or null when a
   * line's actual was written at another time than `now` (the planned way then redoes it).
   */
  plan(rows: PredictionRow[], now: number): HeldPlan | null {
    if (this.lineActuals && now !== this.now) return null;
    const before = this.seen.purgedBefore;
    return {
      seen: this.seen,
      beforePurge: this.beforePurge,
      kept: this.beforePurge.length === 0 ? rows : rows.filter((r) => r.ts >= before!),
      unique: this.unique,
      texts: { keys: keysText(this.modelId, this.ids, this.times), rows: this.buf.subarray(0, this.bytes) },
      partials: this.unique.length === 0 ? null : partialsSql(this.modelId, this.partials.finish()),
    };
  }

  /** Held row `k` as stored, read back from its line. */
  rowAt(k: number): AppendRow {
    const end = k + 1 < this.starts.length ? this.starts[k + 1]! : this.bytes;
    // the line without its newline; its first field is the model's id
    const f = copyFields(this.buf.toString('utf8', this.starts[k]!, end - 1));
    const at = (i: number): string | null => f[i] ?? null;
    return {
      eventId: at(1)!,
      ts: Number(at(2)),
      features: at(3)!,
      score: num(at(4)),
      predictedLabel: at(5),
      value: num(at(6)),
      actualLabel: at(7),
      actualValue: num(at(8)),
      actualAt: num(at(9)),
      versionId: num(at(10)),
      attributions: at(11),
    };
  }

  private write(line: string): void {
    // a UTF-16 unit takes at most 3 bytes in UTF-8
    const need = this.bytes + 3 * line.length;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, 2 * this.buf.length));
      this.buf.copy(grown, 0, 0, this.bytes);
      this.buf = grown;
    }
    this.starts.push(this.bytes);
    this.bytes += this.buf.write(line, this.bytes);
  }
}
