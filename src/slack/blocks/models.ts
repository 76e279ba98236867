// `/glassbox models`: every model, the worst first.
import { formatCount, sparkline } from './format.js';
import { context, esc, icon, section, severityRank, type SlackMessage } from './kit.js';

export interface ModelLine {
  name: string;
  task: string;
  health: string;
  openAlerts: number;
  events24h: number;
  /** hourly prediction counts over the last 24 hours, oldest first */
  trafficTrend?: Array<number | null>;
}

const TASK: Record<string, string> = {
  BINARY_CLASSIFICATION: 'binary classifier',
  MULTICLASS_CLASSIFICATION: 'multiclass classifier',
  REGRESSION: 'regression',
};

/** Models sorted CRITICAL, WARNING, UNKNOWN, HEALTHY, then by name. */
export function sortModelsWorstFirst<T extends { health: string; name: string; openAlerts: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => severityRank(a.health) - severityRank(b.health) || b.openAlerts - a.openAlerts || a.name.localeCompare(b.name));
}

/** The models list; an empty registry says how to add a model. */
export function modelsMessage(rows: ModelLine[]): SlackMessage {
  if (rows.length === 0) {
    const t = 'No model is registered yet: create one with the createModel mutation, or run `glassbox demo` to see an example.';
    return { text: t, blocks: [section(t)] };
  }
  const sorted = sortModelsWorstFirst(rows);
  const lines = sorted.map((m) => {
    const alerts = m.openAlerts > 0 ? `, ${m.openAlerts} open alert${m.openAlerts === 1 ? '' : 's'}` : '';
    const trend = m.trafficTrend ? sparkline(m.trafficTrend) : '';
    return `${icon(m.health)} *${esc(m.name)}* ${m.health}${alerts} · ${TASK[m.task] ?? m.task} · ${formatCount(m.events24h)} events in 24h${trend ? ` \`${trend}\`` : ''}`;
  });
  const counts = sorted.reduce<Record<string, number>>((acc, m) => ({ ...acc, [m.health]: (acc[m.health] ?? 0) + 1 }), {});
  const tally = ['CRITICAL', 'WARNING', 'UNKNOWN', 'HEALTHY'].filter((s) => counts[s]).map((s) => `${counts[s]} ${s.toLowerCase()}`);
  return {
    text: `${rows.length} model${rows.length === 1 ? '' : 's'}: ${sorted.map((m) => `${m.name} ${m.health}`).join(', ')}`,
    blocks: [section(lines.join('\n')), context(`${rows.length} model${rows.length === 1 ? '' : 's'}: ${tally.join(', ')}. \`/glassbox status MODEL\` for details.`)],
  };
}
