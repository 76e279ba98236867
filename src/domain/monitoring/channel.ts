// A notification channel as services, the store and notifiers exchange it.

export type ChannelKind = 'SLACK' | 'WEBHOOK';

/** A channel as shown: never its secret. */
export interface ChannelRecord {
  id: number;
  name: string;
  kind: ChannelKind;
  slackChannel: string | null;
  webhookUrl: string | null;
  createdAt: number;
}

/** What a channel is made of, secret included (a checked CreateChannelInput). */
export interface ChannelValues {
  name: string;
  kind: ChannelKind;
  slackChannel: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

/** A channel with what it takes to reach it (the webhook secret included). */
export interface ChannelTarget extends ChannelRecord {
  webhookSecret: string | null;
}
