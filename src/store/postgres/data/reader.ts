// Metric reads on PostgreSQL: each read loads the statistics rows its windows need (a
// listing, then the rows, partials and edge events it lacks: preloaded-rows.ts) inside one
// REPEATABLE READ READ ONLY transaction, so a compaction or purge committing meanwhile can
// neither double nor drop an hour, then runs the same synchronous merge and computation as
// SQLite (services/answer-reads.ts). At most `workers` reads hold a connection at once, so
// reads leave the pool to ingest and the API.
import type pg from 'pg';
import type { MetricRead, MetricReader, ReadAnswer, ReadKind } from '../../../domain/metrics/reads.js';
import { answerRead } from '../../../services/answer-reads.js';
import { withPreloadedRows, type PgStatsCaches } from './preloaded-rows.js';
import type { Queryable } from './locks.js';
import { onOwnConnection } from '../own-connection.js';

/** Runs `fn` in one read-only snapshot on a connection of its own. */
export function inReadSnapshot<T>(pool: pg.Pool, fn: (q: Queryable) => Promise<T>): Promise<T> {
  return onOwnConnection(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
}

/** Answers one read in its own snapshot. */
export function answerOnPostgres<K extends ReadKind>(pool: pg.Pool, caches: PgStatsCaches, r: MetricRead<K>): Promise<ReadAnswer<K>> {
  return inReadSnapshot(pool, (q) => withPreloadedRows(q, caches, r.model, r.slice ?? 0, r.from, r.to, (rows) => answerRead(rows, r)));
}

/** A MetricReader on the pool, `concurrency` reads at a time (queued FIFO beyond). */
export function pgMetricReader(pool: pg.Pool, caches: PgStatsCaches, concurrency: number): MetricReader {
  const limit = Math.max(1, concurrency);
  let running = 0;
  let closed = false;
  const waiting: Array<() => void> = [];
  // a finishing read hands its place to the next one waiting, so `running` never overshoots
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    async read<K extends ReadKind>(r: MetricRead<K>): Promise<ReadAnswer<K>> {
      if (closed) throw new Error('metric reader closed');
      if (running >= limit) await new Promise<void>((go) => waiting.push(go));
      else running++;
      try {
        return await answerOnPostgres(pool, caches, r);
      } finally {
        release();
      }
    },
    async close() {
      closed = true;
    },
  };
}
