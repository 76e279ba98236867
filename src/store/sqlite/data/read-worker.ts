// A read worker's thread (read-pool.ts): its own read-only connection to the database
// file, one read at a time, each inside one read transaction so that all its statements
// see the same committed state (compaction or retention committing meanwhile can neither
// double nor drop an hour). Its caches are those of the stats store on this connection;
// row caches check the row's rev, and a model's parsed baseline is forgotten whenever the
// main connection forgot it (the generation each request carries).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openReader } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { answerRead } from '../../../services/answer-reads.js';
import type { MetricRead } from '../../../domain/metrics/reads.js';
import type { ReadReply, ReadRequest } from './read-pool.js';
import { forgetModel } from './stats-store.js';
import { sqliteStatsRows } from './stats-rows.js';

const port = parentPort!;
// On Linux a nice value is a thread's own (setpriority on 0 = this thread): when the CPUs
// are oversubscribed, the main thread (ingest, the API) runs first and reads take the rest.
if (process.platform === 'linux') setPriority(10);
const sqlite = openReader((workerData as { dbPath: string }).dbPath);
const rows = sqliteStatsRows(sqlite);
const inOneSnapshot = sqlite.transaction((r: MetricRead) => answerRead(rows, r));
const generations = new Map<number, number>();

function failure(err: unknown): Extract<ReadReply, { ok: false }>['error'] {
  if (err instanceof AppError) return { app: { code: err.code, message: err.message, field: err.field, details: err.details } };
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: e.message, stack: e.stack };
}

port.on('message', (m: ReadRequest) => {
  let reply: ReadReply;
  try {
    const id = m.read.model.id;
    if (generations.get(id) !== m.generation) {
      forgetModel(sqlite, id);
      generations.set(id, m.generation);
    }
    reply = { id: m.id, ok: true, value: inOneSnapshot(m.read) };
  } catch (err) {
    reply = { id: m.id, ok: false, error: failure(err) };
  }
  port.postMessage(reply);
});
