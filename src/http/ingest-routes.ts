// POST /v1/models/{name}/predictions | actuals | baseline: NDJSON bodies, streamed into
// the ingest service batch by batch (never buffered whole), answered with an IngestResult.
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { badInput, notFound } from '../errors.js';
import { findModel } from '../services/models.js';
import { ingestNdjson, type IngestKind } from '../services/ingest.js';
import { sendError, type Mount, type RouteContext } from './app.js';

const KINDS = new Set<IngestKind>(['predictions', 'actuals', 'baseline']);

/**
 * Content types we read as NDJSON. curl's default for --data-binary (form-urlencoded)
 * is accepted because that is what most first attempts send; types that name another
 * format (multipart, octet-stream, images, archives) are refused before reading.
 */
function readableAs(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type.includes('ndjson') ||
    type.includes('jsonl') ||
    type.includes('json-lines') ||
    type.includes('jsonlines') ||
    type === 'application/x-www-form-urlencoded'
  );
}

/** The body as chunks; leaving the loop early (a refused body) must not destroy the socket before the answer. */
function bodyOf(req: Request): AsyncIterable<Buffer> {
  const encoding = (req.header('content-encoding') ?? 'identity').toLowerCase();
  if (encoding === 'identity') return req.iterator({ destroyOnReturn: false });
  if (encoding === 'gzip') return pipeline(req, createGunzip(), () => undefined).iterator({ destroyOnReturn: false });
  throw badInput('Content-Encoding', `"${encoding}" is not supported; send identity or gzip`);
}

async function handle(ctx: RouteContext, kind: IngestKind, req: Request, res: Response): Promise<void> {
  const log = req.log ?? ctx.log;
  try {
    const actor = ctx.requireRole(req, 'INGEST');
    const name = String(req.params.name);
    const model = await findModel(ctx.deps, name);
    if (!model) throw notFound(`model "${name}"`);
    if (!readableAs(req.header('content-type'))) {
      throw badInput('Content-Type', `"${req.header('content-type')}" is not NDJSON; send application/x-ndjson, one JSON object a line`);
    }
    const result = await ingestNdjson(ctx.deps, actor, model, kind, bodyOf(req), { via: 'ndjson' });
    res.json(result);
  } catch (err) {
    if (req.destroyed && !req.complete) {
      log.info({ model: req.params.name, kind }, 'ingest cut off by the client; committed batches kept');
      return;
    }
    // the rest of an unread body is not worth draining
    if (!req.complete) res.setHeader('connection', 'close');
    sendError(res, err, log);
  }
}

/** Mounts the NDJSON ingest routes (they read the raw body, so no JSON parser runs before them). */
export const mountIngestRoutes: Mount = (app, ctx) => {
  app.post('/v1/models/:name/:kind', (req, res, next) => {
    const kind = String(req.params.kind) as IngestKind;
    if (!KINDS.has(kind)) {
      next();
      return;
    }
    void handle(ctx, kind, req, res);
  });
};
