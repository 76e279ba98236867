// Posting one alert notification to Slack, and what a failure means for the outbox.
// The first notification posts the alert message; later ones reply in its thread and
// redraw it with chat.update (the update first: it is idempotent, so a retry after a
// failed reply cannot post anything twice).
import { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import { alertMessage, alertThreadReply, type AlertView, type ThreadKind } from './blocks/alert.js';

export type SlackOutcome =
  | { ok: true; ref?: { channel: string; ts: string } }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

export interface SlackDelivery {
  /** alert.firing, alert.escalated, alert.reminder, alert.acknowledged, alert.snoozed, alert.resolved, test */
  type: string;
  /** channel id or #name from the SLACK channel */
  slackChannel: string;
  /** the alert as the notification describes it (null for a channel test) */
  alert: AlertView | null;
  /** the alert's current state for redrawing the message (defaults to `alert`) */
  current?: AlertView | null;
  /** the message the first delivery posted to this channel, if any */
  thread: { channel: string; ts: string } | null;
}

// Slack errors that say "try again later"; every other platform error is permanent
// (channel_not_found, not_in_channel, invalid_auth, is_archived, invalid_blocks, ...).
const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** Classifies a WebClient failure: rate limits and server or network trouble are retryable. */
export function classifySlackError(err: unknown): Extract<SlackOutcome, { ok: false }> {
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return { ok: false, retryable: true, reason: `ratelimited (Retry-After ${err.retryAfter} s)`, retryAfterMs: err.retryAfter * 1000 };
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = String(err.data.error);
    return { ok: false, retryable: TRANSIENT.has(code), reason: code };
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    return { ok: false, retryable: err.statusCode >= 500 || err.statusCode === 408, reason: `HTTP ${err.statusCode} from Slack` };
  }
  if (err instanceof webApi.WebAPIRequestError) {
    return { ok: false, retryable: true, reason: `network error: ${err.original.message}` };
  }
  return { ok: false, retryable: true, reason: err instanceof Error ? err.message : String(err) };
}

const THREAD_KIND: Record<string, ThreadKind> = {
  'alert.escalated': 'escalated',
  'alert.reminder': 'reminder',
  'alert.acknowledged': 'acknowledged',
  'alert.snoozed': 'snoozed',
  'alert.resolved': 'resolved',
};

// Shown in the channel as well as in the thread: the alert got worse, or is back.
const BROADCAST = new Set<ThreadKind>(['escalated', 'unsnoozed']);

// A redraw that cannot happen (message deleted, too old to edit) must not block the reply.
const UPDATE_GIVE_UP = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed', 'channel_not_found', 'not_in_channel']);

/** Delivers one notification; never throws. */
export async function deliverToSlack(client: webApi.WebClient, d: SlackDelivery, log: Logger): Promise<SlackOutcome> {
  try {
    if (d.type === 'test' || !d.alert) {
      const text = ':wave: Test notification from Glassbox: alerts for this channel will arrive here.';
      const r = await client.chat.postMessage({ channel: d.slackChannel, text });
      return { ok: true, ref: { channel: String(r.channel), ts: String(r.ts) } };
    }
    // "firing" again on an alert that already has a message is a snooze running out
    const kind = d.thread && d.type === 'alert.firing' ? 'unsnoozed' : THREAD_KIND[d.type];
    const current = d.current ?? d.alert;
    if (!d.thread || !kind) {
      // the first notification, or a later one whose original never made it: post it whole
      const msg = alertMessage(current);
      const r = await client.chat.postMessage({ channel: d.slackChannel, ...msg, unfurl_links: false });
      return { ok: true, ref: { channel: String(r.channel), ts: String(r.ts) } };
    }
    try {
      await client.chat.update({ channel: d.thread.channel, ts: d.thread.ts, ...alertMessage(current) });
    } catch (err) {
      const code = err instanceof webApi.WebAPIPlatformError ? String(err.data.error) : '';
      if (!UPDATE_GIVE_UP.has(code)) throw err;
      log.warn({ code, alertId: d.alert.id }, 'slack: could not redraw the alert message; replying in its thread anyway');
    }
    const reply = alertThreadReply(kind, d.alert);
    await client.chat.postMessage({
      channel: d.thread.channel,
      thread_ts: d.thread.ts,
      ...reply,
      reply_broadcast: BROADCAST.has(kind),
    });
    return { ok: true, ref: d.thread };
  } catch (err) {
    const outcome = classifySlackError(err);
    log.warn({ reason: outcome.reason, retryable: outcome.retryable, type: d.type, channel: d.slackChannel }, 'slack: delivery failed');
    return outcome;
  }
}
