// API keys and the audit log.
import type { Resolvers } from '../generated/resolvers.js';
import { badInput } from '../../errors.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/keys.js';
import { listAudit } from '../../services/audit.js';

/** Our ids are integers; a GraphQL ID that is not one is the caller's mistake. */
export function parseId(id: string, field = 'id'): number {
  if (!/^\d{1,15}$/.test(id)) throw badInput(field, `"${id}" is not a valid id`);
  return Number(id);
}

export const authResolvers: Resolvers = {
  Query: {
    me: (_p, _a, ctx) => ({ ...ctx.requireRole('VIEWER'), localMode: ctx.localMode }),
    auditLog: (_p, { limit }, ctx) => {
      ctx.requireRole('VIEWER');
      if (limit !== null && limit !== undefined && (limit < 1 || limit > 1000)) throw badInput('limit', 'must be between 1 and 1000');
      return listAudit(ctx.deps, limit ?? 100);
    },
    apiKeys: (_p, _a, ctx) => {
      ctx.requireRole('ADMIN');
      return listApiKeys(ctx.deps);
    },
  },
  Mutation: {
    createApiKey: (_p, { name, role }, ctx) => createApiKey(ctx.deps, ctx.requireRole('ADMIN'), name, role),
    revokeApiKey: (_p, { id }, ctx) => {
      const actor = ctx.requireRole('ADMIN');
      return revokeApiKey(ctx.deps, actor, parseId(id));
    },
  },
  ApiKey: {
    id: (k) => String(k.id),
  },
  AuditEntry: {
    details: (e) => e.details ?? null,
  },
};
