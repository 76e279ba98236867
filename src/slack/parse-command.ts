// The words after /glassbox (or after @Glassbox) -> one of the contract's subcommands.
import { parseDuration } from '../domain/windows.js';

export type Command =
  | { kind: 'help'; note?: string }
  | { kind: 'models' }
  | { kind: 'status'; model: string }
  | { kind: 'alerts'; model?: string }
  | { kind: 'drift'; model: string; window: string; windowMs: number }
  | { kind: 'performance'; model: string; window: string; windowMs: number }
  | { kind: 'compare'; model: string; versions: [string, string]; window: string; windowMs: number }
  | { kind: 'why'; model: string; window: string; windowMs: number };

export const DEFAULT_WINDOW = { drift: '24h', performance: '7d', compare: '7d', why: '24h' } as const;

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

/** The optional WINDOW argument, or a help answer saying why it is not one. */
function windowArg(kind: keyof typeof DEFAULT_WINDOW, word: string | undefined): { window: string; windowMs: number } | Command {
  const window = word ? bareName(word).toLowerCase() : DEFAULT_WINDOW[kind];
  const windowMs = parseDuration(window);
  if (windowMs === null) return { kind: 'help', note: `"${word}" is not a window: use a duration such as 30m, 24h or 7d` };
  return { window, windowMs };
}

function windowed(kind: 'drift' | 'performance' | 'why', args: string[]): Command {
  const model = args[0] ? bareName(args[0]) : '';
  if (!model) return { kind: 'help', note: `\`${kind}\` needs a model name: \`/glassbox ${kind} MODEL [WINDOW]\`` };
  const w = windowArg(kind, args[1]);
  return 'kind' in w ? w : { kind, model, ...w };
}

function compare(args: string[]): Command {
  const [model, v1, v2] = args.slice(0, 3).map(bareName);
  if (!model || !v1 || !v2) return { kind: 'help', note: '`compare` needs a model and two versions: `/glassbox compare MODEL V1 V2 [WINDOW]`' };
  const w = windowArg('compare', args[3]);
  return 'kind' in w ? w : { kind: 'compare', model, versions: [v1, v2], ...w };
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
    case 'why':
      return windowed(sub, rest);
    case 'compare':
      return compare(rest);
    default:
      return { kind: 'help', note: `I don't know "${first}".` };
  }
}
