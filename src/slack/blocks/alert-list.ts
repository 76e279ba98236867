// `/glassbox alerts [MODEL]`: open alerts, most severe and most urgent first.
import { thresholdText, type AlertView } from './alert.js';
import { ago, formatMetricValue, metricLabel } from './format.js';
import { actorMention, context, esc, icon, section, severityRank, type SlackMessage } from './kit.js';

/** What one line of a list shows: the alert message's view, less what only the message needs. */
export type AlertLine = Omit<AlertView, 'message' | 'resolvedAt' | 'lastActor' | 'status'> & { status: string; message?: string };

const STATUS_RANK: Record<string, number> = { FIRING: 0, ACKNOWLEDGED: 1, SNOOZED: 2, RESOLVED: 3 };

/** CRITICAL before WARNING; FIRING before ACKNOWLEDGED before SNOOZED; oldest first. */
export function sortAlertsWorstFirst<T extends AlertLine>(alerts: T[]): T[] {
  return [...alerts].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) ||
      a.openedAt - b.openedAt,
  );
}

/** One alert as a line of mrkdwn. */
export function alertLine(a: AlertLine, now: number, withModel: boolean): string {
  const what = a.feature ? `${metricLabel(a.metric)} of ${esc(a.feature)}` : metricLabel(a.metric);
  let state = '';
  if (a.status === 'ACKNOWLEDGED') state = ` · acknowledged by ${actorMention(a.acknowledgedBy)}`;
  else if (a.status === 'SNOOZED' && a.snoozedUntil !== null) state = ` · snoozed for ${ago(now, a.snoozedUntil).replace(' ago', '')} more`;
  return (
    `${icon(a.severity)} *${a.severity}* ${withModel ? `${esc(a.model)} · ` : ''}${esc(a.monitor)}: ${what} ` +
    `${formatMetricValue(a.metric, a.value)} (${esc(thresholdText(a))}) · opened ${ago(a.openedAt, now)}${state} · #${esc(a.id)}`
  );
}

/** The open alerts of one model or of all; says so plainly when there are none. */
export function alertListMessage(alerts: AlertLine[], now: number, model?: string): SlackMessage {
  const scope = model ? ` for ${model}` : '';
  if (alerts.length === 0) {
    const t = `:white_check_mark: No open alerts${scope}.`;
    return { text: `No open alerts${scope}.`, blocks: [section(t)] };
  }
  const sorted = sortAlertsWorstFirst(alerts);
  const shown = sorted.slice(0, 20);
  const lines = shown.map((a) => alertLine(a, now, !model));
  const more = sorted.length > shown.length ? [context(`…and ${sorted.length - shown.length} more.`)] : [];
  const crit = sorted.filter((a) => a.severity === 'CRITICAL').length;
  return {
    text: `${sorted.length} open alert${sorted.length === 1 ? '' : 's'}${scope} (${crit} critical): ${shown.map((a) => `${a.severity} ${a.model}/${a.monitor}`).join(', ')}`,
    blocks: [section(`*${sorted.length} open alert${sorted.length === 1 ? '' : 's'}${esc(scope)}*\n${lines.join('\n')}`), ...more],
  };
}
