// The morning digest: every model's health in one message, worst first.
import { formatCount, formatMetricValue, metricLabel, slackDate } from './format.js';
import { context, esc, header, icon, section, severityRank, type SlackMessage } from './kit.js';

export interface DigestLine {
  name: string;
  health: string;
  summary: string;
  events24h: number;
  openAlerts: number;
  /** the most severe open alert, as "PSI of income 0.31" */
  worstAlert?: { severity: string; metric: string; feature: string | null; value: number | null } | null;
}

/** One message summarising every model at `at`; says so when there are no models. */
export function digestMessage(rows: DigestLine[], at: number): SlackMessage {
  const title = 'Glassbox daily digest';
  if (rows.length === 0) {
    return { text: `${title}: no model is registered yet.`, blocks: [header(title), section('No model is registered yet.')] };
  }
  const sorted = [...rows].sort((a, b) => severityRank(a.health) - severityRank(b.health) || b.openAlerts - a.openAlerts || a.name.localeCompare(b.name));
  const lines = sorted.map((m) => {
    const alert = m.worstAlert
      ? ` · worst alert: ${m.worstAlert.severity} ${metricLabel(m.worstAlert.metric)}${m.worstAlert.feature ? ` of ${esc(m.worstAlert.feature)}` : ''} ${formatMetricValue(m.worstAlert.metric, m.worstAlert.value)}`
      : '';
    return `${icon(m.health)} *${esc(m.name)}* ${m.health} · ${formatCount(m.events24h)} events in 24h · ${m.openAlerts} open alert${m.openAlerts === 1 ? '' : 's'}${alert}\n      ${esc(m.summary)}`;
  });
  const bad = sorted.filter((m) => m.health === 'CRITICAL' || m.health === 'WARNING').length;
  const headline = bad === 0 ? 'all models look fine' : `${bad} of ${rows.length} model${rows.length === 1 ? '' : 's'} need attention`;
  return {
    text: `${title}: ${headline}. ${sorted.map((m) => `${m.name} ${m.health}`).join(', ')}`,
    blocks: [header(title), section(`*${headline[0]!.toUpperCase()}${headline.slice(1)}.*\n${lines.join('\n')}`), context(`As of ${slackDate(at)} · \`/glassbox status MODEL\` for details`)],
  };
}
