// Slack request signing, checked against OUR clock. Bolt's own check reads Date.now()
// and only refuses old timestamps; we check |now - ts| <= 5 min with the injected Clock
// (so tests with a fixed clock and production agree) and hand Bolt the verified raw body.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';

const MAX_AGE_SECONDS = 5 * 60;
const MAX_BODY_BYTES = 1024 * 1024;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Checks a Slack v0 signature and that the timestamp is within five minutes of `nowMs`. */
export function checkSlackSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  nowMs: number,
): SignatureCheck {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, reason: 'missing x-slack-signature or x-slack-request-timestamp' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'x-slack-request-timestamp is not a number' };
  const age = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp));
  if (age > MAX_AGE_SECONDS) return { ok: false, reason: `timestamp is ${age} s away from now (limit ${MAX_AGE_SECONDS} s)` };
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

function readRaw(req: Request, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Express middleware: 401 unless the request is signed with `secret` within five minutes
 * of `clock.now()`; on success sets `req.rawBody` (Bolt's ExpressReceiver parses that).
 */
export function verifySlackRequests(secret: string, clock: Clock, log: Logger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    let raw: Buffer | 'too-large';
    try {
      raw = await readRaw(req, MAX_BODY_BYTES);
    } catch (err) {
      log.warn({ err }, 'slack: could not read request body');
      res.status(400).end();
      return;
    }
    if (raw === 'too-large') {
      res.status(413).end();
      return;
    }
    const check = checkSlackSignature(
      secret,
      { signature: req.header('x-slack-signature'), timestamp: req.header('x-slack-request-timestamp') },
      raw.toString('utf8'),
      clock.now(),
    );
    if (!check.ok) {
      log.warn({ reason: check.reason }, 'slack: request refused');
      res.status(401).end();
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
}
