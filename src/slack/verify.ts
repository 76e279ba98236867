// Slack request signing, checked against OUR clock, and replays refused. Bolt's exported
// verifySlackRequest checks the HMAC (it takes the time as a parameter); before it we
// check what it does not: both headers present, a numeric timestamp, and |now - ts| <= 5
// min with the injected Clock (Bolt refuses only old timestamps, not future ones). A
// signature accepted once is refused after (the replay cache in the database), and every
// refusal is a 401 with a JSON reason.
import { verifySlackRequest } from '@slack/bolt';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import type { Deps } from '../services/deps.js';
import { firstSighting } from '../services/slack-seen.js';

export const MAX_AGE_SECONDS = 5 * 60;
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
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'x-slack-request-timestamp is not a number' };
  const age = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp));
  if (age > MAX_AGE_SECONDS) return { ok: false, reason: `timestamp is ${age} s away from now (limit ${MAX_AGE_SECONDS} s)` };
  try {
    verifySlackRequest({
      signingSecret: secret,
      body: rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      nowMilliseconds: nowMs,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: message.replace(/^Failed to verify authenticity: /, '') };
  }
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

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/**
 * Express middleware: 401 unless the request is signed with `secret` within five minutes
 * of the clock and its signature was never accepted before; on success sets `req.rawBody`
 * (Bolt's ExpressReceiver parses that).
 */
export function verifySlackRequests(secret: string, deps: Deps): RequestHandler {
  const { clock, log } = deps;
  return async (req: Request, res: Response, next: NextFunction) => {
    let raw: Buffer | 'too-large';
    try {
      raw = await readRaw(req, MAX_BODY_BYTES);
    } catch (err) {
      log.warn({ err }, 'slack: could not read request body');
      refuse(res, 400, 'BAD_USER_INPUT', 'the request body could not be read');
      return;
    }
    if (raw === 'too-large') {
      refuse(res, 413, 'BAD_USER_INPUT', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
      return;
    }
    const signature = req.header('x-slack-signature');
    const timestamp = req.header('x-slack-request-timestamp');
    const check = checkSlackSignature(secret, { signature, timestamp }, raw.toString('utf8'), clock.now());
    if (!check.ok) {
      log.warn({ reason: check.reason }, 'slack: request refused');
      refuse(res, 401, 'UNAUTHENTICATED', `Slack signature refused: ${check.reason}`);
      return;
    }
    // accepted while |now - ts| <= 5 min, so remembered until then
    if (!(await firstSighting(deps, `sig:${signature}`, (Number(timestamp) + MAX_AGE_SECONDS + 1) * 1000))) {
      log.warn('slack: replayed request refused (its signature was accepted before)');
      refuse(res, 401, 'UNAUTHENTICATED', 'Slack signature refused: this request was received before (a replay)');
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
}
