// The Express app: one port for GraphQL, REST ingest, Slack, health and metrics.
// express.json() is mounted on /graphql only: an app-wide parser would eat the raw body
// that Slack's signature check needs.
import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import { AppError, httpStatus, toAppError } from '../errors.js';
import type { Logger } from '../log.js';
import { buildContext, inLocalMode, resolveActor, type AppServices, type AuthSettings, type GqlContext } from '../graphql/context.js';
import { mountIde } from './ide.js';
import { mountConsole } from './console.js';
import { roleAllows, type Actor, type Deps, type Role } from '../services/deps.js';
import type { HttpMetrics } from './metrics.js';
import { guardDocuments } from '../graphql/query-guard.js';
import { forbidden, unauthenticated } from '../errors.js';
import { storeHealth } from '../services/instances.js';

export interface HttpParts {
  deps: Deps;
  services: AppServices;
  auth: AuthSettings;
  log: Logger;
  metrics: HttpMetrics;
  maxBodyBytes: number;
  apollo: ApolloServer<GqlContext>;
  /** GLASSBOX_IDE (undefined: the IDE in local mode only) */
  ide?: boolean | undefined;
}

/** What a REST route needs to check who is calling. */
export interface RouteContext {
  deps: Deps;
  services: AppServices;
  log: Logger;
  /** the caller, when its role allows `role`; rejects with UNAUTHENTICATED / FORBIDDEN otherwise */
  requireRole(req: Request, role: Role): Promise<Actor>;
}

/** A function that mounts more routes (ingest, Slack) on the app before the fallbacks. */
export type Mount = (app: Express, ctx: RouteContext) => void;

declare module 'express-serve-static-core' {
  interface Request {
    id?: string;
    log?: Logger;
  }
}

/** Sends an AppError as JSON with its HTTP status; hides internal causes. */
export function sendError(res: Response, err: unknown, log?: Logger, extra?: Record<string, unknown>): void {
  const e = toAppError(err);
  if (!(err instanceof AppError)) log?.error({ err }, 'internal error');
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(httpStatus(e.code)).json({ error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}), ...e.details, ...extra } });
}

/** Builds the app with every route; `mounts` add the routes of later modules. */
export function createHttpApp(parts: HttpParts, mounts: Mount[] = []): Express {
  const { deps, services, auth, log, metrics, apollo } = parts;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use((req, res, next) => {
    const given = req.header('x-request-id');
    req.id = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    req.log = log.child({ reqId: req.id });
    res.setHeader('x-request-id', req.id);
    next();
  });
  app.use(metrics.middleware);

  app.get('/healthz', async (_req, res) => {
    try {
      res.json({ status: 'ok', store: await storeHealth(deps) });
    } catch (err) {
      log.error({ err }, 'health check failed');
      res.status(503).json({ status: 'unavailable', store: deps.store.kind });
    }
  });

  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  const routeCtx: RouteContext = {
    deps,
    services,
    log,
    async requireRole(req, role) {
      const { actor, reason } = await resolveActor(deps, auth, req.header('authorization'));
      if (!actor) throw unauthenticated(reason);
      if (!roleAllows(actor.role, role)) throw forbidden(`this needs the ${role} role; the key "${actor.name}" has ${actor.role}`);
      return actor;
    },
  };
  for (const mount of mounts) mount(app, routeCtx);
  mountConsole(app);
  mountIde(app, { ide: parts.ide, localMode: () => inLocalMode(deps, auth) });

  app.use(
    '/graphql',
    express.json({ limit: parts.maxBodyBytes }),
    guardDocuments,
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        buildContext(deps, services, auth, req.header('authorization'), req.id ?? randomUUID(), req.log ?? log),
    }),
  );

  app.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } });
  });

  // body-parser errors (too large, malformed JSON) and anything a route let through
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string; limit?: number };
    if (e?.type === 'entity.too.large') {
      res.status(413).json({
        error: { code: 'BAD_USER_INPUT', message: `request body is larger than the limit of ${parts.maxBodyBytes} bytes (GLASSBOX_MAX_BODY); send fewer rows per request or use the NDJSON routes` },
      });
      return;
    }
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: `request body is not valid JSON: ${e.message}` } });
      return;
    }
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: 'BAD_USER_INPUT', message: e.message ?? 'bad request' } });
      return;
    }
    sendError(res, err, req.log ?? log);
  });
  return app;
}
