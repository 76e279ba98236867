// `/glassbox why MODEL [WINDOW]`: the features that drift most, weighted by how much the
// model relies on them (impact = PSI x the feature's baseline share of the attributions,
// METRICS.md), so a large PSI on a feature the model ignores does not top the list.
import { formatDecimal } from './format.js';
import { context, esc, header, section, type SlackMessage } from './kit.js';

export interface WhyRow {
  feature: string;
  psi: number | null;
  /** the feature's share of the baseline's mean |attribution| (0..1), null without baseline attributions */
  baselineShare: number | null;
  impact: number | null;
}

export interface WhyView {
  model: string;
  window: string;
  rows: WhyRow[];
  hasBaseline: boolean;
  /** the baseline carries attributions (else the ranking is by PSI alone, and says so) */
  hasAttributions: boolean;
  events: number;
}

const SHOWN = 5;

/** Worst first: by impact when attributions exist, else by PSI; ties by name, unknown last. */
export function rankWhy(rows: WhyRow[], byImpact: boolean): WhyRow[] {
  const key = (r: WhyRow) => (byImpact ? r.impact : r.psi) ?? -1;
  return [...rows].sort((a, b) => key(b) - key(a) || a.feature.localeCompare(b.feature));
}

function line(r: WhyRow, byImpact: boolean): string {
  const psi = r.psi === null ? 'PSI n/a' : `PSI ${formatDecimal(r.psi)}`;
  if (!byImpact || r.baselineShare === null) return `*${esc(r.feature)}* drifts, ${psi}`;
  const impact = r.impact === null ? '' : ` → impact *${formatDecimal(r.impact)}*`;
  return `*${esc(r.feature)}* drifts, ${psi}, ${Math.round(r.baselineShare * 100)}% of the model's attribution${impact}`;
}

/** The explanation; says what is missing when it cannot rank (no baseline, no traffic). */
export function whyMessage(v: WhyView): SlackMessage {
  const title = `Why ${v.model} moves, last ${v.window}`;
  if (!v.hasBaseline) {
    const t = `${v.model} has no baseline yet, so nothing drifts against anything. Set one with the setBaseline mutation or POST /v1/models/${v.model}/baseline.`;
    return { text: t, blocks: [header(title), section(t)] };
  }
  if (v.events === 0) {
    const t = `No events for ${v.model} in the last ${v.window}.`;
    return { text: t, blocks: [header(title), section(t)] };
  }
  const ranked = rankWhy(v.rows, v.hasAttributions).filter((r) => r.psi !== null).slice(0, SHOWN);
  const notes = v.hasAttributions
    ? ['Impact = PSI × the feature\'s share of the baseline\'s mean |attribution|.']
    : ['The baseline carries no attributions, so features are ranked by PSI alone: log `attributions` (e.g. SHAP values) with the baseline and predictions to weigh them by importance.'];
  const body = ranked.length > 0 ? ranked.map((r) => line(r, v.hasAttributions)).join('\n') : 'No feature has a drift value in the window.';
  const top = ranked[0];
  return {
    text: `${title}: ${top ? line(top, v.hasAttributions).replace(/\*/g, '') : 'no drift computed'}`,
    blocks: [header(title), section(body), context(...notes)],
  };
}
