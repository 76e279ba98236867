// GET /v1/models/{name}/report?from=…&to=…: the governance report (VIEWER, or local mode)
// as one HTML document. The policy forbids every script and outside fetch, so a name
// that slipped through escaping still could not run or call home.
import type { Request, Response } from 'express';
import { badInput } from '../errors.js';
import { parseInstant } from '../domain/ingest/timestamp.js';
import { NUL_PROBLEM, preview } from '../domain/input/text.js';
import { renderReport } from '../report/render-report.js';
import { REPORT_DEFAULT_MS, reportData } from '../services/report.js';
import { sendError, type Mount, type RouteContext } from './app.js';

const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** An ISO-8601 instant from the query string, or undefined when absent; BAD_USER_INPUT naming `name` otherwise. */
function instant(req: Request, name: 'from' | 'to'): number | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badInput(name, 'give it once, as an ISO-8601 instant such as 2026-01-31T00:00:00Z');
  const t = parseInstant(v);
  if (t === null) throw badInput(name, `${preview(v)} is not an ISO-8601 instant with a zone, such as 2026-01-31T00:00:00Z`);
  return t;
}

async function handle(ctx: RouteContext, req: Request, res: Response): Promise<void> {
  try {
    await ctx.requireRole(req, 'VIEWER');
    const name = String(req.params.name);
    if (name.includes('\0')) throw badInput('name', NUL_PROBLEM);
    const from = instant(req, 'from');
    const givenTo = instant(req, 'to');
    const to = givenTo ?? ctx.deps.clock.now();
    if (givenTo === undefined && from !== undefined && from >= to) throw badInput('from', `must be earlier than now (${new Date(to).toISOString()}) when to is not given`);
    const data = await reportData(ctx.deps, name, from ?? to - REPORT_DEFAULT_MS, to);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('content-security-policy', POLICY);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    res.send(renderReport(data));
  } catch (err) {
    sendError(res, err, req.log ?? ctx.log);
  }
}

/** Mounts the report route. */
export const mountReportRoute: Mount = (app, ctx) => {
  app.get('/v1/models/:name/report', (req, res) => void handle(ctx, req, res));
};
