// Merges each domain's resolver map. A contract field whose issue has not landed answers
// NOT_IMPLEMENTED (after the role check), so nothing pretends to work.
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import type { Resolvers } from '../generated/resolvers.js';
import type { GqlContext } from '../context.js';
import { notImplemented } from '../../errors.js';
import { modelsResolvers } from './models.js';
import { authResolvers } from './auth.js';
import { monitorsResolvers } from './monitors.js';
import { alertsResolvers } from './alerts.js';
import { channelsResolvers } from './channels.js';
import { ingestResolvers } from './ingest.js';
import { metricsResolvers } from './metrics.js';
import { explanationsResolvers } from './explanations.js';
import { retentionResolvers } from './retention.js';
import { configResolvers } from './config.js';
import { serverResolvers } from './server.js';
import { versionsResolvers } from './versions.js';
import { segmentsResolvers } from './segments.js';

type AnyMap = Record<string, Record<string, unknown>>;

const DOMAINS: Resolvers[] = [
  modelsResolvers,
  authResolvers,
  monitorsResolvers,
  alertsResolvers,
  channelsResolvers,
  ingestResolvers,
  metricsResolvers,
  explanationsResolvers,
  retentionResolvers,
  configResolvers,
  serverResolvers,
  versionsResolvers,
  segmentsResolvers,
];

/** Every domain's resolvers in one map (a later domain may add fields to a type). */
export function mergeResolvers(): AnyMap {
  const out: AnyMap = { DateTime: DateTimeResolver as never, JSON: JSONResolver as never };
  for (const d of DOMAINS) {
    for (const [type, fields] of Object.entries(d as AnyMap)) {
      out[type] = { ...(out[type] ?? {}), ...fields };
    }
  }
  return out;
}

const INGEST_MUTATIONS = new Set(['logPredictions', 'logActuals', 'setBaseline', 'setBaselineFromWindow', 'setVersionBaseline']);

/** The role a not-yet-implemented root field needs before it says so (the contract's roles). */
const pendingRole = (type: string, field: string) =>
  type === 'Query' ? 'VIEWER' : INGEST_MUTATIONS.has(field) ? 'INGEST' : field.endsWith('ApiKey') ? 'ADMIN' : 'EDITOR';

/**
 * Adds a NOT_IMPLEMENTED resolver to every root field without one, and to every
 * object field that takes arguments or is listed as computed, so that no field
 * silently answers null for work that has not landed.
 */
export function fillPending(schema: GraphQLSchema, resolvers: AnyMap): AnyMap {
  const computed = new Set(['Model.baseline', 'Model.health', 'Model.monitors', 'Model.alerts', 'Model.storage']);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const root = type.name === 'Query' || type.name === 'Mutation';
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (resolvers[type.name]?.[field.name]) continue;
      if (!root && field.args.length === 0 && !computed.has(key)) continue;
      resolvers[type.name] = {
        ...(resolvers[type.name] ?? {}),
        [field.name]: (_p: unknown, _a: unknown, ctx: GqlContext) => {
          if (root) ctx.requireRole(pendingRole(type.name, field.name));
          throw notImplemented(key);
        },
      };
    }
  }
  return resolvers;
}
