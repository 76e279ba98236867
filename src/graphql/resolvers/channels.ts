// Channels over GraphQL, and Delivery's channel.
import type { Resolvers } from '../generated/resolvers.js';
import type { GqlContext } from '../context.js';
import { createChannel, deleteChannel, listChannels, testChannel } from '../../services/channels.js';
import { deliveryChannel } from '../../services/outbox.js';
import type { Notifiers } from '../../services/notifier.js';
import { createWebhookNotifier } from '../../notify/webhook.js';

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
    testChannel: (_p, { name }, ctx) => testChannel(ctx.deps, ctx.requireRole('EDITOR'), notifiersOf(ctx), name),
  },
  Channel: {
    id: (c) => String(c.id),
  },
  Delivery: {
    id: (d) => String(d.id),
    channel: async (d, _a, ctx) => (await deliveryChannel(ctx.deps, d))!,
  },
};
