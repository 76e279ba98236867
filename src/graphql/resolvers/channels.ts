// Channels over GraphQL, and Delivery's channel.
import { responsePathAsArray } from 'graphql';
import type { Resolvers } from '../generated/resolvers.js';
import type { GqlContext } from '../context.js';
import { createChannel, deleteChannel, listChannels, testChannel } from '../../services/channels.js';
import { deliveryChannel } from '../../services/outbox.js';
import type { Notifiers } from '../../services/notifier.js';
import { createWebhookNotifier } from '../../notify/webhook.js';
import { roleAllows } from '../../services/deps.js';
import { redactUrl } from '../../domain/redact.js';

/** The server's notifiers (main.ts registers them as services.notifiers); webhooks work without. */
function notifiersOf(ctx: GqlContext): Notifiers {
  const registered = ctx.services.notifiers as Notifiers | undefined;
  return { WEBHOOK: createWebhookNotifier({ clock: ctx.deps.clock }), ...registered };
}

export const channelsResolvers: Resolvers = {
  Query: {
    channels: (_p, _a, ctx) => {
      ctx.requireRole('VIEWER');
      return listChannels(ctx.deps);
    },
  },
  Mutation: {
    createChannel: (_p, { input }, ctx) => createChannel(ctx.deps, ctx.requireRole('EDITOR'), input),
    deleteChannel: (_p, { name }, ctx) => deleteChannel(ctx.deps, ctx.requireRole('EDITOR'), name),
    testChannel: async (_p, { name }, ctx, info) => {
      const out = await testChannel(ctx.deps, ctx.requireRole('EDITOR'), notifiersOf(ctx), name);
      if (out.ok) return true;
      // The contract's answer stays a Boolean; the reason rides beside it as an error at its path.
      ctx.note({
        message: `channel "${name}" did not confirm the test notification: ${out.reason}`,
        path: responsePathAsArray(info.path),
        extensions: { code: 'NOT_CONFIRMED', reason: out.reason },
      });
      return false;
    },
  },
  Channel: {
    id: (c) => String(c.id),
    // a webhook URL is a secret (credentials ride in it): scheme and host only below EDITOR
    webhookUrl: (c, _a, ctx) => (c.webhookUrl && !(ctx.actor && roleAllows(ctx.actor.role, 'EDITOR')) ? redactUrl(c.webhookUrl) : c.webhookUrl),
  },
  Delivery: {
    id: (d) => String(d.id),
    channel: async (d, _a, ctx) => (await deliveryChannel(ctx.deps, d))!,
  },
};
