// The WEBHOOK notifier: POSTs the contract's JSON body, signed with the channel's secret
// (X-Glassbox-Signature: sha256=<hex HMAC-SHA256 of the raw body>). Any 2xx confirms.
// Timeouts, network errors, 408, 429 and 5xx may succeed later (retryable, honouring
// Retry-After); any other answer will not, so it is recorded as failed with its reason.
import { createHmac } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { DeliveryOutcome, Notification, Notifier } from '../services/notifier.js';
import { webhookOf } from '../services/channel-kinds/webhook.js';

export interface WebhookOptions {
  clock: Clock;
  /** default 10 s */
  timeoutMs?: number;
  /** default: the global fetch */
  fetch?: typeof fetch;
}

/** `sha256=<hex>` of the body under `secret`: what X-Glassbox-Signature carries. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Retry-After as milliseconds from now (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function snippet(res: Response): Promise<string> {
  try {
    const text = (await res.text()).replace(/\s+/g, ' ').trim();
    return text ? `: ${text.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

/** A Notifier for WEBHOOK channels. */
export function createWebhookNotifier(opts: WebhookOptions): Notifier {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const doFetch = opts.fetch ?? fetch;
  return {
    kind: 'WEBHOOK',
    async deliver(n: Notification): Promise<DeliveryOutcome> {
      const hook = webhookOf(n.channel.config);
      if (!hook.url) return { ok: false, retryable: false, reason: `channel ${n.channel.name} has no webhookUrl` };
      // fetch refuses a URL with credentials: they travel as Basic authorization instead
      const target = new URL(hook.url);
      const basic = target.username || target.password ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` : null;
      target.username = '';
      target.password = '';
      const url = target.toString();
      const host = target.host;
      const body = JSON.stringify(n.payload);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'Glassbox-Webhook/1',
        'x-glassbox-idempotency-key': n.idempotencyKey,
      };
      if (hook.secret) headers['x-glassbox-signature'] = signBody(hook.secret, body);
      if (basic !== null) headers.authorization = `Basic ${Buffer.from(basic, 'utf8').toString('base64')}`;
      let res: Response;
      try {
        res = await doFetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          return { ok: false, retryable: true, reason: `${host} did not answer within ${timeoutMs / 1000} s` };
        }
        return { ok: false, retryable: true, reason: `could not reach ${host}: ${e.cause?.code ?? e.cause?.message ?? e.message}` };
      }
      if (res.status >= 200 && res.status < 300) {
        // Confirmed: hand the outcome back at once, so the outbox records it before any
        // more I/O (the body is not awaited); a crash after that point repeats nothing.
        void res.body?.cancel().catch(() => undefined);
        return { ok: true };
      }
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), opts.clock.now());
      const reason = `${host} answered HTTP ${res.status}${await snippet(res)}`;
      if (res.status === 408 || res.status === 429 || res.status >= 500) {
        return { ok: false, retryable: true, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
      }
      return { ok: false, retryable: false, reason: res.status >= 300 && res.status < 400 ? `${reason} (redirects are not followed; use the final URL)` : reason };
    },
  };
}
