// The Apollo server: schema-first SDL from schema/, typed resolvers, armor limits,
// one error mapping, and per-operation metrics.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { GqlContext } from './context.js';
import { fillPending, mergeResolvers } from './resolvers/index.js';
import type { HttpMetrics } from '../http/metrics.js';
import { rootFields } from './operation-fields.js';

export const SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');
export const VERSION = '0.1.0';

/** The SDL of every schema/*.graphql file, base first. */
export function loadTypeDefs(dir = SCHEMA_DIR): string[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)));
  return files.map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** The executable schema with every resolver, pending fields answering NOT_IMPLEMENTED. */
export function buildSchema(): GraphQLSchema {
  const typeDefs = loadTypeDefs();
  const resolvers = mergeResolvers();
  (resolvers.Query ??= {}).version = () => VERSION;
  const bare = makeExecutableSchema({ typeDefs, resolvers: resolvers as never });
  return makeExecutableSchema({ typeDefs, resolvers: fillPending(bare, resolvers) as never });
}

/** Maps an error to what the client sees: AppError as is, GraphQL's own, or a bland 500. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof AppError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
    };
  }
  const code = formatted.extensions?.code;
  if (original === undefined || original instanceof GraphQLError || (code && code !== 'INTERNAL_SERVER_ERROR')) {
    // parse, validation, variable coercion and armor errors: the client's, shown as they are
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: code ?? 'BAD_USER_INPUT' } };
  }
  return { message: 'internal error (see the server log)', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** Logs internal errors with the request id, and counts operations for /metrics. */
function observe(metrics: HttpMetrics, log: Logger): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      // set once the operation parsed and validated; until then it is labelled "invalid"
      let fields: string[] = [];
      return {
        async didResolveOperation({ operation, document }) {
          if (operation) fields = rootFields(operation, document);
        },
        async didEncounterErrors({ errors }) {
          for (const e of errors) {
            const original = e.originalError;
            if (original && !(original instanceof AppError) && !(original instanceof GraphQLError)) {
              (contextValue.log ?? log).error({ err: original, reqId: contextValue.reqId, path: e.path }, 'internal error in a resolver');
            }
          }
        },
        async willSendResponse({ errors, response }) {
          const notes = contextValue.notes ?? [];
          if (notes.length && response.body.kind === 'single') {
            const body = response.body.singleResult;
            body.errors = [...(body.errors ?? []), ...notes];
          }
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.observeOperation(fields, errors?.length ? 'error' : 'ok', seconds);
        },
      };
    },
  };
}

export interface GraphqlOptions {
  introspection: boolean;
  metrics: HttpMetrics;
  log: Logger;
}

/** A started Apollo server with depth, cost, alias and token limits. */
export async function startApollo(opts: GraphqlOptions): Promise<ApolloServer<GqlContext>> {
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    costLimit: { maxCost: 20000 },
    maxAliases: { n: 30 },
    maxTokens: { n: 4000 },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: !opts.introspection },
  });
  const protection = armor.protect();
  const server = new ApolloServer<GqlContext>({
    schema: buildSchema(),
    introspection: opts.introspection,
    formatError,
    includeStacktraceInErrorResponses: false,
    validationRules: protection.validationRules,
    plugins: [
      ...(protection.plugins as unknown as ApolloServerPlugin<GqlContext>[]),
      observe(opts.metrics, opts.log),
      opts.introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
    ],
  });
  await server.start();
  return server;
}
