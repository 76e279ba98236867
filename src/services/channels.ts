// Notification channels: a Slack channel or a webhook. Secrets are stored for signing and
// never returned or audited.
import { randomUUID } from 'node:crypto';
import { badInput, conflict, notFound } from '../errors.js';
import type { ChannelRecord, ChannelValues } from '../domain/monitoring/channel.js';
import type { Notifiers, WebhookBody } from '../domain/monitoring/notification.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';

export type { ChannelRecord, ChannelValues };

export interface CreateChannelArgs {
  name: string;
  kind: string;
  slackChannel?: string | null;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._#-]{0,63}$/;
const SLACK_CHANNEL = /^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$/;

/** Checks a CreateChannelInput (fields named under `prefix`); the row's values, secret included. */
export function checkChannel(input: CreateChannelArgs, prefix = 'input'): ChannelValues {
  const name = (input.name ?? '').trim();
  if (!NAME.test(name)) throw badInput(`${prefix}.name`, `"${input.name}" is not a valid channel name: 1-64 letters, digits, '.', '_', '#' or '-'`);
  if (input.kind === 'SLACK') {
    const sc = (input.slackChannel ?? '').trim();
    if (!sc) throw badInput(`${prefix}.slackChannel`, 'a SLACK channel needs slackChannel: the channel id (C0123ABCD) or #name the bot posts to');
    if (!SLACK_CHANNEL.test(sc)) throw badInput(`${prefix}.slackChannel`, `"${sc}" is neither a Slack channel id (C0123ABCD) nor a #channel-name`);
    if (input.webhookUrl) throw badInput(`${prefix}.webhookUrl`, 'applies to WEBHOOK channels only');
    if (input.webhookSecret) throw badInput(`${prefix}.webhookSecret`, 'applies to WEBHOOK channels only');
    return { name, kind: 'SLACK', slackChannel: sc, webhookUrl: null, webhookSecret: null };
  }
  if (input.kind === 'WEBHOOK') {
    const raw = (input.webhookUrl ?? '').trim();
    if (!raw) throw badInput(`${prefix}.webhookUrl`, 'a WEBHOOK channel needs webhookUrl, an http(s) URL');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw badInput(`${prefix}.webhookUrl`, `"${raw}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(`${prefix}.webhookUrl`, `must be http or https, got ${url.protocol}`);
    if (input.slackChannel) throw badInput(`${prefix}.slackChannel`, 'applies to SLACK channels only');
    const secret = input.webhookSecret ?? null;
    if (secret !== null && secret.length < 8) throw badInput(`${prefix}.webhookSecret`, 'must be at least 8 characters (or left out to send unsigned)');
    return { name, kind: 'WEBHOOK', slackChannel: null, webhookUrl: url.toString(), webhookSecret: secret };
  }
  throw badInput(`${prefix}.kind`, 'must be SLACK or WEBHOOK');
}

/** Creates a channel; CONFLICT when the name is taken; audited without the secret. */
export async function createChannel(deps: Deps, actor: Actor, input: CreateChannelArgs): Promise<ChannelRecord> {
  const values = checkChannel(input);
  const now = deps.clock.now();
  const { channels } = deps.store;
  return deps.store.transaction(async () => {
    if (await channels.target({ name: values.name })) throw conflict(`a channel named "${values.name}" already exists`, 'input.name');
    const created = await channels.create(values, now);
    // recordAudit redacts the URL and the secret (when one was given)
    recordAudit(deps.store.db, now, actor, 'createChannel', `channel:${created.name}`, input);
    return created;
  });
}

/**
 * Deletes a channel and its delivery history. CONFLICT while a monitor still notifies it:
 * silently dropping a monitor's only channel would turn its alerts into missed alerts.
 */
export async function deleteChannel(deps: Deps, actor: Actor, name: string): Promise<boolean> {
  const now = deps.clock.now();
  const { channels } = deps.store;
  return deps.store.transaction(async () => {
    const row = await channels.target({ name });
    if (!row) throw notFound(`channel "${name}"`);
    const users = await channels.usersOf(row.id);
    if (users.length) {
      const list = users.map((u) => `${u.name} (id ${u.id})`).join(', ');
      throw conflict(`channel "${name}" is used by monitors ${list}; remove it from them (updateMonitor channels) first`, 'name');
    }
    await channels.delete(row.id);
    recordAudit(deps.store.db, now, actor, 'deleteChannel', `channel:${name}`);
    return true;
  });
}

/** Every channel, by name. */
export function listChannels(deps: Deps): Promise<ChannelRecord[]> {
  return deps.store.channels.list();
}

/** The channel with that id, or null. */
export function getChannel(deps: Deps, id: number): Promise<ChannelRecord | null> {
  return deps.store.channels.get(id);
}

/** A channel test's outcome: confirmed, or why not (safe to show: a host, a status, Slack's error code). */
export type TestOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Sends a `test` notification now, straight through the channel kind's notifier, and
 * records it as a delivery. Says whether the channel confirmed it, and why not; NOT_FOUND
 * for an unknown channel. Never retried: the caller is watching and can press again.
 */
export async function testChannel(deps: Deps, actor: Actor, notifiers: Notifiers, name: string): Promise<TestOutcome> {
  const { channels, outbox } = deps.store;
  const channel = await channels.target({ name });
  if (!channel) throw notFound(`channel "${name}"`);
  const now = deps.clock.now();
  const idempotencyKey = `glassbox-test-${randomUUID()}`;
  const payload: WebhookBody = { type: 'test', idempotencyKey, alert: null };
  const deliveryId = await deps.store.transaction(async () => {
    recordAudit(deps.store.db, now, actor, 'testChannel', `channel:${name}`);
    return outbox.insertClaimed({ alertId: null, channelId: channel.id, type: 'test', idempotencyKey, payload, createdAt: now });
  });
  const notifier = notifiers[channel.kind];
  let ok = false;
  let reason: string | null = null;
  let ref: { channel: string; ts: string } | undefined;
  if (!notifier) {
    reason = `no ${channel.kind} notifier is configured on this server`;
  } else {
    try {
      const out = await notifier.deliver({ type: 'test', idempotencyKey, channel, payload, current: null, attempt: 1 });
      if (out.ok) {
        ok = true;
        ref = out.ref;
      } else reason = out.reason;
    } catch (err) {
      deps.log.error({ err, channel: name }, 'test notification failed');
      reason = 'the notifier failed (see the server log)';
    }
  }
  if (!ok) deps.log.warn({ channel: name, reason }, 'test notification not confirmed');
  const done = deps.clock.now();
  if (ok) await outbox.confirm(deliveryId, done, ref);
  else await outbox.fail(deliveryId, reason ?? 'not confirmed');
  return ok ? { ok: true } : { ok: false, reason: reason ?? 'not confirmed' };
}
