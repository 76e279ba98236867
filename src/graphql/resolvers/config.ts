// Configuration as code over GraphQL: applyConfig and exportConfig. A rejected file
// answers one error saying nothing changed, then one error per problem, each with the
// file's path in extensions.field (glassbox apply prints them one a line).
import { responsePathAsArray } from 'graphql';
import { AppError } from '../../errors.js';
import type { Resolvers } from '../generated/resolvers.js';
import { applyConfig, ConfigRejected } from '../../services/config/apply.js';
import { exportConfig } from '../../services/config/export.js';
import { issueLine } from '../../domain/config/issues.js';

export const configResolvers: Resolvers = {
  Query: {
    exportConfig: (_p, { models }, ctx) => {
      ctx.requireRole('VIEWER');
      return exportConfig(ctx.deps, models ?? null);
    },
  },
  Mutation: {
    applyConfig: async (_p, { yaml, dryRun, prune }, ctx, info) => {
      const actor = ctx.requireRole('EDITOR');
      try {
        return await applyConfig(ctx.deps, actor, yaml, {
          dryRun: dryRun === true,
          prune: prune === true,
        });
      } catch (err) {
        if (err instanceof ConfigRejected) {
          const path = responsePathAsArray(info.path);
          for (const i of err.issues) ctx.note({ message: issueLine(i), path, extensions: { code: 'BAD_USER_INPUT', field: i.path } });
          // the argument at fault; each problem's own place in the file follows
          throw new AppError('BAD_USER_INPUT', err.message, 'yaml');
        }
        throw err;
      }
    },
  },
};
