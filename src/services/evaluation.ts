// Running a monitor: read the window's metric, decide with the pure state machine, then
// write the evaluation, the alert change and the outbox rows in one transaction,
// serialised per monitor (ARCHITECTURE rule 2). One evaluation per (monitor, run time): a repeated
// or overlapping run of the same tick records nothing more and notifies nobody again.
import { AppError, badInput, notFound } from '../errors.js';
import type { ModelRecord } from '../domain/model.js';
import { applyEvaluation, severityOf, type RuleState, type Severity } from '../domain/alerts/state-machine.js';
import { openAlertState } from '../domain/monitoring/alert.js';
import { ticksBetween, windowAt } from '../domain/windows.js';
import { parseSchedule } from '../domain/schedule.js';
import type { Actor, Deps } from './deps.js';
import { writeAudit } from './audit.js';
import { findModel, findModelById } from './models.js';
import { checkMonitor, type MonitorFields } from './monitor-validation.js';
import { checkMonitorScope, getMonitor, type EvaluationRecord, type MonitorRecord } from './monitors.js';
import { writeTransition } from './alert-transitions.js';
import { computeMetric } from './metrics.js';

export interface MetricQuery {
  metric: string;
  feature?: string | null;
  attribute?: string | null;
  from: number;
  to: number;
  /** the monitor's narrowing: one version and/or one segment (null: all events) */
  version?: string | null;
  segment?: string | null;
}

/**
 * The metrics team's single number over a window (src/services/metrics.ts); a drift metric
 * of a feature may say the feature's share of the baseline's attribution (`importance`).
 */
export type ComputeMetric = (deps: Deps, model: ModelRecord, q: MetricQuery) => Promise<{ value: number | null; sampleSize: number; importance?: number | null }>;

export interface EvaluateOptions {
  computeMetric?: ComputeMetric;
  /** who asked (the evaluateMonitor mutation): audited; scheduled runs pass none */
  actor?: Actor;
}

/** Most ticks a backtest replays. */
export const MAX_BACKTEST_TICKS = 10_000;

/** The metric over the monitor's scope (services/metrics.ts narrows it to the version's / segment's slice). */
const scopedMetric: ComputeMetric = (deps, model, q) => computeMetric(deps, model, q, { version: q.version ?? null, segment: q.segment ?? null });

function computeOf(opts: EvaluateOptions): ComputeMetric {
  return opts.computeMetric ?? scopedMetric;
}

/**
 * The metric over [at - window, at) and its severity. A metric that cannot be computed
 * for a reason the user can fix (no baseline yet) is NO_DATA and logged; a bug is thrown.
 */
async function measure(deps: Deps, compute: ComputeMetric, m: MonitorRecord, model: ModelRecord, at: number) {
  const { from, to } = windowAt(at, m.windowMs);
  let value: number | null = null;
  let sampleSize = 0;
  let importance: number | null = null;
  try {
    ({ value, sampleSize, importance = null } = await compute(deps, model, { metric: m.metric, feature: m.feature, attribute: m.attribute, from, to, version: m.version, segment: m.segment }));
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'INTERNAL_SERVER_ERROR') throw err;
    deps.log.warn({ monitorId: m.id, metric: m.metric, reason: err.message }, 'monitor metric unavailable; recorded as NO_DATA');
  }
  const severity: Severity = severityOf(value, sampleSize, {
    comparator: m.comparator,
    warning: m.warningThreshold,
    critical: m.criticalThreshold,
    minSampleSize: m.minSampleSize,
  });
  return { from, to, value: Number.isFinite(value) ? value : null, sampleSize, severity, importance };
}

/**
 * Exactly what a scheduled run at `at` does: evaluates, records, moves the alert on and
 * queues its notifications, once per (monitor, at). Any `at` is allowed (backfill);
 * evaluations apply to the alert in the order they are made. NOT_FOUND for an unknown monitor.
 */
export async function evaluateMonitor(deps: Deps, id: number, at: number, opts: EvaluateOptions = {}): Promise<EvaluationRecord> {
  if (!Number.isFinite(at)) throw badInput('at', 'must be a date');
  const monitor = await getMonitor(deps, id);
  if (!monitor) throw notFound(`monitor ${id}`);
  const done = await deps.store.evaluations.find(id, at);
  if (done) return done;
  const model = (await findModelById(deps, monitor.modelId))!;
  const e = await measure(deps, computeOf(opts), monitor, model, at);
  const now = deps.clock.now();
  const { alerts, evaluations, monitors } = deps.store;
  return deps.store.transaction(async () => {
    await alerts.lockMonitor(id);
    const state = await monitors.withStreak(id);
    if (!state) throw notFound(`monitor ${id}`);
    const inserted = await evaluations.record({ monitorId: id, at, from: e.from, to: e.to, value: e.value, sampleSize: e.sampleSize, severity: e.severity }, now);
    // Another run of the same tick got here first: its decision stands, alone.
    if (!inserted) return (await evaluations.find(id, at))!;
    const { monitor: current, streak } = state;
    const open = await alerts.openOf(id);
    const prev: RuleState = { streak, alert: openAlertState(open) };
    const tr = applyEvaluation({ forEvaluations: current.forEvaluations, repeatIntervalMs: current.repeatIntervalMs }, prev, at, e.severity);
    await writeTransition(deps, { monitor: current, modelName: model.name, open, tr, at, now, evaluation: e });
    if (tr.state.streak !== streak) await monitors.setStreak(id, tr.state.streak);
    if (opts.actor) {
      const details = { at: new Date(at).toISOString(), severity: e.severity, value: e.value, sampleSize: e.sampleSize, alert: tr.steps.map((s) => s.kind) };
      await writeAudit(deps, now, opts.actor, 'evaluateMonitor', `monitor:${id}`, details);
    }
    return inserted;
  });
}

/**
 * What a monitor defined by `input` would have evaluated at each tick of its schedule in
 * [from, to), oldest first. Records nothing and notifies nobody. BAD_USER_INPUT when the
 * range is empty or holds more than 10,000 ticks.
 */
export async function backtestMonitor(
  deps: Deps,
  input: MonitorFields & { model: string },
  from: number,
  to: number,
  opts: EvaluateOptions = {},
): Promise<EvaluationRecord[]> {
  const model = await findModel(deps, input.model);
  if (!model) throw badInput('input.model', `no model named "${input.model}"`);
  const spec = checkMonitor(model, input);
  await checkMonitorScope(deps, model, spec);
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) throw badInput('to', 'must be after from');
  const parsed = parseSchedule(spec.schedule);
  if (!parsed.ok) throw badInput('input.schedule', parsed.reason);
  const ticks = ticksBetween(parsed.fields, from, to, MAX_BACKTEST_TICKS);
  if (ticks.length > MAX_BACKTEST_TICKS) {
    throw badInput('to', `schedule "${spec.schedule}" fires more than ${MAX_BACKTEST_TICKS.toLocaleString('en-US')} times in [from, to); backtest a shorter range or a sparser schedule`);
  }
  const monitor: MonitorRecord = { ...spec, id: 0, modelId: model.id, createdAt: from, updatedAt: from };
  const compute = computeOf(opts);
  const out: EvaluationRecord[] = [];
  for (const at of ticks) {
    const e = await measure(deps, compute, monitor, model, at);
    out.push({ monitorId: 0, at, from: e.from, to: e.to, value: e.value, sampleSize: e.sampleSize, severity: e.severity });
  }
  return out;
}
