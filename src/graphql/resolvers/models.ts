// Model registry resolvers: parse, call one service, shape the answer.
import type { Resolvers } from '../generated/resolvers.js';
import { createModel, deleteModel, findModel, listModels, updateModel } from '../../services/models.js';

export const modelsResolvers: Resolvers = {
  Query: {
    models: (_p, _a, ctx) => {
      ctx.requireRole('VIEWER');
      return listModels(ctx.deps);
    },
    model: (_p, { name }, ctx) => {
      ctx.requireRole('VIEWER');
      return findModel(ctx.deps, name);
    },
  },
  Mutation: {
    createModel: (_p, { input }, ctx) => createModel(ctx.deps, ctx.requireRole('EDITOR'), input),
    updateModel: (_p, { name, input }, ctx) =>
      updateModel(ctx.deps, ctx.requireRole('EDITOR'), name, input),
    deleteModel: (_p, { name }, ctx) => deleteModel(ctx.deps, ctx.requireRole('EDITOR'), name),
  },
  Model: {
    id: (m) => String(m.id),
    createdAt: (m) => m.createdAt,
    features: (m) => m.features,
  },
};
