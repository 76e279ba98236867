// The PostgreSQL data family (store.data): the write half (data-write.ts: writers,
// baselines, rebuild, retention) and the read half (metric reads and compaction: reader.ts,
// compact.ts) over per-pool caches.
import type { DataRepo } from '../../ports/data.js';
import type { PgContext } from '../context.js';
import { pgModels } from '../models.js';
import { compactPostgres } from './compact.js';
import { pgDataWrite } from './data-write.js';
import { newStatsCaches } from './preloaded-rows.js';
import { pgMetricReader } from './reader.js';

/** Reads running at once when the caller names no number. */
const READS_AT_ONCE = 4;

/** Reads and compaction of the data family on one pool. */
export function pgDataReads(ctx: PgContext): Pick<DataRepo, 'openReader' | 'compact' | 'recoverStopped' | 'forgetModel'> {
  const caches = newStatsCaches(ctx.pool);
  const models = pgModels(ctx);
  return {
    // `workers` bounds the reads holding a connection at once (0, "in process" on SQLite:
    // a few, so that reads never take the whole pool from ingest and the API)
    openReader: (opts) => pgMetricReader(ctx.pool, caches, opts.workers > 0 ? opts.workers : READS_AT_ONCE),
    compact: (now, opts) => compactPostgres({ pool: ctx.pool, caches, modelById: (id) => models.byId(id) }, now, opts),
    // Nothing to recover: PostgreSQL keeps no statistics in a process's memory (no stats
    // head); every batch commits its partials with its events, so a stopped process leaves
    // nothing behind that a pass of compaction would not find.
    recoverStopped: async () => 0,
    forgetModel: (modelId) => caches.rows.forget(modelId),
  };
}

/** The PostgreSQL data repository. */
export function pgData(ctx: PgContext): DataRepo {
  const write = pgDataWrite(ctx);
  const reads = pgDataReads(ctx);
  return {
    ...write,
    ...reads,
    forgetModel: (modelId) => {
      write.forgetModel(modelId);
      reads.forgetModel(modelId);
    },
  };
}
