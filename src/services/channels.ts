// Notification channels: a Slack channel or a webhook. Secrets are stored for signing and
// never returned or audited.
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { channels, deliveries, monitorChannels, monitors } from '../db/schema/index.js';
import { badInput, conflict, notFound } from '../errors.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import type { ChannelKind, ChannelTarget, Notifiers, WebhookBody } from './notifier.js';

export interface ChannelRecord {
  id: number;
  name: string;
  kind: ChannelKind;
  slackChannel: string | null;
  webhookUrl: string | null;
  createdAt: number;
}

export interface CreateChannelArgs {
  name: string;
  kind: string;
  slackChannel?: string | null;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
}

type Row = typeof channels.$inferSelect;

/** A channels row without its secret. */
export function toChannelRecord(r: Row): ChannelRecord {
  return { id: r.id, name: r.name, kind: r.kind as ChannelKind, slackChannel: r.slackChannel, webhookUrl: r.webhookUrl, createdAt: r.createdAt };
}

/** A channels row with what a notifier needs to reach it (the secret included). */
export function toChannelTarget(r: Row): ChannelTarget {
  return { ...toChannelRecord(r), webhookSecret: r.webhookSecret };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._#-]{0,63}$/;
const SLACK_CHANNEL = /^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$/;

function checkChannel(input: CreateChannelArgs): Omit<Row, 'id' | 'createdAt'> {
  const name = (input.name ?? '').trim();
  if (!NAME.test(name)) throw badInput('input.name', `"${input.name}" is not a valid channel name: 1-64 letters, digits, '.', '_', '#' or '-'`);
  if (input.kind === 'SLACK') {
    const sc = (input.slackChannel ?? '').trim();
    if (!sc) throw badInput('input.slackChannel', 'a SLACK channel needs slackChannel: the channel id (C0123ABCD) or #name the bot posts to');
    if (!SLACK_CHANNEL.test(sc)) throw badInput('input.slackChannel', `"${sc}" is neither a Slack channel id (C0123ABCD) nor a #channel-name`);
    if (input.webhookUrl) throw badInput('input.webhookUrl', 'applies to WEBHOOK channels only');
    if (input.webhookSecret) throw badInput('input.webhookSecret', 'applies to WEBHOOK channels only');
    return { name, kind: 'SLACK', slackChannel: sc, webhookUrl: null, webhookSecret: null };
  }
  if (input.kind === 'WEBHOOK') {
    const raw = (input.webhookUrl ?? '').trim();
    if (!raw) throw badInput('input.webhookUrl', 'a WEBHOOK channel needs webhookUrl, an http(s) URL');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw badInput('input.webhookUrl', `"${raw}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('input.webhookUrl', `must be http or https, got ${url.protocol}`);
    if (input.slackChannel) throw badInput('input.slackChannel', 'applies to SLACK channels only');
    const secret = input.webhookSecret ?? null;
    if (secret !== null && secret.length < 8) throw badInput('input.webhookSecret', 'must be at least 8 characters (or left out to send unsigned)');
    return { name, kind: 'WEBHOOK', slackChannel: null, webhookUrl: url.toString(), webhookSecret: secret };
  }
  throw badInput('input.kind', 'must be SLACK or WEBHOOK');
}

/** Creates a channel; CONFLICT when the name is taken; audited without the secret. */
export async function createChannel(deps: Deps, actor: Actor, input: CreateChannelArgs): Promise<ChannelRecord> {
  const values = checkChannel(input);
  const now = deps.clock.now();
  return deps.store.db.transaction((tx) => {
    if (tx.select({ id: channels.id }).from(channels).where(eq(channels.name, values.name)).get()) {
      throw conflict(`a channel named "${values.name}" already exists`, 'input.name');
    }
    const row = tx.insert(channels).values({ ...values, createdAt: now }).returning().get();
    // recordAudit redacts the URL and the secret (when one was given)
    recordAudit(tx, now, actor, 'createChannel', `channel:${row.name}`, input);
    return toChannelRecord(row);
  });
}

/**
 * Deletes a channel and its delivery history. CONFLICT while a monitor still notifies it:
 * silently dropping a monitor's only channel would turn its alerts into missed alerts.
 */
export async function deleteChannel(deps: Deps, actor: Actor, name: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.db.transaction((tx) => {
    const row = tx.select().from(channels).where(eq(channels.name, name)).get();
    if (!row) throw notFound(`channel "${name}"`);
    const users = tx
      .select({ name: monitors.name, id: monitors.id })
      .from(monitorChannels)
      .innerJoin(monitors, eq(monitors.id, monitorChannels.monitorId))
      .where(eq(monitorChannels.channelId, row.id))
      .all();
    if (users.length) {
      const list = users.map((u) => `${u.name} (id ${u.id})`).join(', ');
      throw conflict(`channel "${name}" is used by monitors ${list}; remove it from them (updateMonitor channels) first`, 'name');
    }
    tx.delete(channels).where(eq(channels.id, row.id)).run();
    recordAudit(tx, now, actor, 'deleteChannel', `channel:${name}`);
    return true;
  });
}

/** Every channel, by name. */
export async function listChannels(deps: Deps): Promise<ChannelRecord[]> {
  return deps.store.db.select().from(channels).orderBy(asc(channels.name)).all().map(toChannelRecord);
}

/** The channel with that id, or null. */
export async function getChannel(deps: Deps, id: number): Promise<ChannelRecord | null> {
  const row = deps.store.db.select().from(channels).where(eq(channels.id, id)).get();
  return row ? toChannelRecord(row) : null;
}

/** A channel test's outcome: confirmed, or why not (safe to show: a host, a status, Slack's error code). */
export type TestOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Sends a `test` notification now, straight through the channel kind's notifier, and
 * records it as a delivery. Says whether the channel confirmed it, and why not; NOT_FOUND
 * for an unknown channel. Never retried: the caller is watching and can press again.
 */
export async function testChannel(deps: Deps, actor: Actor, notifiers: Notifiers, name: string): Promise<TestOutcome> {
  const { db } = deps.store;
  const row = db.select().from(channels).where(eq(channels.name, name)).get();
  if (!row) throw notFound(`channel "${name}"`);
  const now = deps.clock.now();
  const idempotencyKey = `glassbox-test-${randomUUID()}`;
  const payload: WebhookBody = { type: 'test', idempotencyKey, alert: null };
  const delivery = db.transaction((tx) => {
    recordAudit(tx, now, actor, 'testChannel', `channel:${name}`);
    return tx
      .insert(deliveries)
      .values({ channelId: row.id, type: 'test', idempotencyKey, payload, status: 'PENDING', attempts: 1, createdAt: now, claimedAt: now })
      .returning({ id: deliveries.id })
      .get();
  });
  const notifier = notifiers[row.kind as ChannelKind];
  let ok = false;
  let reason: string | null = null;
  let ref: { channel: string; ts: string } | undefined;
  if (!notifier) {
    reason = `no ${row.kind} notifier is configured on this server`;
  } else {
    try {
      const out = await notifier.deliver({ type: 'test', idempotencyKey, channel: toChannelTarget(row), payload, current: null, attempt: 1 });
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
  db.update(deliveries)
    .set({
      status: ok ? 'DELIVERED' : 'FAILED',
      lastError: reason,
      claimedAt: null,
      deliveredAt: ok ? done : null,
      refChannel: ref?.channel ?? null,
      refTs: ref?.ts ?? null,
    })
    .where(eq(deliveries.id, delivery.id))
    .run();
  return ok ? { ok: true } : { ok: false, reason: reason ?? 'not confirmed' };
}
