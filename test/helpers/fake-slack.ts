// A local stand-in for Slack's Web API (POST /api/<method>), for the upload URLs that
// files.getUploadURLExternal hands out (POST /upload/<file id>, recorded as `file_upload`
// with the bytes) and for response_url callbacks (POST anything else). It records every call, answers like Slack does, can be
// told to fail a method, and resolves waiters when a matching call arrives, so tests wait
// on promises instead of sleeping.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  /** Web API method (`chat.postMessage`), `file_upload` for bytes sent to an upload URL, or `response_url` for a respond() callback */
  method: string;
  /** request path, e.g. /api/chat.update or /respond/1 */
  path: string;
  /** fields, with JSON-looking strings (blocks, attachments) parsed */
  args: Record<string, any>;
  token: string | undefined;
  /** what the fake answered: the JSON body, or the HTTP status of a scripted failure */
  response: Record<string, any>;
  /** the raw body of a `file_upload` */
  bytes?: Buffer;
}

/** How a method should fail: a Slack error (200 ok:false), a rate limit (429), or an HTTP status. */
export type SlackFailure =
  | { error: 'ratelimited'; retryAfter: number }
  | { error: string }
  | { status: number };

interface Waiter {
  method: string;
  where: (c: SlackCall) => boolean;
  count: number;
  resolve: (c: SlackCall) => void;
  timer: NodeJS.Timeout;
}

export interface FakeSlack {
  /** base of the Web API, for SLACK_API_URL (ends with /api/) */
  apiUrl: string;
  /** base for response_url values, e.g. `${respondUrl}/cmd-1` */
  respondUrl: string;
  calls: SlackCall[];
  /** recorded calls of one method, oldest first */
  callsTo(method: string): SlackCall[];
  /** resolves with the `count`-th recorded call (already or later) of `method` matching `where` */
  waitFor(method: string, where?: (c: SlackCall) => boolean, count?: number): Promise<SlackCall>;
  /** the next `times` calls of `method` fail as described */
  fail(method: string, failure: SlackFailure, times?: number): void;
  /** forget recorded calls and pending failures */
  reset(): void;
  stop(): Promise<void>;
}

export const FAKE_BOT = { teamId: 'T0GLASS', userId: 'UBOT0001', botId: 'B0GLASS' };

/** Parses a form-encoded or JSON body into fields, JSON-stringified objects included. */
function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const t = v.trim();
    if ((t.startsWith('[') && t.endsWith(']')) || (t.startsWith('{') && t.endsWith('}'))) {
      try {
        out[k] = JSON.parse(t);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    out[k] = v;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the fake on an ephemeral port of 127.0.0.1. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const failures = new Map<string, SlackFailure[]>();
  let waiters: Waiter[] = [];
  let tsCounter = 0;
  let fileCounter = 0;
  let base = '';
  const channelIds = new Map<string, string>();

  const channelId = (name: unknown): string => {
    const s = String(name ?? '');
    if (/^[CDG][A-Z0-9]+$/.test(s)) return s;
    let id = channelIds.get(s);
    if (!id) {
      id = `C${String(channelIds.size + 1).padStart(8, '0')}`;
      channelIds.set(s, id);
    }
    return id;
  };
  const nextTs = () => `1700000000.${String(++tsCounter).padStart(6, '0')}`;

  function answer(method: string, a: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://glassbox-test.slack.com/', team: 'Glassbox Test', user: 'glassbox', team_id: FAKE_BOT.teamId, user_id: FAKE_BOT.userId, bot_id: FAKE_BOT.botId };
      case 'chat.postMessage': {
        const ts = nextTs();
        return { ok: true, channel: channelId(a.channel), ts, message: { type: 'message', text: a.text, ts, thread_ts: a.thread_ts, bot_id: FAKE_BOT.botId } };
      }
      case 'chat.update':
        return { ok: true, channel: channelId(a.channel), ts: a.ts, text: a.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'users.info':
        return { ok: true, user: { id: a.user, name: `user-${String(a.user).toLowerCase()}`, real_name: `User ${a.user}`, tz: 'UTC' } };
      case 'files.getUploadURLExternal': {
        const id = `F${String(++fileCounter).padStart(8, '0')}`;
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (Array.isArray(a.files) ? a.files : []).map((f: { id: string; title?: string }) => ({ id: f.id, title: f.title ?? null })) };
      case 'conversations.info':
        return { ok: true, channel: { id: channelId(a.channel), name: String(a.channel).replace(/^#/, ''), is_member: true } };
      default:
        return { ok: true };
    }
  }

  function settleWaiters(): void {
    waiters = waiters.filter((w) => {
      const matching = calls.filter((c) => c.method === w.method && w.where(c));
      const hit = matching[w.count - 1];
      if (!hit) return true;
      clearTimeout(w.timer);
      w.resolve(hit);
      return false;
    });
  }

  const server: Server = createServer(async (req, res) => {
    const bytes = await readBody(req);
    const path = req.url ?? '/';
    const isApi = path.startsWith('/api/');
    const isUpload = path.startsWith('/upload/');
    const method = isApi ? path.slice('/api/'.length).split('?')[0]! : isUpload ? 'file_upload' : 'response_url';
    let args: Record<string, any>;
    try {
      args = isUpload ? { fileId: path.slice('/upload/'.length), contentType: req.headers['content-type'] } : parseBody(bytes.toString('utf8'), req.headers['content-type']);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    const failure = failures.get(method)?.shift();
    let status = 200;
    let headers: Record<string, string> = { 'content-type': 'application/json' };
    let body: Record<string, any>;
    if (!failure) body = isApi ? answer(method, args) : { ok: true };
    else if ('status' in failure) body = { status: (status = failure.status) };
    else if ('retryAfter' in failure) {
      status = 429;
      headers = { ...headers, 'retry-after': String(failure.retryAfter) };
      body = { ok: false, error: 'ratelimited' };
    } else body = { ok: false, error: failure.error };
    calls.push({ method, path, args, token, response: body, ...(isUpload ? { bytes } : {}) });
    settleWaiters();
    if (failure && 'status' in failure) res.writeHead(status, { 'content-type': 'text/plain' }).end('upstream trouble');
    else res.writeHead(status, headers).end(JSON.stringify(body));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    respondUrl: `${base}/respond`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor(method, where = () => true, count = 1) {
      return new Promise<SlackCall>((resolve, reject) => {
        // A bound, not a sleep: a call that never comes fails the test with what did come.
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.timer !== timer);
          const seen = calls.map((c) => c.method).join(', ') || 'none';
          reject(new Error(`fake Slack: no ${method} call #${count} matching within 20 s (calls so far: ${seen})`));
        }, 20_000);
        waiters.push({ method, where, count, resolve, timer });
        settleWaiters();
      });
    },
    fail(method, failure, times = 1) {
      const q = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) q.push(failure);
      failures.set(method, q);
    },
    reset() {
      calls.length = 0;
      failures.clear();
    },
    stop() {
      for (const w of waiters) clearTimeout(w.timer);
      waiters = [];
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
