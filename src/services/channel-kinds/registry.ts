// The channel kinds this server knows, and what every kind shares: the channel's name,
// refusing another kind's fields, and the record GraphQL shows (never a secret).
import { badInput } from '../../errors.js';
import type { ChannelKind, ChannelRecord, ChannelTarget, ChannelValues, StoredChannel } from '../../domain/monitoring/channel.js';
import type { ChannelKindDef } from './kind.js';
import { slackKind } from './slack.js';
import { webhookKind } from './webhook.js';

/** Every kind, by name: adding a kind is one line here. */
export const CHANNEL_KINDS: Readonly<Record<ChannelKind, ChannelKindDef>> = { SLACK: slackKind, WEBHOOK: webhookKind };

/** The definition of a stored channel's kind. */
export function kindOf(kind: ChannelKind): ChannelKindDef {
  return CHANNEL_KINDS[kind];
}

export interface CreateChannelArgs {
  name: string;
  kind: string;
  slackChannel?: string | null;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._#-]{0,63}$/;

/** Checks a CreateChannelInput (fields named under `prefix`); the channel's name, kind and config (secrets included). */
export function checkChannel(input: CreateChannelArgs, prefix = 'input'): ChannelValues {
  const name = (input.name ?? '').trim();
  if (!NAME.test(name)) throw badInput(`${prefix}.name`, `"${input.name}" is not a valid channel name: 1-64 letters, digits, '.', '_', '#' or '-'`);
  const def = Object.hasOwn(CHANNEL_KINDS, input.kind) ? CHANNEL_KINDS[input.kind as ChannelKind] : undefined;
  const names = Object.keys(CHANNEL_KINDS);
  if (!def) throw badInput(`${prefix}.kind`, `must be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
  const fields = input as unknown as Record<string, unknown>;
  const config = def.check(fields, prefix);
  for (const other of Object.values(CHANNEL_KINDS)) {
    if (other === def) continue;
    for (const f of other.fields) if (fields[f.name]) throw badInput(`${prefix}.${f.name}`, `applies to ${other.kind} channels only`);
  }
  return { name, kind: def.kind, config };
}

/** A stored channel as shown: the contract's fields, never a secret. */
export function channelRecordOf(c: StoredChannel): ChannelRecord {
  return { id: c.id, name: c.name, kind: c.kind, slackChannel: c.config.slackChannel ?? null, webhookUrl: c.config.webhookUrl ?? null, createdAt: c.createdAt };
}

/** A stored channel with what a notifier needs to reach it (its config, secrets included). */
export function channelTargetOf(c: StoredChannel): ChannelTarget {
  return { ...channelRecordOf(c), config: c.config };
}
