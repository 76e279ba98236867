// Model metrics over a window: parse the window, call the metrics service, return its shape.
import type { Resolvers } from '../generated/resolvers.js';
import { drift, fairness, integrity, modelHealth, outputDrift, performance, traffic } from '../../services/metrics.js';
import { batchedSeries } from '../series-batch.js';

const ms = (d: Date) => d.getTime();

export const metricsResolvers: Resolvers = {
  Model: {
    drift: (m, { from, to }, ctx) => {
      ctx.requireRole('VIEWER');
      return drift(ctx.deps, m, ms(from), ms(to));
    },
    outputDrift: (m, { from, to }, ctx) => {
      ctx.requireRole('VIEWER');
      return outputDrift(ctx.deps, m, ms(from), ms(to));
    },
    integrity: (m, { from, to }, ctx) => {
      ctx.requireRole('VIEWER');
      return integrity(ctx.deps, m, ms(from), ms(to));
    },
    performance: (m, { from, to }, ctx) => {
      ctx.requireRole('VIEWER');
      return performance(ctx.deps, m, ms(from), ms(to));
    },
    fairness: (m, { attribute, from, to }, ctx) => {
      ctx.requireRole('VIEWER');
      return fairness(ctx.deps, m, attribute, ms(from), ms(to));
    },
    traffic: (m, { from, to }, ctx) => {
      ctx.requireRole('VIEWER');
      return traffic(ctx.deps, m, ms(from), ms(to));
    },
    series: (m, { metric, from, to, granularity, feature, attribute }, ctx) => {
      ctx.requireRole('VIEWER');
      return batchedSeries(ctx, m, { metric, from: ms(from), to: ms(to), granularity, feature, attribute });
    },
    health: (m, _a, ctx) => {
      ctx.requireRole('VIEWER');
      return modelHealth(ctx.deps, m);
    },
  },
};
