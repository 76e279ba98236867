// Metrics over any window (METRICS.md): validation of the question, the window's
// statistics (stats-read.ts), the pure computation. Every adapter (GraphQL, monitors,
// Slack) asks through these functions, so they all agree.
import type { ModelRecord } from '../domain/model.js';
import {
  computeDrift,
  computeFairness,
  computeIntegrity,
  computeOutputDrift,
  computePerformance,
  computeTraffic,
  type DriftResult,
  type FairnessResult,
  type IntegrityResult,
  type PerformanceResult,
  type TrafficResult,
} from '../domain/metrics/compute-window.js';
import { checkMetricQuery, metricKind, metricValue, type Metric } from '../domain/metrics/metric-value.js';
import { badInput } from '../errors.js';
import { listOpenAlerts, type AlertRecord } from './alerts.js';
import type { Deps } from './deps.js';
import { windowStats } from './stats-read.js';
import { alignToKept } from '../domain/retention.js';
import { purgedBefore } from './retention.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';

export type { DriftResult, FairnessResult, IntegrityResult, PerformanceResult, TrafficResult } from '../domain/metrics/compute-window.js';
export { checkMetricQuery, METRICS, type Metric } from '../domain/metrics/metric-value.js';

export type Granularity = 'HOUR' | 'DAY';

export interface MetricQuery {
  metric: Metric | string;
  feature?: string | null;
  attribute?: string | null;
  from: number;
  to: number;
}

export interface SeriesPoint {
  /** bucket start (epoch ms), clipped to `from` (to its hour over purged time) */
  start: number;
  value: number | null;
  sampleSize: number;
}

const iso = (t: number) => new Date(t).toISOString();

/** Throws BAD_USER_INPUT unless [from, to) is a valid window (of any length: roll-ups bound its cost). */
export function checkWindow(from: number, to: number): void {
  if (!Number.isFinite(from)) throw badInput('from', 'is not a valid time');
  if (!Number.isFinite(to)) throw badInput('to', 'is not a valid time');
  if (from >= to) throw badInput('to', `must be later than from (got from ${iso(from)}, to ${iso(to)})`);
}

function stats(deps: Deps, model: ModelRecord, from: number, to: number, histograms: boolean) {
  checkWindow(from, to);
  return windowStats(deps.store.sqlite, model, from, to, { histograms });
}

/** Drift of every feature in [from, to) against the baseline (all null without one). */
export async function drift(deps: Deps, model: ModelRecord, from: number, to: number): Promise<DriftResult[]> {
  const { stats: s, ctx } = stats(deps, model, from, to, true);
  return computeDrift(s, ctx);
}

/** Drift of the model's output in [from, to); null while the model has no baseline. */
export async function outputDrift(deps: Deps, model: ModelRecord, from: number, to: number): Promise<DriftResult | null> {
  const { stats: s, ctx } = stats(deps, model, from, to, true);
  return ctx.profileKey === null ? null : computeOutputDrift(s, ctx);
}

/** Missing, type-mismatch, out-of-range and new-category rates of every feature in [from, to). */
export async function integrity(deps: Deps, model: ModelRecord, from: number, to: number): Promise<IntegrityResult[]> {
  const { stats: s, ctx } = stats(deps, model, from, to, false);
  return computeIntegrity(s, ctx);
}

/** Performance over the labelled events of [from, to). */
export async function performance(deps: Deps, model: ModelRecord, from: number, to: number): Promise<PerformanceResult> {
  return computePerformance(stats(deps, model, from, to, false).stats);
}

/** Fairness over a protected attribute in [from, to); BAD_USER_INPUT for an attribute that is not one. */
export async function fairness(deps: Deps, model: ModelRecord, attribute: string, from: number, to: number): Promise<FairnessResult> {
  const problem = checkMetricQuery(model, 'DEMOGRAPHIC_PARITY_DIFFERENCE', null, attribute);
  if (problem) throw badInput(problem.field === 'metric' ? 'attribute' : problem.field, problem.reason.replace('DEMOGRAPHIC_PARITY_DIFFERENCE', 'fairness'));
  const { stats: s, ctx } = stats(deps, model, from, to, false);
  const pos = ctx.protectedIdx.findIndex((i) => ctx.features[i]!.name === attribute);
  return computeFairness(s, ctx, pos);
}

/** Prediction count, mean prediction and label coverage in [from, to). */
export async function traffic(deps: Deps, model: ModelRecord, from: number, to: number): Promise<TrafficResult> {
  return computeTraffic(stats(deps, model, from, to, false).stats);
}

function checkQuery(model: ModelRecord, q: MetricQuery): Metric {
  const problem = checkMetricQuery(model, q.metric, q.feature, q.attribute);
  if (problem) throw badInput(problem.field, problem.reason);
  checkWindow(q.from, q.to);
  return q.metric as Metric;
}

