// Notification channels, of the kinds in channel-kinds/registry.ts. Secrets are stored for
// reaching a channel and never returned or audited.
import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../errors.js';
import type { ChannelRecord, ChannelValues } from '../domain/monitoring/channel.js';
import type { Notifiers, WebhookBody } from '../domain/monitoring/notification.js';
import { writeAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { channelRecordOf, channelTargetOf, checkChannel, type CreateChannelArgs } from './channel-kinds/registry.js';
import { thisInstance } from './instances.js';
import { uniqueName } from './unique-names.js';

export type { ChannelRecord, ChannelValues, CreateChannelArgs };
export { checkChannel };

/** Creates a channel; CONFLICT when the name is taken; audited without the secret. */
export async function createChannel(deps: Deps, actor: Actor, input: CreateChannelArgs): Promise<ChannelRecord> {
  const values = checkChannel(input);
  const now = deps.clock.now();
  const { channels } = deps.store;
  return deps.store.transaction(async () => {
    const taken = `a channel named "${values.name}" already exists`;
    if (await channels.byName(values.name)) throw conflict(taken, 'input.name');
    const created = channelRecordOf(await uniqueName(() => channels.create(values, now), taken, 'input.name'));
    // the audit redacts the URL and the secret (when one was given)
    await writeAudit(deps, now, actor, 'createChannel', `channel:${created.name}`, input);
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
    const row = await channels.byName(name);
    if (!row) throw notFound(`channel "${name}"`);
    const users = await channels.usersOf(row.id);
    if (users.length) {
      const list = users.map((u) => `${u.name} (id ${u.id})`).join(', ');
      throw conflict(`channel "${name}" is used by monitors ${list}; remove it from them (updateMonitor channels) first`, 'name');
    }
    await channels.delete(row.id);
    await writeAudit(deps, now, actor, 'deleteChannel', `channel:${name}`);
    return true;
  });
}

/** Every channel, by name. */
export async function listChannels(deps: Deps): Promise<ChannelRecord[]> {
  return (await deps.store.channels.list()).map(channelRecordOf);
}

/** The channel with that id, or null. */
export async function getChannel(deps: Deps, id: number): Promise<ChannelRecord | null> {
  const c = await deps.store.channels.get(id);
  return c ? channelRecordOf(c) : null;
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
  const stored = await channels.byName(name);
  if (!stored) throw notFound(`channel "${name}"`);
  const channel = channelTargetOf(stored);
  const now = deps.clock.now();
  const idempotencyKey = `glassbox-test-${randomUUID()}`;
  const payload: WebhookBody = { type: 'test', idempotencyKey, alert: null };
  const deliveryId = await deps.store.transaction(async () => {
    await writeAudit(deps, now, actor, 'testChannel', `channel:${name}`);
    return outbox.insertClaimed({ alertId: null, channelId: channel.id, type: 'test', idempotencyKey, payload, createdAt: now }, thisInstance(deps));
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
