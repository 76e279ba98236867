// The words after /glassbox (or after @Glassbox) -> one of the contract's subcommands.
import { parseDuration } from '../domain/windows.js';

export type Command =
  | { kind: 'help'; note?: string }
  | { kind: 'models' }
  | { kind: 'status'; model: string }
  | { kind: 'alerts'; model?: string }
  | { kind: 'drift'; model: string; window: string; windowMs: number }
  | { kind: 'performance'; model: string; window: string; windowMs: number };

export const DEFAULT_WINDOW = { drift: '24h', performance: '7d' } as const;

/** Strips Slack mention tokens, quotes, backticks and trailing punctuation. */
function clean(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ')
    .replace(/[`*_"“”‘’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function bareName(word: string): string {
  return word.replace(/^['(]+|[?!.,;:')]+$/g, '');
}

function windowed(kind: 'drift' | 'performance', args: string[]): Command {
  const model = args[0] ? bareName(args[0]) : '';
  if (!model) return { kind: 'help', note: `\`${kind}\` needs a model name: \`/glassbox ${kind} MODEL [WINDOW]\`` };
  const window = args[1] ? bareName(args[1]).toLowerCase() : DEFAULT_WINDOW[kind];
  const windowMs = parseDuration(window);
  if (windowMs === null) {
    return { kind: 'help', note: `"${args[1]}" is not a window: use a duration such as 30m, 24h or 7d` };
  }
  return { kind, model, window, windowMs };
}

/**
 * Parses a command text. Never throws: anything not understood is `help` with a note
 * saying what was wrong, so the user always gets an answer.
 */
export function parseCommand(text: string): Command {
  const t = clean(text);
  if (!t) return { kind: 'help' };
  const how = /^how(?:\s+is|'s|s|\s+are)?\s+(\S+?)(?:\s+doing)?[?!. ]*$/i.exec(t);
  if (how?.[1]) return { kind: 'status', model: bareName(how[1]) };

  const [first = '', ...rest] = t.split(' ');
  const sub = first.toLowerCase();
  switch (sub) {
    case 'help':
      return { kind: 'help' };
    case 'models':
      return { kind: 'models' };
    case 'status': {
      const model = rest[0] ? bareName(rest[0]) : '';
      return model ? { kind: 'status', model } : { kind: 'help', note: '`status` needs a model name: `/glassbox status MODEL`' };
    }
    case 'alerts': {
      const model = rest[0] ? bareName(rest[0]) : '';
      return model ? { kind: 'alerts', model } : { kind: 'alerts' };
    }
    case 'drift':
    case 'performance':
      return windowed(sub, rest);
    default:
      return { kind: 'help', note: `I don't know "${first}".` };
  }
}
