// Metrics over any window (METRICS.md): validation of the question here, on the caller's
// thread (so a bad question fails the same everywhere, without a round trip), then the
// window's statistics and the pure computation as one read (answer-reads.ts), run by the
// server's read workers when it has them (the store's reader, `store.data.openReader`). Every adapter (GraphQL, monitors,
// Slack) asks through these functions, so they all agree.
import type { ModelRecord } from '../domain/model.js';
import type { DriftResult, FairnessResult, IntegrityResult, PerformanceResult, TrafficResult } from '../domain/metrics/compute-window.js';
import { checkMetricQuery, type Metric } from '../domain/metrics/metric-value.js';
import { badInput } from '../errors.js';
import { listOpenAlerts, type AlertRecord } from './alerts.js';
import type { Deps } from './deps.js';
import type { Granularity, MetricRead, MetricReader, ReadAnswer, ReadKind, SeriesPoint, SeriesQuestion } from '../domain/metrics/reads.js';
import { DAY_MS } from '../domain/time.js';
import { attributionShareText } from '../domain/alerts/message.js';
import { MODEL_SLICE } from '../domain/slices.js';
import { preview } from '../domain/input/text.js';

export type { DriftResult, FairnessResult, IntegrityResult, PerformanceResult, TrafficResult } from '../domain/metrics/compute-window.js';
export { checkMetricQuery, METRICS, type Metric } from '../domain/metrics/metric-value.js';
export type { Granularity, SeriesPoint } from '../domain/metrics/reads.js';

export interface MetricQuery {
  metric: Metric | string;
  feature?: string | null;
  attribute?: string | null;
  from: number;
  to: number;
}

/** Narrows a metric to one version and/or one segment of the model (absent or null: all events). */
export interface StatsScope {
  version?: string | null;
  segment?: string | null;
}

const iso = (t: number) => new Date(t).toISOString();

/** The statistics slice of `scope`; BAD_USER_INPUT naming `version` or `segment` when the model has no such one. */
export async function sliceOf(deps: Deps, model: ModelRecord, scope?: StatsScope): Promise<number> {
  const version = scope?.version ?? null;
  const segment = scope?.segment ?? null;
  if (version === null && segment === null) return MODEL_SLICE;
  const found = await deps.store.data.findSlice(model.id, version, segment);
  if (found.ok) return found.slice;
  const name = found.field === 'version' ? version! : segment!;
  throw badInput(found.field, `the model ${model.name} has no ${found.field} named ${preview(name)}`);
}

/** Throws BAD_USER_INPUT unless [from, to) is a valid window (of any length: roll-ups bound its cost). */
export function checkWindow(from: number, to: number): void {
  if (!Number.isFinite(from)) throw badInput('from', 'is not a valid time');
  if (!Number.isFinite(to)) throw badInput('to', 'is not a valid time');
  if (from >= to) throw badInput('to', `must be later than from (got from ${iso(from)}, to ${iso(to)})`);
}

/** The model as a plain record: a resolver's parent may carry more than crosses a thread well. */
function plain(m: ModelRecord): ModelRecord {
  return {
    id: m.id,
    name: m.name,
    task: m.task,
    description: m.description,
    positiveClass: m.positiveClass,
    decisionThreshold: m.decisionThreshold,
    features: m.features.map((f) => ({ name: f.name, type: f.type, protected: f.protected, min: f.min, max: f.max })),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    retentionDays: m.retentionDays ?? null,
  };
}

/** Each store's in-process reader, for deps without read workers (tests, scripts, the CLI). */
const inProcess = new WeakMap<object, MetricReader>();

function readerOf(deps: Deps): MetricReader {
  if (deps.reads) return deps.reads;
  let reader = inProcess.get(deps.store);
  if (!reader) inProcess.set(deps.store, (reader = deps.store.data.openReader({ workers: 0, log: deps.log })));
  return reader;
}

/** Runs one read where the store runs them (read workers or in process). */
function read<K extends ReadKind>(deps: Deps, r: MetricRead<K>): Promise<ReadAnswer<K>> {
  const reader = readerOf(deps);
  return reader.read({ ...r, model: plain(r.model) } as MetricRead<K>);
}

