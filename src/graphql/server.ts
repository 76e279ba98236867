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
import { boundArguments } from './input-limits.js';
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
  return boundArguments(makeExecutableSchema({ typeDefs, resolvers: fillPending(bare, resolvers) as never }));
}

/** JavaScript's own errors that mean the server broke (a stack overflow), whatever wraps them. */
const RUNTIME_ERRORS = [RangeError, ReferenceError, EvalError];

/** True when an error, or any error it wraps, is the server's own trouble rather than the client's. */
function internalCause(error: unknown): boolean {
  for (let e: unknown = error, hops = 0; e instanceof Error && hops < 10; hops++) {
    if (RUNTIME_ERRORS.some((k) => e instanceof k)) return true;
    e = e instanceof GraphQLError ? e.originalError : (e as { cause?: unknown }).cause;
  }
  return false;
}

const MAX_MESSAGE = 1000;
const MAX_QUOTED = 60;

/**
 * A message that quotes client input: each quoted run cut to its first 60 characters
 * (an unclosed one too), the whole at most 1,000. One pass, linear in the message.
 */
export function boundMessage(message: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = message.indexOf('"', from);
    if (open < 0 || out.length > MAX_MESSAGE) break;
    let close = open + 1;
    while (close < message.length && message.charCodeAt(close) !== 34) close += message.charCodeAt(close) === 92 ? 2 : 1;
    out += message.slice(from, open + 1);
    if (close - open - 1 > MAX_QUOTED) out += `${message.slice(open + 1, open + 1 + MAX_QUOTED)}..."`;
    else out += message.slice(open + 1, close + 1);
    from = close + 1;
  }
  if (from < message.length) out += message.slice(from);
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}... (message cut)` : out;
}

/** Maps an error to what the client sees: AppError as is, GraphQL's own, or a bland 500. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (internalCause(error)) {
    return { message: 'internal error (see the server log)', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  if (original instanceof AppError) {
    return {
      message: boundMessage(original.message),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
    };
  }
  const code = formatted.extensions?.code;
  if (original === undefined || original instanceof GraphQLError || (code && code !== 'INTERNAL_SERVER_ERROR')) {
    // parse, validation, variable coercion and armor errors: the client's, shown as they are
    return { message: boundMessage(formatted.message), locations: formatted.locations, path: formatted.path, extensions: { code: code ?? 'BAD_USER_INPUT' } };
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

/** Tokens a document may have (a syntax error beyond). */
export const MAX_TOKENS = 4000;

/** A started Apollo server with depth, cost, alias and token limits. */
export async function startApollo(opts: GraphqlOptions): Promise<ApolloServer<GqlContext>> {
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    costLimit: { maxCost: 20000 },
    maxAliases: { n: 30 },
    // the token limit is graphql-js's own (parseOptions below): armor's parses the document
    // a second time in a plugin hook, and its errors (a syntax error too) became HTTP 500s
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: !opts.introspection },
  });
  const protection = armor.protect();
  const server = new ApolloServer<GqlContext>({
    schema: buildSchema(),
    introspection: opts.introspection,
    formatError,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_TOKENS },
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
