// Query.server: which server answered, its store and the live replicas (VIEWER).
import type { Resolvers } from '../generated/resolvers.js';
import { instanceName, serverInfo } from '../../services/instances.js';

export const serverResolvers: Resolvers = {
  Query: {
    server: (_p, _a, ctx) => {
      ctx.requireRole('VIEWER');
      return serverInfo(ctx.deps, ctx.services.instance ?? instanceName(undefined));
    },
  },
};
