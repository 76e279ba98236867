// The write half of the data port (ports/data.ts) on PostgreSQL: ingest writers,
// baselines, statistics rebuilds, statistics slices and retention. Each call runs in the caller's transaction
// when there is one (store.transaction), else in its own.
import type { DataRepo } from '../../ports/data.js';
import type { PgContext } from '../context.js';
import { pgActualWriter } from './actual-writer.js';
import { baselineOf, eventsAsBaselineRowsOf, replaceBaselineOn, replaceVersionBaselineOn } from './baselines.js';
import { findSliceOf, sliceStatesOf, syncSlicesOn } from './slices-sync.js';
import { forgetSlices } from './slice-set.js';
import { dataTransaction } from './data-transaction.js';
import { pgPredictionWriter } from './prediction-writer.js';
import { rebuildStatsOn } from './rebuild-stats.js';
import { expireTombstonesAt, purgedBeforeOf, purgeModel, reclaimPurgedSpace, storedSpanOf } from './retention.js';
import { forgetContext } from './stats-context.js';

/** What the write half implements. */
export type DataWrite = Pick<
  DataRepo,
  | 'predictionWriter'
  | 'actualWriter'
  | 'baseline'
  | 'replaceBaseline'
  | 'replaceVersionBaseline'
  | 'syncSlices'
  | 'findSlice'
  | 'slices'
  | 'eventsAsBaselineRows'
  | 'rebuildStats'
  | 'purgedBefore'
  | 'storedSpan'
  | 'purge'
  | 'expireTombstones'
  | 'forgetModel'
>;

/** The write half of the PostgreSQL data repository. */
export function pgDataWrite(ctx: PgContext): DataWrite {
  /** the open transaction's connection (a read joins it: it sees its writes), else the pool */
  const q = () => ctx.tx.client() ?? ctx.pool;
  return {
    predictionWriter: (model) => pgPredictionWriter(ctx, model),
    actualWriter: (model) => pgActualWriter(ctx, model),
    baseline: (modelId) => baselineOf(q(), modelId),
    replaceBaseline: (model, rows, audit) => dataTransaction(ctx, (client) => replaceBaselineOn(ctx, client, model, rows, audit)),
    replaceVersionBaseline: (model, versionId, rows, audit) => dataTransaction(ctx, (client) => replaceVersionBaselineOn(ctx, client, model, versionId, rows, audit)),
    syncSlices: async (model) => {
      await dataTransaction(ctx, (client) => syncSlicesOn(client, model));
    },
    findSlice: (modelId, version, segment) => findSliceOf(q(), modelId, version, segment),
    slices: (modelId) => sliceStatesOf(q(), modelId),
    eventsAsBaselineRows: (modelId, from, to) => eventsAsBaselineRowsOf(q(), modelId, from, to),
    rebuildStats: (model) => dataTransaction(ctx, (client) => rebuildStatsOn(ctx, client, model)),
    purgedBefore: (modelId) => purgedBeforeOf(q(), modelId),
    storedSpan: (modelId) => storedSpanOf(q(), modelId),
    purge: (model, cut, _now, tombstoneUntil) => purgeModel(ctx, model, cut, tombstoneUntil),
    expireTombstones: async (now) => {
      await expireTombstonesAt(q(), now);
      // the end of a retention run (services/retention.ts): reclaim what it deleted
      if (!ctx.tx.inside()) await reclaimPurgedSpace(ctx.pool);
    },
    forgetModel: (modelId) => {
      forgetContext(ctx.pool, modelId);
      forgetSlices(ctx.pool, modelId);
    },
  };
}
