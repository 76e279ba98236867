// Metric reads on worker threads (node:worker_threads), so that queries never hold the
// main thread that ingests and serves the API. Each worker has its own read-only
// connection to the same WAL file and answers one read at a time; reads wait in one FIFO
// queue. Only the question (model record, window, metric) goes in and the computed answer
// (a small plain object) comes out: the statistics are read and merged in the worker.
// A worker that dies fails its read with an error (never a hang) and is replaced on the
// next read; close() ends them all.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../../errors.js';
import type { MetricRead, MetricReader, ReadAnswer, ReadKind } from '../../../domain/metrics/reads.js';
import type { ReaderOptions } from '../../ports/data.js';

/** What the main thread posts to a worker. */
export interface ReadRequest {
  id: number;
  /** the model's cache generation on the main connection (stats-store.ts modelGeneration) */
  generation: number;
  read: MetricRead;
}

/** What a worker posts back: the answer, or the error (an AppError's parts, or a bug's message). */
export type ReadReply =
  | { id: number; ok: true; value: unknown }
  | {
      id: number;
      ok: false;
      error: { app: { code: ErrorCode; message: string; field?: string | undefined; details?: Record<string, unknown> | undefined } } | { message: string; stack?: string | undefined };
    };

export interface ReadPoolOptions {
  /** the database file (a worker cannot see a `:memory:` database) */
  dbPath: string;
  /** how many workers at most; they start with the first reads that need them */
  size: number;
  /** the model's cache generation on the main connection */
  generation: (modelId: number) => number;
  log: ReaderOptions['log'];
}

export interface ReadPool extends MetricReader {
  /** the live workers (tests kill one) */
  threads(): readonly Worker[];
}

interface Job {
  request: ReadRequest;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

const HERE = import.meta.url;

/** A worker running read-worker, from dist/ (JavaScript) or from the TypeScript sources (tests, tsx). */
function startWorker(dbPath: string): Worker {
  const fromSource = HERE.endsWith('.ts');
  const entry = new URL(`./read-worker.${fromSource ? 'ts' : 'js'}`, HERE);
  if (!fromSource) return new Worker(entry, { workerData: { dbPath } });
  // a worker does not inherit the loader that runs TypeScript here: it registers tsx's first
  const pkg = createRequire(HERE).resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const tsx = pathToFileURL(join(dirname(pkg), api)).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: { dbPath } });
}

function fromReply(error: Extract<ReadReply, { ok: false }>['error']): Error {
  if ('app' in error) return new AppError(error.app.code, error.app.message, error.app.field, error.app.details);
  const err = new Error(`read worker: ${error.message}`);
  if (error.stack) err.stack = `${err.message}\n${error.stack}`;
  return err;
}

/** Starts a pool of at most `size` (>= 1) read workers, lazily. */
export function createReadPool(opts: ReadPoolOptions): ReadPool {
  const size = Math.max(1, opts.size);
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const slot: Slot = { worker: startWorker(opts.dbPath), job: null };
    slot.worker.unref(); // an idle pool never keeps the process alive
    slot.worker.on('message', (reply: ReadReply) => {
      const job = slot.job;
      if (!job || job.request.id !== reply.id) return;
      slot.job = null;
      if (reply.ok) job.resolve(reply.value);
      else job.reject(fromReply(reply.error));
      pump();
    });
    slot.worker.on('error', (err) => opts.log.error({ err }, 'read worker failed'));
    slot.worker.on('exit', (code) => {
      if (closed) return;
      slots.splice(slots.indexOf(slot), 1);
      const job = slot.job;
      slot.job = null;
      opts.log.error({ code, threadId: slot.worker.threadId }, 'read worker exited; a new one starts with the next read');
      job?.reject(new Error(`read worker exited (code ${code}) before answering`));
      pump();
    });
    slots.push(slot);
    return slot;
  };

  const pump = () => {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((s) => s.job === null) ?? (slots.length < size ? spawn() : undefined);
      if (!slot) return;
      const job = queue.shift()!;
      // the generation as the read leaves: it sees every forget committed before then
      job.request.generation = opts.generation(job.request.read.model.id);
      try {
        slot.worker.postMessage(job.request);
        slot.job = job;
      } catch (err) {
        job.reject(err instanceof Error ? err : new Error(String(err))); // a question that cannot be cloned
      }
    }
  };

  return {
    read<K extends ReadKind>(r: MetricRead<K>): Promise<ReadAnswer<K>> {
      if (closed) return Promise.reject(new Error('read pool closed'));
      return new Promise((resolve, reject) => {
        queue.push({ request: { id: nextId++, generation: 0, read: r as MetricRead }, resolve: resolve as (v: unknown) => void, reject });
        pump();
      });
    },
    threads: () => slots.map((s) => s.worker),
    async close() {
      if (closed) return;
      closed = true;
      const stopped = new Error('read pool closed (the server is shutting down)');
      for (const job of queue.splice(0)) job.reject(stopped);
      const running = slots.splice(0);
      for (const s of running) s.job?.reject(stopped);
      await Promise.all(running.map((s) => s.worker.terminate()));
    },
  };
}
