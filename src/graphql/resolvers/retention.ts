// Retention resolvers: what a model keeps (Model.storage) and a retention run now (ADMIN).
import type { Resolvers } from '../generated/resolvers.js';
import { applyRetention, modelStorage } from '../../services/retention.js';

export const retentionResolvers: Resolvers = {
  Mutation: {
    applyRetention: (_p, _a, ctx) => applyRetention(ctx.deps, ctx.requireRole('ADMIN'), { defaultDays: ctx.services.retentionDays ?? 0 }),
  },
  Model: {
    storage: (m, _a, ctx) => modelStorage(ctx.deps, m, ctx.services.retentionDays ?? 0),
  },
};
