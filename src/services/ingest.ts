// The three doors' entry points into the one validation and write path: GraphQL lists,
// streamed NDJSON bodies (HTTP and CLI) and typed CSV records (CLI).
import { StringDecoder } from 'node:string_decoder';
import { AppError, badInput } from '../errors.js';
import type { ModelRecord } from '../domain/model.js';
import { LineSplitter } from '../domain/ingest/lines.js';
import { topLevelMember } from '../domain/ingest/json-span.js';
import { requireModel } from './models.js';
import { BaselineCollector } from './baselines.js';
import { replaceVersionBaseline, requireVersion } from './versions.js';
import type { VersionNames } from '../domain/ingest/validate.js';
import { IngestRun, type IngestResult, type LineConsumer } from './ingest-run.js';
import { notNdjson, rejectUnreadable } from './ingest-lines.js';
import type { Actor, Deps } from './deps.js';

export type { IngestResult } from './ingest-run.js';
export { DEFAULT_BATCH } from './ingest-run.js';

export type IngestKind = 'predictions' | 'actuals' | 'baseline';

export interface StreamOptions {
  via: 'ndjson' | 'cli';
  batchSize?: number;
  /** rejections listed in the answer (all are counted); bounds the answer's size */
  maxErrors?: number;
  /** longest line held in memory; a longer one is rejected */
  maxLineChars?: number;
  /** baseline bodies: the version whose own baseline they replace (absent: the model's) */
  version?: string;
}

/** What a call that failed midway had settled for good before it stopped. */
export interface Committed {
  /** lines (0-based indexes below this) stored, duplicates or rejected; resending from here on is enough */
  lines: number;
  accepted: number;
  duplicates: number;
}

/**
 * An ingest that stopped midway (a broken body, a failed read): the batches committed
 * before it stay, the partial batch is dropped. `cause` says why it stopped.
 */
export class IngestInterrupted extends Error {
  constructor(
    override readonly cause: unknown,
    readonly committed: Committed,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'IngestInterrupted';
  }

  /** One sentence on what was kept and that resending is safe. */
  get kept(): string {
    const c = this.committed;
    const kept =
      c.lines > 0
        ? `the first ${c.lines} lines were handled and are kept (${c.accepted} accepted, ${c.duplicates} duplicates); nothing after them was stored`
        : 'nothing of it was stored';
    return `${kept}. Resending the whole input is safe: events already stored count as duplicates`;
  }

  /** The client's error (with what was kept) when the cause was the client's, else the cause itself. */
  toClientError(): unknown {
    const e = this.cause;
    if (!(e instanceof AppError)) return e;
    return new AppError(e.code, `${e.message}; ${this.kept}`, e.field, { ...e.details, committed: this.committed });
  }
}

async function interrupted(deps: Deps, consumer: LineConsumer, cause: unknown): Promise<IngestInterrupted> {
  try {
    const aborted = consumer.abort();
    if (aborted instanceof Promise) await aborted;
  } catch (auditErr) {
    deps.log.error({ err: auditErr }, 'could not audit a cut-off ingest');
  }
  return new IngestInterrupted(cause, consumer.settled());
}

/** Characters split into lines between two turns of the event loop while a commit is in flight. */
const SLICE_CHARS = 32 * 1024;

/** Rejections listed in an NDJSON answer by default. */
export const MAX_LISTED_ERRORS = 1000;
/** Longest NDJSON line read by default; a longer one is a rejected line. */
export const MAX_LINE_CHARS = 1 << 20;

/** The model's versions by name, and its current one: what one ingest call's modelVersion resolves against. */
async function versionNames(deps: Deps, model: ModelRecord): Promise<VersionNames> {
  const list = await deps.store.versions.list(model.id);
  return { byName: new Map(list.map((v) => [v.name, v.id])), current: model.currentVersionId ?? null };
}

async function consumerFor(deps: Deps, actor: Actor, model: ModelRecord, kind: IngestKind, opts: StreamOptions): Promise<LineConsumer> {
  const maxErrors = opts.maxErrors ?? MAX_LISTED_ERRORS;
  if (opts.version !== undefined && kind !== 'baseline') {
    throw badInput('version', `applies to baseline bodies only; a prediction names its version in modelVersion`);
  }
  if (kind === 'baseline') {
    if (opts.version === undefined) return new BaselineCollector(deps, actor, model, opts.via, maxErrors);
    const version = await requireVersion(deps, model, opts.version, 'version');
    return new BaselineCollector(deps, actor, model, opts.via, maxErrors, (rows, details) => replaceVersionBaseline(deps, actor, model, version, rows, details));
  }
  const versions = kind === 'predictions' ? await versionNames(deps, model) : undefined;
  return new IngestRun(deps, actor, model, kind, { via: opts.via, batchSize: opts.batchSize, maxErrors, versions });
}

/** Feeds a list to a run, awaiting only the commits that hand back a promise. */
async function addAll(run: IngestRun, items: readonly unknown[]): Promise<IngestResult> {
  for (let i = 0; i < items.length; i++) {
    const committing = run.add(i, items[i]);
    if (committing) await committing;
  }
  return run.finish();
}

/** Logs predictions given as a list (GraphQL); the index of an error is the position in the list. */
export async function logPredictions(deps: Deps, actor: Actor, modelName: string, items: readonly unknown[]): Promise<IngestResult> {
  const model = await requireModel(deps, modelName);
  return addAll(new IngestRun(deps, actor, model, 'predictions', { via: 'graphql', versions: await versionNames(deps, model) }), items);
}

