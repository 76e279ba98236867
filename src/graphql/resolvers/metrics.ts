// Model metrics over a window, narrowed to a version and/or segment when asked: parse the
// window, call the metrics service, return its shape.
import type { Resolvers } from '../generated/resolvers.js';
import { drift, fairness, integrity, modelHealth, outputDrift, performance, traffic } from '../../services/metrics.js';
import { batchedSeries } from '../series-batch.js';

const ms = (d: Date) => d.getTime();

export const metricsResolvers: Resolvers = {
  Model: {
    drift: (m, { from, to, version, segment }, ctx) => {
      ctx.requireRole('VIEWER');
      return drift(ctx.deps, m, ms(from), ms(to), { version, segment });
    },
    outputDrift: (m, { from, to, version, segment }, ctx) => {
      ctx.requireRole('VIEWER');
      return outputDrift(ctx.deps, m, ms(from), ms(to), { version, segment });
    },
    integrity: (m, { from, to, version, segment }, ctx) => {
      ctx.requireRole('VIEWER');
      return integrity(ctx.deps, m, ms(from), ms(to), { version, segment });
    },
    performance: (m, { from, to, version, segment }, ctx) => {
      ctx.requireRole('VIEWER');
      return performance(ctx.deps, m, ms(from), ms(to), { version, segment });
    },
    fairness: (m, { attribute, from, to, version, segment }, ctx) => {
      ctx.requireRole('VIEWER');
      return fairness(ctx.deps, m, attribute, ms(from), ms(to), { version, segment });
    },
    traffic: (m, { from, to, version, segment }, ctx) => {
      ctx.requireRole('VIEWER');
      return traffic(ctx.deps, m, ms(from), ms(to), { version, segment });
    },
    series: (m, { metric, from, to, granularity, feature, attribute, version, segment }, ctx) => {
      ctx.requireRole('VIEWER');
      return batchedSeries(ctx, m, { metric, from: ms(from), to: ms(to), granularity, feature, attribute }, { version, segment });
    },
    health: (m, _a, ctx) => {
      ctx.requireRole('VIEWER');
      return modelHealth(ctx.deps, m);
    },
  },
};
