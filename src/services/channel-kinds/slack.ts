// SLACK channels: the channel id or #name the bot posts to.
import { badInput } from '../../errors.js';
import { given, type ChannelKindDef } from './kind.js';

const SLACK_CHANNEL = /^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$/;

export const slackKind: ChannelKindDef = {
  kind: 'SLACK',
  fields: [{ name: 'slackChannel' }],
  check(input, prefix) {
    const sc = given(input, 'slackChannel');
    if (!sc) throw badInput(`${prefix}.slackChannel`, 'a SLACK channel needs slackChannel: the channel id (C0123ABCD) or #name the bot posts to');
    if (!SLACK_CHANNEL.test(sc)) throw badInput(`${prefix}.slackChannel`, `"${sc}" is neither a Slack channel id (C0123ABCD) nor a #channel-name`);
    return { slackChannel: sc };
  },
};

/** The Slack channel a SLACK channel's config names. */
export function slackChannelOf(config: Readonly<Record<string, string>>): string | null {
  return config.slackChannel ?? null;
}
