// `/glassbox status MODEL` and "how is MODEL doing?": one screen with the numbers.
import { alertLine, sortAlertsWorstFirst, type AlertLine } from './alert-list.js';
import { sortDriftWorstFirst, psiVerdict, type DriftRow } from './drift.js';
import { formatCount, formatDecimal, formatMetricValue, metricLabel, sparkline } from './format.js';
import { context, esc, fields, header, icon, section, type Block, type SlackMessage } from './kit.js';

export interface StatusView {
  model: string;
  task: string;
  health: string;
  /** the health service's one-sentence summary */
  summary: string;
  events24h: number;
  /** hourly prediction counts over the last 24 hours, oldest first */
  trafficTrend?: Array<number | null>;
  openAlerts: AlertLine[];
  hasBaseline: boolean;
  /** drift over the last 24 hours */
  drift: DriftRow[];
  /** the task's headline metric over the last 7 days, with a daily trend */
  performance: { metric: string; value: number | null; labeled: number; trend?: Array<number | null> } | null;
  now: number;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The status of one model: health first, then alerts, drift and performance. */
export function statusMessage(v: StatusView): SlackMessage {
  const blocks: Block[] = [header(`${v.model}: ${v.health}`), section(`${icon(v.health)} ${esc(v.summary)}`)];
  const traffic = sparkline(v.trafficTrend ?? []);
  const worst = sortDriftWorstFirst(v.drift).filter((d) => d.psi !== null).slice(0, 3);
  const perf = v.performance;
  const perfText =
    perf && perf.value !== null
      ? `*${capitalize(metricLabel(perf.metric))} (7d)*\n${formatMetricValue(perf.metric, perf.value)}${perf.trend && sparkline(perf.trend) ? ` \`${sparkline(perf.trend)}\`` : ''}`
      : `*Performance (7d)*\n${perf && perf.labeled === 0 ? 'no actuals yet' : 'n/a'}`;
  // Name only the features that moved; a stable model says so with its largest PSI.
  const moved = worst.filter((d) => d.psi! >= 0.1);
  const driftText = !v.hasBaseline
    ? '*Worst drift (24h)*\nno baseline'
    : worst.length === 0
      ? '*Worst drift (24h)*\nno data'
      : moved.length === 0
        ? `*Worst drift (24h)*\nstable (largest PSI ${formatDecimal(worst[0]!.psi!)}, ${esc(worst[0]!.feature)})`
        : `*Worst drift (24h)*\n${moved.map((d) => `${esc(d.feature)} PSI ${formatDecimal(d.psi!)}`).join(', ')}`;
  blocks.push(
    fields([
      `*Traffic (24h)*\n${formatCount(v.events24h)} events${traffic ? ` \`${traffic}\`` : ''}`,
      perfText,
      driftText,
      `*Open alerts*\n${v.openAlerts.length === 0 ? 'none' : `${v.openAlerts.length} (${v.openAlerts.filter((a) => a.severity === 'CRITICAL').length} critical)`}`,
    ]),
  );
  if (v.openAlerts.length > 0) {
    const alerts = sortAlertsWorstFirst(v.openAlerts).slice(0, 5);
    blocks.push(section(alerts.map((a) => alertLine(a, v.now, false)).join('\n')));
  }
  if (worst.length > 0 && (worst[0]!.psi ?? 0) >= 0.1) {
    blocks.push(context(`${psiVerdict(worst[0]!.psi)} on *${esc(worst[0]!.feature)}*. \`/glassbox drift ${v.model}\` for every feature.`));
  } else {
    blocks.push(context(`\`/glassbox drift ${v.model}\` · \`/glassbox performance ${v.model}\` · \`/glassbox alerts ${v.model}\``));
  }
  const perfPlain = perf && perf.value !== null ? `, ${metricLabel(perf.metric)} ${formatMetricValue(perf.metric, perf.value)} (7d)` : '';
  const driftPlain = worst[0] ? `, worst drift ${worst[0].feature} PSI ${formatDecimal(worst[0].psi!)}` : '';
  return {
    text: `${v.model} is ${v.health}: ${formatCount(v.events24h)} events in 24h${perfPlain}${driftPlain}, ${v.openAlerts.length} open alert${v.openAlerts.length === 1 ? '' : 's'}`,
    blocks,
  };
}