async function windowRead<K extends 'drift' | 'outputDrift' | 'integrity' | 'performance' | 'traffic'>(kind: K, deps: Deps, model: ModelRecord, from: number, to: number, scope?: StatsScope) {
  checkWindow(from, to);
  const slice = await sliceOf(deps, model, scope);
  return read(deps, { kind, model, slice, from, to } as MetricRead<K>);
}

/** Drift of every feature in [from, to) against the baseline (all null without one). */
export async function drift(deps: Deps, model: ModelRecord, from: number, to: number, scope?: StatsScope): Promise<DriftResult[]> {
  return windowRead('drift', deps, model, from, to, scope);
}

/** Drift of the model's output in [from, to); null while the model has no baseline. */
export async function outputDrift(deps: Deps, model: ModelRecord, from: number, to: number, scope?: StatsScope): Promise<DriftResult | null> {
  return windowRead('outputDrift', deps, model, from, to, scope);
}

/** Missing, type-mismatch, out-of-range and new-category rates of every feature in [from, to). */
export async function integrity(deps: Deps, model: ModelRecord, from: number, to: number, scope?: StatsScope): Promise<IntegrityResult[]> {
  return windowRead('integrity', deps, model, from, to, scope);
}

/** Performance over the labelled events of [from, to). */
export async function performance(deps: Deps, model: ModelRecord, from: number, to: number, scope?: StatsScope): Promise<PerformanceResult> {
  return windowRead('performance', deps, model, from, to, scope);
}

/** Fairness over a protected attribute in [from, to); BAD_USER_INPUT for an attribute that is not one. */
export async function fairness(deps: Deps, model: ModelRecord, attribute: string, from: number, to: number, scope?: StatsScope): Promise<FairnessResult> {
  const problem = checkMetricQuery(model, 'DEMOGRAPHIC_PARITY_DIFFERENCE', null, attribute);
  if (problem) throw badInput(problem.field === 'metric' ? 'attribute' : problem.field, problem.reason.replace('DEMOGRAPHIC_PARITY_DIFFERENCE', 'fairness'));
  checkWindow(from, to);
  return read(deps, { kind: 'fairness', model, slice: await sliceOf(deps, model, scope), attribute, from, to });
}

