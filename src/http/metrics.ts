// The server's own Prometheus metrics: process defaults, HTTP requests per route, and
// GraphQL operations by name. One registry per server, so tests can run several.
import { Registry, Counter, Histogram, collectDefaultMetrics } from 'prom-client';
import type { RequestHandler } from 'express';

export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
  observeOperation(name: string, outcome: 'ok' | 'error', seconds: number): void;
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
    help: 'GraphQL operations by operation name and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const opDurations = new Histogram({
    name: 'glassbox_graphql_operation_duration_seconds',
    help: 'GraphQL operation durations by operation name',
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
    observeOperation(name, outcome, seconds) {
      operations.inc({ operation: name, outcome });
      opDurations.observe({ operation: name }, seconds);
    },
  };
}

const KNOWN = ['/graphql', '/slack/events', '/healthz', '/metrics'];

function routeOf(path: string): string {
  if (KNOWN.includes(path)) return path;
  if (path.startsWith('/v1/models/')) return '/v1/models/:name/' + (path.split('/')[4] ?? '');
  return 'other';
}
