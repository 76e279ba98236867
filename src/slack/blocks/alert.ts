// The alert message with its buttons, its updated forms, and the replies in its thread.
import type { types } from '@slack/bolt';
import { actorMention, context, esc, header, icon, section, type Block, type SlackMessage } from './kit.js';
import { formatMetricValue, metricLabel, slackDate } from './format.js';
import { learnedPhraseOf } from '../../domain/alerts/message.js';

export const ACTION = {
  acknowledge: 'alert_acknowledge',
  snooze: 'alert_snooze',
  /** the static select offering longer snoozes; option values are `<alert id>:<duration>` */
  snoozeFor: 'alert_snooze_for',
  resolve: 'alert_resolve',
} as const;

export const SNOOZE_CHOICES = ['1h', '4h', '24h'] as const;
export type SnoozeChoice = (typeof SNOOZE_CHOICES)[number];

/** What the alert builders need to know, already looked up. */
export interface AlertView {
  id: string;
  model: string;
  monitor: string;
  metric: string;
  feature: string | null;
  severity: string;
  status: 'FIRING' | 'ACKNOWLEDGED' | 'SNOOZED' | 'RESOLVED';
  value: number | null;
  threshold: number | null;
  message: string;
  openedAt: number;
  resolvedAt: number | null;
  acknowledgedBy: string | null;
  snoozedUntil: number | null;
  /** who made the latest change (ack, snooze, resolve), when known */
  lastActor?: string | null;
}

/**
 * The threshold as the alert states it: "threshold 0.25", or for a learned one the alert
 * message's own "above its usual 0.02 ± 3σ band: 0.11".
 */
export function thresholdText(a: Pick<AlertView, 'metric' | 'threshold'> & { message?: string }): string {
  return (a.message !== undefined ? learnedPhraseOf(a.message) : null) ?? `threshold ${formatMetricValue(a.metric, a.threshold)}`;
}

function subject(a: AlertView): string {
  return a.feature ? `${metricLabel(a.metric)} of ${a.feature}` : metricLabel(a.metric);
}

/**
 * The plain text of an alert: severity, monitor, model, metric, value and threshold, as
 * the contract requires (e.g. `CRITICAL: monitor "income-psi" on model credit-risk: PSI
 * (income) is 0.31, threshold 0.25`; a learned one: `…, above its usual 0.02 ± 3σ band: 0.11`).
 */
export function alertText(a: AlertView): string {
  const metric = a.feature ? `${a.metric} (${a.feature})` : a.metric;
  const state = a.status === 'FIRING' ? '' : ` [${a.status}]`;
  return (
    `${a.severity}${state}: monitor "${a.monitor}" on model ${a.model}: ${metric} is ` +
    `${formatMetricValue(a.metric, a.value)}, ${thresholdText(a)}`
  );
}

function stateLine(a: AlertView): string {
  switch (a.status) {
    case 'FIRING':
      return `:rotating_light: *Firing* since ${slackDate(a.openedAt)}`;
    case 'ACKNOWLEDGED':
      return `:eyes: *Acknowledged* by ${actorMention(a.acknowledgedBy ?? a.lastActor)}`;
    case 'SNOOZED':
      return `:zzz: *Snoozed* until ${a.snoozedUntil !== null ? slackDate(a.snoozedUntil) : 'later'}${a.lastActor ? ` by ${actorMention(a.lastActor)}` : ''}`;
    case 'RESOLVED':
      return `:white_check_mark: *Resolved*${a.resolvedAt !== null ? ` ${slackDate(a.resolvedAt)}` : ''}${a.lastActor ? ` by ${actorMention(a.lastActor)}` : ''}`;
  }
}

/** The buttons for an open alert: acknowledge (unless done), snooze 1h, resolve, snooze for… */
export function alertActions(a: AlertView): Block {
  const elements: Array<types.Button | types.StaticSelect> = [];
  if (a.status !== 'ACKNOWLEDGED') {
    elements.push({ type: 'button', action_id: ACTION.acknowledge, text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', value: a.id });
  }
  elements.push({ type: 'button', action_id: ACTION.snooze, text: { type: 'plain_text', text: 'Snooze 1h' }, value: a.id });
  elements.push({
    type: 'button',
    action_id: ACTION.resolve,
    text: { type: 'plain_text', text: 'Resolve' },
    style: 'danger',
    value: a.id,
    confirm: {
      title: { type: 'plain_text', text: 'Resolve this alert?' },
      text: { type: 'mrkdwn', text: 'It closes now; a new alert opens if the monitor breaches again.' },
      confirm: { type: 'plain_text', text: 'Resolve' },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  });
  elements.push({
    type: 'static_select',
    action_id: ACTION.snoozeFor,
    placeholder: { type: 'plain_text', text: 'Snooze for…' },
    options: SNOOZE_CHOICES.map((d) => ({ text: { type: 'plain_text' as const, text: d }, value: `${a.id}:${d}` })),
  });
  return { type: 'actions', block_id: 'alert_actions', elements };
}

/** The alert message: headline, numbers, current state, and buttons while it is open. */
export function alertMessage(a: AlertView): SlackMessage {
  const blocks: Block[] = [
    header(`${a.severity === 'CRITICAL' ? '🔴' : a.severity === 'WARNING' ? '🟠' : '⚪'} ${a.severity}: ${a.model} · ${a.monitor}`),
    section(
      `${icon(a.severity)} *${esc(subject(a))}* is *${formatMetricValue(a.metric, a.value)}* ` +
        `(${esc(thresholdText(a))})\n${esc(a.message)}`,
    ),
    context(`Model *${esc(a.model)}*`, `Monitor *${esc(a.monitor)}*`, `Alert #${esc(a.id)}`),
    section(stateLine(a)),
  ];
  if (a.status !== 'RESOLVED') blocks.push(alertActions(a));
  return { text: alertText(a), blocks };
}

export type ThreadKind = 'escalated' | 'reminder' | 'resolved' | 'acknowledged' | 'snoozed' | 'unsnoozed' | 'test';

/** A reply in the alert's thread for a later change of the alert. */
export function alertThreadReply(kind: ThreadKind, a: AlertView): SlackMessage {
  const value = `${subject(a)} is ${formatMetricValue(a.metric, a.value)} (${thresholdText(a)})`;
  const by = a.lastActor ? ` by ${actorMention(a.lastActor)}` : '';
  let text: string;
  switch (kind) {
    case 'escalated':
      text = `${icon(a.severity)} Escalated to *${a.severity}*: ${esc(value)}`;
      break;
    case 'reminder':
      text = `:bell: Still ${a.status.toLowerCase()} (${a.severity}): ${esc(value)}. Acknowledge to stop reminders.`;
      break;
    case 'resolved':
      text = `:white_check_mark: Resolved${by}${a.resolvedAt !== null ? ` ${slackDate(a.resolvedAt)}` : ''}. Last value: ${esc(value)}`;
      break;
    case 'acknowledged':
      text = `:eyes: Acknowledged by ${actorMention(a.acknowledgedBy ?? a.lastActor)}`;
      break;
    case 'snoozed':
      text = `:zzz: Snoozed${by} until ${a.snoozedUntil !== null ? slackDate(a.snoozedUntil) : 'later'}`;
      break;
    case 'unsnoozed':
      text = `:alarm_clock: Snooze over, firing again: ${esc(value)}`;
      break;
    case 'test':
      text = ':wave: Test notification from Glassbox';
      break;
  }
  const plain = `${alertText(a)} (${kind})`;
  return { text: plain, blocks: [section(text)] };
}
