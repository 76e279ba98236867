// WEBHOOK channels: an http(s) URL (a secret: credentials ride in it) and an optional
// signing secret.
import { badInput } from '../../errors.js';
import { type ChannelKindDef } from './kind.js';

export const webhookKind: ChannelKindDef = {
  kind: 'WEBHOOK',
  fields: [{ name: 'webhookUrl', secret: 'GLASSBOX_WEBHOOK_URL' }, { name: 'webhookSecret', secret: 'GLASSBOX_SECRET' }],
  check(input, prefix) {
    const raw = String(input.webhookUrl ?? '').trim();
    if (!raw) throw badInput(`${prefix}.webhookUrl`, 'a WEBHOOK channel needs webhookUrl, an http(s) URL');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw badInput(`${prefix}.webhookUrl`, `"${raw}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(`${prefix}.webhookUrl`, `must be http or https, got ${url.protocol}`);
    const secret = input.webhookSecret === null || input.webhookSecret === undefined ? null : String(input.webhookSecret);
    if (secret !== null && secret.length < 8) throw badInput(`${prefix}.webhookSecret`, 'must be at least 8 characters (or left out to send unsigned)');
    return { webhookUrl: url.toString(), ...(secret !== null ? { webhookSecret: secret } : {}) };
  },
};

/** Where a WEBHOOK channel posts, and the secret that signs its bodies (null: unsigned). */
export function webhookOf(config: Readonly<Record<string, string>>): { url: string | null; secret: string | null } {
  return { url: config.webhookUrl ?? null, secret: config.webhookSecret ?? null };
}
