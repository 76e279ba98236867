// The morning digest: every model's health in one message to SLACK_DIGEST_CHANNEL.
import type { webApi } from '@slack/bolt';
import type { Deps } from '../services/deps.js';
import { modelHealth, traffic } from '../services/metrics.js';
import { listModels } from '../services/models.js';
import { digestMessage, type DigestLine } from './blocks/digest.js';
import { DAY_MS } from '../domain/time.js';

const DAY = DAY_MS;

/** The digest's lines, one per model, as of `at` (health is as of the clock's now). */
export async function digestLines(deps: Deps, at: number): Promise<DigestLine[]> {
  const lines: DigestLine[] = [];
  for (const m of await listModels(deps)) {
    const h = await modelHealth(deps, m);
    const t = await traffic(deps, m, at - DAY, at);
    const worst = h.openAlerts[0];
    lines.push({
      name: m.name,
      health: h.status,
      summary: h.summary,
      events24h: t.predictionCount,
      openAlerts: h.openAlerts.length,
      worstAlert: worst ? { severity: worst.severity, metric: worst.metric, feature: worst.feature ?? worst.attribute, value: worst.value } : null,
    });
  }
  return lines;
}

/**
 * Posts the digest to `channel`; resolves with the message's ts. Throws the WebClient's
 * error on failure (the caller logs it; a missed digest is not retried).
 */
export async function runDigest(deps: Deps, client: webApi.WebClient, channel: string, at = deps.clock.now()): Promise<string> {
  const message = digestMessage(await digestLines(deps, at), at);
  const r = await client.chat.postMessage({ channel, ...message, unfurl_links: false });
  return String(r.ts);
}
