// A notification channel as services, the store and notifiers exchange it.

export type ChannelKind = 'SLACK' | 'WEBHOOK';

/** A kind's settings as stored (JSON), secrets included: src/services/channel-kinds/ says which. */
export type ChannelConfig = Record<string, string>;

/** A channel as shown (GraphQL's Channel): never a secret. */
export interface ChannelRecord {
  id: number;
  name: string;
  kind: ChannelKind;
  slackChannel: string | null;
  webhookUrl: string | null;
  createdAt: number;
}

/** What a channel is made of: a checked CreateChannelInput. */
export interface ChannelValues {
  name: string;
  kind: ChannelKind;
  config: ChannelConfig;
}

/** A channel as the store keeps it. */
export interface StoredChannel extends ChannelValues {
  id: number;
  createdAt: number;
}

/** A channel with what it takes to reach it: its config, secrets included. */
export interface ChannelTarget extends ChannelRecord {
  config: ChannelConfig;
}
