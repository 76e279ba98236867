// What the Slack listeners are given: the services' dependencies and two narrow ports,
// one for alerts (the same service the GraphQL mutations use) and one for answers.
import type { Actor, Deps } from '../services/deps.js';
import type { AlertView } from './blocks/alert.js';
import type { SlackMessage } from './blocks/kit.js';
import type { Command } from './parse-command.js';
import type { AnswerChart } from './chart-upload.js';

/** An answer to a subcommand; `visible` answers are posted for the whole channel. */
export interface Answer {
  message: SlackMessage;
  visible: boolean;
  /**
   * The chart of the metric over time, drawn only once the message is sent (its reads, a
   * monitor's thresholds, the PNG never delay the text); undefined when it cannot be made.
   */
  chart?: (() => Promise<AnswerChart | undefined>) | undefined;
}

export interface AlertPort {
  /** The alert as the Slack message shows it, or null when it does not exist. */
  get(id: string): Promise<AlertView | null>;
  acknowledge(actor: Actor, id: string): Promise<AlertView>;
  snooze(actor: Actor, id: string, until: number): Promise<AlertView>;
  resolve(actor: Actor, id: string): Promise<AlertView>;
}

export interface SlackContext {
  deps: Deps;
  alerts: AlertPort;
  answer(cmd: Command): Promise<Answer>;
}

/** The actor of a Slack user: `slack:<user id>`, allowed to manage alerts. */
export function slackActor(userId: string): Actor {
  return { name: `slack:${userId}`, role: 'EDITOR' };
}
