// DataRepo on SQLite (src/store/ports/data.ts): the raw events, baselines, statistics,
// metric reads, retention and compaction of one database file, on the process's one
// connection. Synchronous bodies run through the connection's transaction gate, so none
// lands inside another caller's async transaction.
import type { DataRepo } from '../../ports/data.js';
import type { ModelsRepo } from '../../ports/models.js';
import type { SqliteContext } from '../context.js';
import { inProcessReader } from '../../../services/answer-reads.js';
import { createReadPool } from './read-pool.js';
import { sqliteStatsRows } from './stats-rows.js';
import { baselineInfo, eventsAsBaselineRows, replaceBaselineNow, replaceVersionBaselineNow } from './baselines.js';
import { findSlice, sliceStates, syncSliceRows } from './slices-sync.js';
import { startBackfill } from './slice-backfill.js';
import { compactPass, foldUncoveredBatches } from './compact.js';
import { dropEventIndex } from './ingest-index.js';
import { expireTombstones, purgedBefore, purgeModel, storedSpan, type Gate } from './retention.js';
import { rebuildStats } from './stats.js';
import { forgetModel, modelGeneration } from './stats-store.js';
import { sqliteActualWriter, sqlitePredictionWriter } from './writers.js';
import { settleHead } from './shared-heads.js';
import type { MetricReader } from '../../../domain/metrics/reads.js';

/** syncSlices: the slices' rows and profiles, then the building of those that need it. */
function syncSlices(sqlite: Parameters<typeof syncSliceRows>[0], model: Parameters<typeof syncSliceRows>[1]): void {
  startBackfill(sqlite, model.id, syncSliceRows(sqlite, model));
}

/** The SQLite data repository; `models` finds the records compaction and recovery need. */
export function sqliteData(ctx: SqliteContext, models: Pick<ModelsRepo, 'byId'>): DataRepo {
  const { sqlite, tx } = ctx;
  const gate: Gate = (body) => tx.exec(body);
  const byId = (id: number) => models.byId(id);
  // every read first writes out the model's head: a read sees every committed ingest call
  const settled = (reader: MetricReader): MetricReader => ({
    ...reader,
    read: async (r) => {
      await settleHead(ctx, r.model.id);
      return reader.read(r);
    },
  });
  return {
    predictionWriter: (model) => sqlitePredictionWriter(ctx, model),
    actualWriter: (model) => sqliteActualWriter(ctx, model),
    baseline: (modelId) => gate(() => baselineInfo(ctx, modelId)),
    replaceBaseline: (model, rows, audit) => gate(() => replaceBaselineNow(ctx, model, rows, audit)),
    eventsAsBaselineRows: (modelId, from, to) => gate(() => eventsAsBaselineRows(ctx, modelId, from, to)),
    // inside the caller's transaction (a threshold change) it joins it, else it is its own
    rebuildStats: (model) => gate(() => (tx.inside() ? rebuildStats(sqlite, model) : sqlite.transaction(() => rebuildStats(sqlite, model)).immediate())),
    purgedBefore: (modelId) => gate(() => purgedBefore(sqlite, modelId)),
    openReader: ({ workers, log }) =>
      settled(
        // worker threads open the file themselves: a `:memory:` database is read in process
        workers > 0 && !sqlite.memory
          ? createReadPool({ dbPath: sqlite.name, size: workers, generation: (id) => modelGeneration(sqlite, id), log })
          : inProcessReader(sqliteStatsRows(sqlite)),
      ),
    storedSpan: (modelId) => gate(() => storedSpan(sqlite, modelId)),
    purge: (model, cut, now, tombstoneUntil) => purgeModel(sqlite, gate, model, now, cut, tombstoneUntil),
    expireTombstones: (now) => gate(() => expireTombstones(sqlite, now)),
    compact: (now, opts) => compactPass(sqlite, gate, byId, now, opts),
    recoverStopped: (now) => foldUncoveredBatches(sqlite, gate, byId, now, 'stopped'),
    replaceVersionBaseline: (model, versionId, rows, audit) => gate(() => replaceVersionBaselineNow(ctx, model, versionId, rows, audit)),
    // inside the caller's transaction (a version or segment created) it joins it, else it is its own
    syncSlices: (model) => gate(() => (tx.inside() ? syncSlices(sqlite, model) : sqlite.transaction(() => syncSlices(sqlite, model)).immediate())),
    findSlice: (modelId, version, segment) => gate(() => findSlice(sqlite, modelId, version, segment)),
    slices: (modelId) => gate(() => sliceStates(sqlite, modelId)),
    forgetModel: (modelId) => {
      forgetModel(sqlite, modelId);
      dropEventIndex(sqlite, modelId);
    },
  };
}
