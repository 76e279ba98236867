// Model.series fields of one request that share a model and a window are answered by one
// read (services/metrics.ts seriesSet): a page of twenty charts sends twenty aliases, and
// each bucket's statistics are then merged once instead of twenty times. Fields are
// collected while graphql-js resolves the selection set (synchronously, one after the
// other) and sent together on the next turn of the event loop.
import type { ModelRecord } from '../domain/model.js';
import type { Metric } from '../domain/metrics/metric-value.js';
import { checkSeries, seriesSet, type Granularity, type SeriesPoint } from '../services/metrics.js';
import type { StatsScope } from '../services/metrics.js';
import type { GqlContext } from './context.js';

interface Ask {
  question: { metric: Metric; feature: string | null; attribute: string | null };
  resolve: (points: SeriesPoint[]) => void;
  reject: (err: unknown) => void;
}

interface Batch {
  model: ModelRecord;
  window: { from: number; to: number; granularity: Granularity };
  scope: StatsScope;
  asks: Ask[];
}

const pending = new WeakMap<GqlContext, Map<string, Batch>>();

/** The points of one series; batched with the request's other series of the same model and window. */
export function batchedSeries(
  ctx: GqlContext,
  model: ModelRecord,
  q: { metric: string; from: number; to: number; granularity: Granularity; feature?: string | null; attribute?: string | null },
  scope: StatsScope = {},
): Promise<SeriesPoint[]> {
  // a question that does not fit fails its own field only, before the batch is read
  checkSeries(model, q);
  let batches = pending.get(ctx);
  if (!batches) {
    batches = new Map();
    pending.set(ctx, batches);
    setImmediate(() => flush(ctx));
  }
  const key = JSON.stringify([model.id, q.from, q.to, q.granularity, scope.version ?? null, scope.segment ?? null]);
  let batch = batches.get(key);
  if (!batch) batches.set(key, (batch = { model, window: { from: q.from, to: q.to, granularity: q.granularity }, scope, asks: [] }));
  const asks = batch.asks;
  return new Promise((resolve, reject) => asks.push({ question: { metric: q.metric as Metric, feature: q.feature ?? null, attribute: q.attribute ?? null }, resolve, reject }));
}

function flush(ctx: GqlContext): void {
  const batches = pending.get(ctx);
  pending.delete(ctx);
  for (const b of batches?.values() ?? []) {
    seriesSet(ctx.deps, b.model, b.window, b.asks.map((a) => a.question), b.scope).then(
      (all) => b.asks.forEach((a, i) => a.resolve(all[i]!)),
      (err) => b.asks.forEach((a) => a.reject(err)),
    );
  }
}