/** Logs actuals given as a list (GraphQL); an actual for an event not logged yet is kept until it comes. */
export async function logActuals(deps: Deps, actor: Actor, modelName: string, items: readonly unknown[]): Promise<IngestResult> {
  const model = await requireModel(deps, modelName);
  return addAll(new IngestRun(deps, actor, model, 'actuals', { via: 'graphql' }), items);
}

/**
 * Ingests an NDJSON body as it streams in: constant memory (for predictions and actuals),
 * one transaction per batch, accepted lines durable when this resolves. If the stream
 * fails midway, committed batches stay, the partial batch is dropped, and an
 * IngestInterrupted says what was kept. BAD_USER_INPUT only when the body is not NDJSON at all.
 */
export async function ingestNdjson(
  deps: Deps,
  actor: Actor,
  model: ModelRecord,
  kind: IngestKind,
  body: AsyncIterable<Buffer | string>,
  opts: StreamOptions,
): Promise<IngestResult> {
  const maxLineChars = opts.maxLineChars ?? MAX_LINE_CHARS;
  const consumer = await consumerFor(deps, actor, model, kind, opts);
  const wantFeatures = kind !== 'actuals';
  // Commits lines started, when the store commits asynchronously (PostgreSQL): the latest
  // stays in flight while the next batch is read and validated (the process's CPU and the
  // database's overlap); older ones are awaited before the next chunk, so at most two
  // batches are held. The run chains them: a batch is written only after the one before
  // it committed, and none after one failed.
  let committing: Promise<void> | undefined;
  let older: Promise<void> | undefined;
  const splitter = new LineSplitter((line, index) => {
    if (line === null) {
      consumer.reject(index, rejectUnreadable(index, maxLineChars).message);
      return;
    }
    let input: unknown;
    try {
      input = JSON.parse(line);
    } catch (err) {
      consumer.reject(index, rejectUnreadable(index, maxLineChars, err as Error).message);
      return;
    }
    const c = consumer.add(index, input, wantFeatures && typeof input === 'object' ? topLevelMember(line, 'features') : null);
    if (c) {
      // awaited later (settle, or through the batch chained after it): not unhandled meanwhile
      c.catch(() => {});
      older = committing ?? older;
      committing = c;
    }
  }, maxLineChars);
  /** Awaits the commits older than the latest (all of them when `all`). */
  const settle = async (all = false) => {
    const o = older;
    older = undefined;
    await o;
    if (!all) return;
    const c = committing;
    committing = undefined;
    await c;
  };
  /**
   * Splits `text` into lines. Once commits are asynchronous (PostgreSQL), a slice at a time,
   * yielding to the event loop between slices: a batch's round trips and COPY writes are
   * then served within a slice's work (~0.7 ms), not after a whole piece's (a socket's
   * 64 KiB, ~1.4 ms; more when pieces queue up), while the database waits on this thread.
   */
  const feed = async (text: string) => {
    for (let at = 0; at < text.length; ) {
      const end = committing ? Math.min(text.length, at + SLICE_CHARS) : text.length;
      splitter.push(text.slice(at, end)); // the whole text when it is one slice: slice(0, length) is the string itself
      at = end;
      if (older) await settle();
      if (committing && at < text.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const decoder = new StringDecoder('utf8');
  let first = true;
  let refused = false;
  try {
    for await (const chunk of body) {
      if (typeof chunk === 'string') {
        await feed(chunk);
        continue;
      }
      if (first && chunk.length > 0) {
        first = false;
        const why = notNdjson(chunk);
        if (why) {
          refused = true;
          throw badInput('body', why);
        }
      }
      await feed(decoder.write(chunk));
    }
    splitter.push(decoder.end());
    splitter.end();
    await settle(true);
  } catch (err) {
    if (refused) throw err;
    throw await interrupted(deps, consumer, err);
  }
  return consumer.finish();
}

/**
 * Ingests already-parsed objects (CSV records typed by the model), numbered from 0 in
 * the order given; the same batches and guarantees as ingestNdjson.
 */
export async function ingestObjects(
  deps: Deps,
  actor: Actor,
  model: ModelRecord,
  kind: IngestKind,
  items: AsyncIterable<unknown> | Iterable<unknown>,
  opts: StreamOptions,
): Promise<IngestResult> {
  async function* numbered(): AsyncGenerator<[number, unknown]> {
    let i = 0;
    for await (const item of items) yield [i++, item];
  }
  return ingestIndexed(deps, actor, model, kind, numbered(), opts);
}

/**
 * Ingests objects that carry their own index (a CSV record's line in its file), in
 * increasing order; an entry with a message (a record that could not be read) is
 * rejected with it. The same batches and guarantees as ingestNdjson.
 */
export async function ingestIndexed(
  deps: Deps,
  actor: Actor,
  model: ModelRecord,
  kind: IngestKind,
  items: AsyncIterable<readonly [number, unknown, string?]>,
  opts: StreamOptions,
): Promise<IngestResult> {
  const consumer = await consumerFor(deps, actor, model, kind, opts);
  try {
    for await (const [index, item, unreadable] of items) {
      if (unreadable !== undefined) consumer.reject(index, unreadable);
      else {
        const committing = consumer.add(index, item);
        if (committing) await committing;
      }
    }
  } catch (err) {
    throw await interrupted(deps, consumer, err);
  }
  return consumer.finish();
}
