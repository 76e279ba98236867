// Small Block Kit constructors shared by the builders. Every message carries a plain
// `text` fallback (notifications, screen readers, clients without blocks).
import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

// Slack rejects a section text over 3000 characters and a header over 150.
const SECTION_MAX = 3000;
const HEADER_MAX = 150;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A header block (plain text, cut to Slack's limit). */
export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: cut(text, HEADER_MAX), emoji: true } };
}

/** A mrkdwn section (cut to Slack's limit). */
export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(mrkdwn, SECTION_MAX) } };
}

/** A section of up to 10 two-column fields. */
export function fields(items: string[]): Block {
  return { type: 'section', fields: items.slice(0, 10).map((t) => ({ type: 'mrkdwn' as const, text: cut(t, 2000) })) };
}

/** A context line (small grey text). */
export function context(...mrkdwn: string[]): Block {
  return { type: 'context', elements: mrkdwn.slice(0, 10).map((t) => ({ type: 'mrkdwn' as const, text: cut(t, 2000) })) };
}

export function divider(): Block {
  return { type: 'divider' };
}

/** Escapes &, < and > as Slack's mrkdwn requires for user-provided text. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `slack:U123` -> `<@U123>` (a mention Slack renders as the name); other actors as code. */
export function actorMention(actor: string | null | undefined): string {
  if (!actor) return 'someone';
  const m = /^slack:([A-Z0-9]+)$/.exec(actor);
  return m ? `<@${m[1]}>` : `\`${esc(actor)}\``;
}

const SEVERITY_ICON: Record<string, string> = {
  CRITICAL: ':red_circle:',
  WARNING: ':large_orange_circle:',
  HEALTHY: ':large_green_circle:',
  OK: ':large_green_circle:',
  UNKNOWN: ':white_circle:',
  NO_DATA: ':white_circle:',
};

/** An emoji for a severity or health status. */
export function icon(status: string): string {
  return SEVERITY_ICON[status] ?? ':white_circle:';
}

const RANK: Record<string, number> = { CRITICAL: 0, WARNING: 1, UNKNOWN: 2, NO_DATA: 2, HEALTHY: 3, OK: 3 };

/** Sort key: CRITICAL first, then WARNING, UNKNOWN, HEALTHY. */
export function severityRank(status: string): number {
  return RANK[status] ?? 2;
}
