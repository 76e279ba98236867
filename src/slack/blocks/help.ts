// Help, "no such model" and error answers: never silence.
import { context, esc, section, type SlackMessage } from './kit.js';

const USAGE = [
  '`/glassbox models` every model, worst first',
  '`/glassbox status MODEL` health, traffic, worst drift, performance, open alerts',
  '`/glassbox alerts [MODEL]` open alerts, most severe first',
  '`/glassbox drift MODEL [WINDOW]` drift of each feature (default window 24h)',
  '`/glassbox performance MODEL [WINDOW]` accuracy, AUC, RMSE… (default window 7d)',
  '`/glassbox compare MODEL V1 V2 [WINDOW]` two versions side by side on their own traffic (default window 7d)',
  '`/glassbox why MODEL [WINDOW]` the drifting features that matter, weighted by importance (default window 24h)',
  '`/glassbox help` this list',
];

/** The list of subcommands, after an optional note saying what was not understood. */
export function helpMessage(note?: string): SlackMessage {
  const intro = note ? `${note}\n\n` : '';
  return {
    text: `${note ? `${note} ` : ''}Glassbox commands: help, models, status MODEL, alerts [MODEL], drift MODEL [WINDOW], performance MODEL [WINDOW], compare MODEL V1 V2 [WINDOW], why MODEL [WINDOW]`,
    blocks: [
      section(`${intro}*Glassbox* answers about your models' health:\n${USAGE.map((u) => `• ${u}`).join('\n')}`),
      context('Mention me too: `@Glassbox status credit-risk` or `@Glassbox how is credit-risk doing?` (I answer in the thread). WINDOW is a duration such as 30m, 24h or 7d.'),
    ],
  };
}

/** "No model named X", with the closest names or the list to pick from. */
export function unknownModelMessage(name: string, suggestions: string[], known: string[]): SlackMessage {
  let hint: string;
  if (suggestions.length > 0) hint = `Did you mean ${suggestions.map((s) => `\`${esc(s)}\``).join(' or ')}?`;
  else if (known.length > 0) hint = `Known models: ${known.slice(0, 20).map((s) => `\`${esc(s)}\``).join(', ')}${known.length > 20 ? '…' : ''}`;
  else hint = 'No model is registered yet: create one with the `createModel` mutation (or run `glassbox demo`).';
  return {
    text: `No model named "${name}". ${hint.replace(/`/g, '')}`,
    blocks: [section(`:mag: No model named \`${esc(name)}\`. ${hint}`)],
  };
}

/** An error for the person who asked, from an AppError message (never an internal cause). */
export function errorMessage(message: string): SlackMessage {
  return { text: `Sorry: ${message}`, blocks: [section(`:warning: ${esc(message)}`)] };
}
