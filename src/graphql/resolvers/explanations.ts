// Model.featureImportance: parse the window, call the explanations service (FeatureDrift.impact
// comes with each drift result, computed beside psi).
import type { Resolvers } from '../generated/resolvers.js';
import { featureImportance } from '../../services/explanations.js';

export const explanationsResolvers: Resolvers = {
  Model: {
    featureImportance: (m, { from, to, version, segment }, ctx) => {
      ctx.requireRole('VIEWER');
      return featureImportance(ctx.deps, m, from.getTime(), to.getTime(), { version, segment });
    },
  },
};