/**
 * One metric over [from, to): its value (null where undefined) and sample size (usable
 * values for drift metrics, events otherwise). What monitors evaluate.
 */
export async function computeMetric(deps: Deps, model: ModelRecord, q: MetricQuery): Promise<{ value: number | null; sampleSize: number }> {
  const metric = checkQuery(model, q);
  const { stats: s, ctx } = windowStats(deps.store.sqlite, model, q.from, q.to, { histograms: metricKind(metric) === 'drift' });
  return metricValue(metric, s, ctx, q.feature, q.attribute);
}

/** One point per UTC hour or day bucket of [from, to); a bucket without events is (null, 0). */
export async function series(deps: Deps, model: ModelRecord, q: MetricQuery & { granularity: Granularity }): Promise<SeriesPoint[]> {
  const metric = checkQuery(model, q);
  if (q.granularity !== 'HOUR' && q.granularity !== 'DAY') throw badInput('granularity', 'must be HOUR or DAY');
  const unit = q.granularity === 'HOUR' ? HOUR_MS : DAY_MS;
  const points: SeriesPoint[] = [];
  // over purged time the first point starts where the statistics do: on the hour
  const { from, to } = alignToKept(q.from, q.to, purgedBefore(deps.store.sqlite, model.id));
  for (let b = Math.floor(from / unit) * unit; b < to; b += unit) {
    const start = Math.max(b, from);
    const end = Math.min(b + unit, to);
    const { stats: s, ctx } = windowStats(deps.store.sqlite, model, start, end, { histograms: metricKind(metric) === 'drift' });
    points.push(s.count === 0 ? { start, value: null, sampleSize: 0 } : { start, ...metricValue(metric, s, ctx, q.feature, q.attribute) });
  }
  return points;
}

export type HealthStatus = 'HEALTHY' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

export interface ModelHealth {
  status: HealthStatus;
  openAlerts: AlertRecord[];
  summary: string;
}

const count = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function performanceText(model: ModelRecord, p: PerformanceResult): string {
  if (p.labeledCount === 0) return 'no labelled events yet';
  const n = `(n=${count(p.labeledCount)})`;
  if (model.task === 'REGRESSION') return p.rmse === null ? `no scored labels ${n}` : `RMSE ${p.rmse.toPrecision(3)}${p.r2 === null ? '' : `, R² ${p.r2.toFixed(2)}`} ${n}`;
  if (model.task === 'MULTICLASS_CLASSIFICATION') return `accuracy ${pct(p.accuracy!)}${p.macroF1 === null ? '' : `, macro F1 ${p.macroF1.toFixed(2)}`} ${n}`;
  return `accuracy ${pct(p.accuracy!)}${p.auc === null ? '' : `, AUC ${p.auc.toFixed(3)}`} ${n}`;
}

/**
 * Health per the contract: CRITICAL/WARNING while an alert of that severity is open, else
 * UNKNOWN with no baseline or no event in the last 24 hours, else HEALTHY; and one plain
 * sentence on the last 24 hours (traffic, worst PSI, performance, open alerts).
 */
export async function modelHealth(deps: Deps, model: ModelRecord): Promise<ModelHealth> {
  const openAlerts = await listOpenAlerts(deps, model.id);
  const to = deps.clock.now();
  const from = to - DAY_MS;
  const { stats: s, ctx } = windowStats(deps.store.sqlite, model, from, to);
  const hasBaseline = ctx.profileKey !== null;
  const critical = openAlerts.filter((a) => a.severity === 'CRITICAL').length;
  const status: HealthStatus = critical > 0 ? 'CRITICAL' : openAlerts.length > 0 ? 'WARNING' : !hasBaseline || s.count === 0 ? 'UNKNOWN' : 'HEALTHY';

  const parts = [`${count(s.count)} prediction${s.count === 1 ? '' : 's'} in the last 24h`];
  if (!hasBaseline) parts.push('no baseline set, so no drift');
  else if (s.count > 0) {
    // the output's drift is named as such: a feature may well be called "score" too
    const out = computeOutputDrift(s, ctx);
    const worst = [...computeDrift(s, ctx).map((d) => ({ what: d.feature, psi: d.psi })), { what: `the output ${out.feature}`, psi: out.psi }]
      .filter((d) => d.psi !== null)
      .sort((a, b) => b.psi! - a.psi!)[0];
    if (worst) parts.push(`worst drift: ${worst.what} (PSI ${worst.psi!.toFixed(2)})`);
  }
  if (s.count > 0) parts.push(performanceText(model, computePerformance(s)));
  const alerts =
    openAlerts.length === 0 ? 'no open alerts' : `${openAlerts.length} open alert${openAlerts.length === 1 ? '' : 's'}${critical ? ` (${critical} critical)` : ''}`;
  parts.push(alerts);
  return { status, openAlerts, summary: `${model.name} is ${status}: ${parts.join('; ')}.` };
}