/** Prediction count, mean prediction and label coverage in [from, to). */
export async function traffic(deps: Deps, model: ModelRecord, from: number, to: number, scope?: StatsScope): Promise<TrafficResult> {
  return windowRead('traffic', deps, model, from, to, scope);
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
export async function computeMetric(deps: Deps, model: ModelRecord, q: MetricQuery, scope?: StatsScope): Promise<{ value: number | null; sampleSize: number }> {
  const metric = checkQuery(model, q);
  return read(deps, { kind: 'metric', model, slice: await sliceOf(deps, model, scope), metric, feature: q.feature ?? null, attribute: q.attribute ?? null, from: q.from, to: q.to });
}

/**
 * One metric over each of `windows` in a single read of the aggregates (a learned
 * threshold's history); the same values computeMetric gives window by window.
 */
export async function computeMetricOverWindows(
  deps: Deps,
  model: ModelRecord,
  q: Omit<MetricQuery, 'from' | 'to'> & { windows: Array<{ from: number; to: number }> },
  scope?: StatsScope,
): Promise<Array<{ value: number | null; sampleSize: number }>> {
  if (q.windows.length === 0) return [];
  const from = Math.min(...q.windows.map((w) => w.from));
  const to = Math.max(...q.windows.map((w) => w.to));
  const metric = checkQuery(model, { ...q, from, to });
  for (const w of q.windows) checkWindow(w.from, w.to);
  return read(deps, { kind: 'windows', model, slice: await sliceOf(deps, model, scope), metric, feature: q.feature ?? null, attribute: q.attribute ?? null, from, to, windows: q.windows });
}

/** One point per UTC hour or day bucket of [from, to); a bucket without events is (null, 0). */
export async function series(deps: Deps, model: ModelRecord, q: MetricQuery & { granularity: Granularity }, scope?: StatsScope): Promise<SeriesPoint[]> {
  const metric = checkSeries(model, q);
  return read(deps, { kind: 'series', model, slice: await sliceOf(deps, model, scope), metric, feature: q.feature ?? null, attribute: q.attribute ?? null, from: q.from, to: q.to, granularity: q.granularity });
}

/**
 * Several series over one window in one read (the same points as `series` for each); a
 * question that does not fit the model is BAD_USER_INPUT before anything is read.
 */
export async function seriesSet(deps: Deps, model: ModelRecord, w: { from: number; to: number; granularity: Granularity }, questions: SeriesQuestion[], scope?: StatsScope): Promise<SeriesPoint[][]> {
  for (const q of questions) checkSeries(model, { ...q, ...w });
  const slice = await sliceOf(deps, model, scope);
  return read(deps, { kind: 'seriesSet', model, slice, ...w, questions: questions.map((q) => ({ metric: q.metric, feature: q.feature ?? null, attribute: q.attribute ?? null })) });
}

/** The series question's metric; BAD_USER_INPUT unless it fits the model. */
export function checkSeries(model: ModelRecord, q: MetricQuery & { granularity: Granularity }): Metric {
  const metric = checkQuery(model, q);
  if (q.granularity !== 'HOUR' && q.granularity !== 'DAY') throw badInput('granularity', 'must be HOUR or DAY');
  return metric;
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
  if (p.labeledCount === 0) {
    // labels that come late: say what the scores alone estimate (CBPE), marked as such
    const e = p.estimated;
    if (!e || e.sampleSize === 0 || (e.auc === null && e.accuracy === null)) return 'no labelled events yet';
    const figures = [e.accuracy === null ? null : `accuracy ${pct(e.accuracy)}`, e.auc === null ? null : `AUC ${e.auc.toFixed(3)}`].filter((x) => x !== null);
    return `no labelled events yet, estimated ${figures.join(', ')} (CBPE, n=${count(e.sampleSize)})`;
  }
  const n = `(n=${count(p.labeledCount)})`;
  if (model.task === 'REGRESSION') return p.rmse === null ? `no scored labels ${n}` : `RMSE ${p.rmse.toPrecision(3)}${p.r2 === null ? '' : `, R² ${p.r2.toFixed(2)}`} ${n}`;
  if (model.task === 'MULTICLASS_CLASSIFICATION') return `accuracy ${pct(p.accuracy!)}${p.macroF1 === null ? '' : `, macro F1 ${p.macroF1.toFixed(2)}`} ${n}`;
  return `accuracy ${pct(p.accuracy!)}${p.auc === null ? '' : `, AUC ${p.auc.toFixed(3)}`} ${n}`;
}

/**
 * Health per the contract (`scope` narrows the figures, never the model's open alerts): CRITICAL/WARNING while an alert of that severity is open, else
 * UNKNOWN with no baseline or no event in the last 24 hours, else HEALTHY; and one plain
 * sentence on the last 24 hours (traffic, worst PSI with the feature's share of the
 * baseline's attribution when known, performance, open alerts).
 */
export async function modelHealth(deps: Deps, model: ModelRecord, scope?: StatsScope): Promise<ModelHealth> {
  const slice = await sliceOf(deps, model, scope);
  const openAlerts = await listOpenAlerts(deps, model.id);
  const to = deps.clock.now();
  const h = await read(deps, { kind: 'health', model, slice, from: to - DAY_MS, to });
  const critical = openAlerts.filter((a) => a.severity === 'CRITICAL').length;
  const status: HealthStatus = critical > 0 ? 'CRITICAL' : openAlerts.length > 0 ? 'WARNING' : !h.hasBaseline || h.count === 0 ? 'UNKNOWN' : 'HEALTHY';

  const parts = [`${count(h.count)} prediction${h.count === 1 ? '' : 's'} in the last 24h`];
  if (!h.hasBaseline) parts.push('no baseline set, so no drift');
  else if (h.worst) parts.push(`worst drift: ${h.worst.what} (PSI ${h.worst.psi.toFixed(2)}${h.worst.share === null ? '' : `, ${attributionShareText(h.worst.share)}`})`);
  if (h.performance) parts.push(performanceText(model, h.performance));
  const alerts =
    openAlerts.length === 0 ? 'no open alerts' : `${openAlerts.length} open alert${openAlerts.length === 1 ? '' : 's'}${critical ? ` (${critical} critical)` : ''}`;
  parts.push(alerts);
  return { status, openAlerts, summary: `${model.name} is ${status}: ${parts.join('; ')}.` };
}

export { read as readMetric };
