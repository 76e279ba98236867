// What a channel kind is made of: the fields it takes (as CreateChannelInput and
// configuration files name them) and how it checks them into the JSON config it stores.
// Its notifier lives with the transport (src/notify/, src/slack/): deciding and delivering
// stay apart. A new kind is its file here, one line in registry.ts, and its notifier.
import type { ChannelConfig, ChannelKind } from '../../domain/monitoring/channel.js';

export interface ChannelField {
  name: string;
  /**
   * A secret (credentials or a signing key): plans say that it changes, never what it is;
   * exports write a ${PREFIX_<CHANNEL>} reference for `glassbox apply` to fill.
   */
  secret?: 'GLASSBOX_SECRET' | 'GLASSBOX_WEBHOOK_URL';
}

export interface ChannelKindDef {
  kind: ChannelKind;
  fields: readonly ChannelField[];
  /** Checks this kind's fields of `input` (named under `prefix`); the config to store. Throws BAD_USER_INPUT. */
  check(input: Readonly<Record<string, unknown>>, prefix: string): ChannelConfig;
}

/** A field's value as given: trimmed text, or null when absent or empty. */
export function given(input: Readonly<Record<string, unknown>>, field: string): string | null {
  const v = input[field];
  if (v === null || v === undefined) return null;
  const t = String(v).trim();
  return t === '' ? null : t;
}
