// Builds requests to /slack/events exactly as Slack signs them:
// x-slack-signature = v0=hex(HMAC-SHA256(secret, `v0:${ts}:${rawBody}`)),
// x-slack-request-timestamp = ts (seconds). Slash commands and block_actions are
// form-encoded (actions as `payload=<json>`); events are JSON.
import { createHmac } from 'node:crypto';

export interface SlackRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  /** seconds since the epoch; give the server clock's now to be fresh */
  ts: number;
  /** sign with another secret (a forgery) */
  secret?: string;
}

export const TEST_TEAM = { id: 'T0GLASS', domain: 'glassbox-test' };

/** The v0 signature of `body` at `ts` with `secret`. */
export function slackSignature(secret: string, ts: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

function signed(secret: string, body: string, contentType: string, opts: SignOptions): SlackRequest {
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(opts.ts),
      'x-slack-signature': slackSignature(opts.secret ?? secret, opts.ts, body),
    },
  };
}

export interface SlashCommandFields {
  text: string;
  userId?: string;
  channelId?: string;
  responseUrl: string;
  triggerId?: string;
}

/** A `/glassbox <text>` slash command, form-encoded as Slack sends it. */
export function slashCommand(secret: string, f: SlashCommandFields, opts: SignOptions): SlackRequest {
  const form = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: TEST_TEAM.id,
    team_domain: TEST_TEAM.domain,
    channel_id: f.channelId ?? 'C0ONCALL',
    channel_name: 'oncall',
    user_id: f.userId ?? 'U0ALICE',
    user_name: 'alice',
    command: '/glassbox',
    text: f.text,
    api_app_id: 'A0GLASS',
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId ?? '1337.42.abcdef',
  });
  return signed(secret, form.toString(), 'application/x-www-form-urlencoded', opts);
}

export interface ButtonPress {
  actionId: string;
  /** button value, or the selected option's value for a static select */
  value: string;
  /** set for a static_select / overflow press */
  selectType?: 'static_select' | 'overflow';
  userId?: string;
  channelId: string;
  messageTs: string;
  responseUrl: string;
  blockId?: string;
  /** the action's action_ts; default `<ts>.000200` (one press per control per second) */
  actionTs?: string;
}

/** A `block_actions` interaction, form-encoded with `payload=<json>`. */
export function blockAction(secret: string, p: ButtonPress, opts: SignOptions): SlackRequest {
  const action =
    p.selectType === undefined
      ? { type: 'button', action_id: p.actionId, block_id: p.blockId ?? 'alert_actions', value: p.value, action_ts: p.actionTs ?? `${opts.ts}.000200` }
      : {
          type: p.selectType,
          action_id: p.actionId,
          block_id: p.blockId ?? 'alert_actions',
          selected_option: { text: { type: 'plain_text', text: p.value }, value: p.value },
          action_ts: p.actionTs ?? `${opts.ts}.000200`,
        };
  const payload = {
    type: 'block_actions',
    user: { id: p.userId ?? 'U0ALICE', username: 'alice', name: 'alice', team_id: TEST_TEAM.id },
    api_app_id: 'A0GLASS',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: p.messageTs, channel_id: p.channelId, is_ephemeral: false },
    trigger_id: '1337.43.abcdef',
    team: { id: TEST_TEAM.id, domain: TEST_TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: p.channelId, name: 'oncall' },
    message: { type: 'message', ts: p.messageTs, text: 'alert', bot_id: 'B0GLASS' },
    response_url: p.responseUrl,
    actions: [action],
  };
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return signed(secret, form.toString(), 'application/x-www-form-urlencoded', opts);
}

export interface MentionFields {
  text: string;
  userId?: string;
  channelId?: string;
  ts: string;
  threadTs?: string;
  botUserId: string;
}

/** An `app_mention` event_callback, JSON as Slack sends it. */
export function appMention(secret: string, m: MentionFields, opts: SignOptions): SlackRequest {
  const event = {
    type: 'app_mention',
    user: m.userId ?? 'U0ALICE',
    text: `<@${m.botUserId}> ${m.text}`,
    ts: m.ts,
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    channel: m.channelId ?? 'C0ONCALL',
    event_ts: m.ts,
  };
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: TEST_TEAM.id,
    api_app_id: 'A0GLASS',
    event,
    type: 'event_callback',
    event_id: `Ev${m.ts.replace('.', '')}`,
    event_time: opts.ts,
    authorizations: [{ enterprise_id: null, team_id: TEST_TEAM.id, user_id: m.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
  return signed(secret, body, 'application/json', opts);
}

/** The `url_verification` handshake Slack sends when a Request URL is saved. */
export function urlVerification(secret: string, challenge: string, opts: SignOptions): SlackRequest {
  const body = JSON.stringify({ token: 'deprecated-verification-token', challenge, type: 'url_verification' });
  return signed(secret, body, 'application/json', opts);
}

/** POSTs a signed request to `${baseUrl}/slack/events`. */
export async function sendToSlackEndpoint(baseUrl: string, req: SlackRequest): Promise<Response> {
  return fetch(`${baseUrl}/slack/events`, { method: 'POST', headers: req.headers, body: req.body });
}
