// POST /v1/models/{name}/predictions | actuals | baseline: NDJSON bodies, streamed into
// the ingest service batch by batch (never buffered whole), answered with an IngestResult.
// `baseline?version=V` replaces that version's own baseline instead of the model's.
import { createGunzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { AppError, badInput } from '../errors.js';
import { NUL_PROBLEM, preview } from '../domain/input/text.js';
import { findModel, modelNotFound } from '../services/models.js';
import { IngestInterrupted, ingestNdjson, type IngestKind } from '../services/ingest.js';
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
  if (encoding === 'gzip') return gunzipped(req);
  throw badInput('Content-Encoding', `${preview(encoding)} is not supported; send identity or gzip`);
}

/**
 * The body decompressed. A body that is not gzip, corrupt or cut short is the client's
 * error (BAD_USER_INPUT on Content-Encoding). The request is piped, not pipelined, so
 * that a decompression error leaves the socket open for the answer.
 */
async function* gunzipped(req: Request): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  const gone = () => {
    if (!req.complete) gunzip.destroy(new Error('the client went away'));
  };
  req.once('close', gone);
  req.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      const why = code === 'Z_BUF_ERROR' ? 'it ends before the gzip stream does (truncated)' : `it is not valid gzip (${(err as Error).message})`;
      throw badInput('Content-Encoding', `the body was sent as gzip but ${why}`);
    }
    throw err;
  } finally {
    req.off('close', gone);
    req.unpipe(gunzip);
    gunzip.destroy();
  }
}

/** `?version=V` (baseline bodies: that version's own baseline), or undefined. */
function versionParam(req: Request): string | undefined {
  const v = req.query.version;
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badInput('version', 'give one version name: ?version=V');
  if (v.includes('\0')) throw badInput('version', NUL_PROBLEM);
  return v;
}

async function handle(ctx: RouteContext, kind: IngestKind, req: Request, res: Response): Promise<void> {
  const log = req.log ?? ctx.log;
  try {
    const actor = await ctx.requireRole(req, 'INGEST');
    const name = String(req.params.name);
    // such a name cannot be looked up in PostgreSQL (an error there, not "no such model")
    if (name.includes('\0')) throw badInput('name', NUL_PROBLEM);
    const model = await findModel(ctx.deps, name);
    if (!model) throw await modelNotFound(ctx.deps, name);
    if (!readableAs(req.header('content-type'))) {
      throw badInput('Content-Type', `${preview(req.header('content-type') ?? '')} is not NDJSON; send application/x-ndjson, one JSON object a line`);
    }
    const result = await ingestNdjson(ctx.deps, actor, model, kind, bodyOf(req), { via: 'ndjson', version: versionParam(req) });
    res.json(result);
  } catch (err) {
    if (req.destroyed && !req.complete) {
      log.info({ model: req.params.name, kind }, 'ingest cut off by the client; committed batches kept');
      return;
    }
    // the rest of an unread body is not worth draining
    if (!req.complete) res.setHeader('connection', 'close');
    if (err instanceof IngestInterrupted) {
      if (!(err.cause instanceof AppError)) log.error({ err: err.cause, committed: err.committed }, 'ingest failed midway; committed batches kept');
      sendError(res, err.toClientError(), log);
      return;
    }
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
