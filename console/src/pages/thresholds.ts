// How a monitor's thresholds read and draw, shared by the monitors list and the backtest:
// fixed ones as written, learned ones (autoThreshold) as the rule plus the values a run used.
// Every evaluation carries the thresholds it used, so both are drawn from the runs themselves.
import type { Line } from '../charts/chart';
import { show } from '../format';
import type { AutoThresholdInput, Comparator, Metric, Seasonality } from '../gql/graphql';

const SIGN: Record<Comparator, string> = { GT: '>', GTE: '≥', LT: '<', LTE: '≤' };
const SEASONS: Record<Seasonality, string> = { NONE: 'every past run', DAILY: 'same hour of day', WEEKLY: 'same hour of week' };

type Run = { warningThreshold?: number | null; criticalThreshold?: number | null };

/** "warning > 0.1, critical > 0.25" (the levels given). */
export function levelsText(comparator: Comparator, metric: Metric, warning: number | null | undefined, critical: number | null | undefined): string {
  const level = (name: string, v: number | null | undefined) => (v === null || v === undefined ? '' : `${name} ${SIGN[comparator]} ${show(v, metric)}`);
  return [level('warning', warning), level('critical', critical)].filter(Boolean).join(', ');
}

/** "learned from the last 14d (same hour of day): warning at mean + 2σ, critical at mean + 3σ" */
export function learnedText(comparator: Comparator, auto: AutoThresholdInput): string {
  const sign = comparator === 'GT' || comparator === 'GTE' ? '+' : '−';
  const level = (name: string, k: number | null | undefined) => (k === null || k === undefined ? '' : `${name} at mean ${sign} ${k}σ`);
  const levels = [level('warning', auto.warningSigmas), level('critical', auto.criticalSigmas)].filter(Boolean).join(', ');
  return `learned from the last ${auto.lookback} (${SEASONS[auto.seasonality ?? 'NONE']}): ${levels}`;
}

/**
 * The runs' thresholds as dashed lines after the value's (indexes 1 and 2 when both exist);
 * with both levels the zone between them is filled, the band a learned monitor warns in.
 */
export function thresholdLines(runs: Run[], comparator: Comparator, learned: boolean): { lines: Line[]; bands: Array<{ upper: number; lower: number; fill: string }> } {
  const prefix = learned ? 'learned ' : '';
  const lines: Line[] = [];
  const add = (values: Array<number | null>, label: string, color: string) => {
    if (!values.some((v) => v !== null)) return -1;
    lines.push({ label: prefix + label, values, color, dash: [4, 4] });
    return lines.length; // the value's line comes first
  };
  const w = add(runs.map((r) => r.warningThreshold ?? null), 'warning', '#d97706');
  const c = add(runs.map((r) => r.criticalThreshold ?? null), 'critical', '#dc2626');
  const above = comparator === 'GT' || comparator === 'GTE';
  const bands = learned && w > 0 && c > 0 ? [{ upper: above ? c : w, lower: above ? w : c, fill: 'rgba(217, 119, 6, 0.12)' }] : [];
  return { lines, bands };
}
