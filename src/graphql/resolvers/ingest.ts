// Ingest resolvers: check the role, call one service, shape the answer.
import type { Resolvers } from '../generated/resolvers.js';
import { logActuals, logPredictions } from '../../services/ingest.js';
import { getBaseline, setBaseline, setBaselineFromWindow } from '../../services/baselines.js';

export const ingestResolvers: Resolvers = {
  Mutation: {
    logPredictions: (_p, { model, predictions }, ctx) => logPredictions(ctx.deps, ctx.requireRole('INGEST'), model, predictions),
    logActuals: (_p, { model, actuals }, ctx) => logActuals(ctx.deps, ctx.requireRole('INGEST'), model, actuals),
    setBaseline: (_p, { model, rows }, ctx) => setBaseline(ctx.deps, ctx.requireRole('INGEST'), model, rows),
    setBaselineFromWindow: (_p, { model, from, to }, ctx) =>
      setBaselineFromWindow(ctx.deps, ctx.requireRole('INGEST'), model, from.getTime(), to.getTime()),
  },
  Model: {
    baseline: (m, _a, ctx) => getBaseline(ctx.deps, m.id),
  },
};
