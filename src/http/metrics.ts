// The server's own Prometheus metrics: process defaults, HTTP requests per route, and
// GraphQL operations by root field. One registry per server, so tests can run several.
// Every label value comes from a set the server defines (routes, schema fields, status
// codes), never from what a client writes: an unauthenticated client that invents names
// must not grow /metrics (each new label value is a new series, kept forever).
import { Registry, Counter, Histogram, collectDefaultMetrics } from 'prom-client';
import type { RequestHandler } from 'express';

export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
  /** `fields`: the operation's root fields as the schema names them (see operationLabels) */
  observeOperation(fields: readonly string[], outcome: 'ok' | 'error', seconds: number): void;
}

/** A fresh registry with the metrics Glassbox exposes at /metrics. */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'glassbox_' });
  const requests = new Counter({
    name: 'glassbox_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'glassbox_http_request_duration_seconds',
    help: 'HTTP request durations by route',
    labelNames: ['route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'glassbox_graphql_operations_total',
    help: 'GraphQL operations by root field (invalid: not parsed or not valid) and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const opDurations = new Histogram({
    name: 'glassbox_graphql_operation_duration_seconds',
    help: 'GraphQL operation durations by root field',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // the matched route pattern, never the raw path: model names must not explode label cardinality
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : routeOf(req.baseUrl || req.path);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      requests.inc({ route, method: req.method, status: String(res.statusCode) });
      durations.observe({ route, method: req.method }, seconds);
    });
    next();
  };
  return {
    registry,
    middleware,
    observeOperation(fields, outcome, seconds) {
      for (const operation of fields.length ? fields : ['invalid']) {
        operations.inc({ operation, outcome });
        opDurations.observe({ operation }, seconds);
      }
    },
  };
}

const KNOWN = ['/graphql', '/slack/events', '/healthz', '/metrics'];
const INGEST_KINDS = ['predictions', 'actuals', 'baseline'];

/** A path no route matched, as one of a fixed set of labels. */
function routeOf(path: string): string {
  if (KNOWN.includes(path)) return path;
  const parts = path.split('/');
  if (path.startsWith('/v1/models/') && parts.length === 5 && INGEST_KINDS.includes(parts[4]!)) return `/v1/models/:name/${parts[4]}`;
  return 'other';
}
