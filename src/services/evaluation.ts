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
import { historyTicksOf, thresholdsAt, thresholdsFrom, valuesAtTicks, type UsedThresholds } from './threshold-history.js';

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
 * The metric over [at - window, at) and its severity against `used` (the fixed thresholds,
 * or the learned ones: NO_DATA while the history is too short). A metric that cannot be
 * computed for a reason the user can fix (no baseline yet) is NO_DATA and logged; a bug is thrown.
 */
async function measure(deps: Deps, compute: ComputeMetric, m: MonitorRecord, model: ModelRecord, at: number, used: UsedThresholds) {
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
  const severity: Severity =
    used.learned?.status === 'NO_DATA' ? 'NO_DATA' : severityOf(value, sampleSize, { comparator: m.comparator, warning: used.warning, critical: used.critical, minSampleSize: m.minSampleSize });
  return { from, to, value: Number.isFinite(value) ? value : null, sampleSize, severity, warningThreshold: used.warning, criticalThreshold: used.critical, used, importance };
}

type Measured = Awaited<ReturnType<typeof measure>>;

function evaluationOf(monitorId: number, at: number, e: Measured): EvaluationRecord {
  const { from, to, value, sampleSize, severity, warningThreshold, criticalThreshold } = e;
  return { monitorId, at, from, to, value, sampleSize, severity, warningThreshold, criticalThreshold };
}

/**
 * The thresholds of each backtest tick. Learned ones read every history tick of the whole
 * range once (a tick's value is the same whichever evaluation looks back at it: the data as
 * it stands now), so the backtest learns exactly what the scheduler will.
 */
async function backtestHistory(deps: Deps, model: ModelRecord, m: MonitorRecord, ticks: number[], opts: EvaluateOptions): Promise<(at: number) => UsedThresholds> {
  if (m.autoThreshold === null) return () => ({ warning: m.warningThreshold, critical: m.criticalThreshold, learned: null });
  const byTick = new Map<number, number[]>();
  const all = new Set<number>();
  for (const at of ticks) {
    // too many history ticks refuse the backtest, naming the field, rather than replay NO_DATA
    const h = historyTicksOf(m, at, 'input.autoThreshold.lookback');
    byTick.set(at, h);
    for (const t of h) all.add(t);
  }
  let values: Awaited<ReturnType<typeof valuesAtTicks>>;
  try {
    values = await valuesAtTicks(deps, model, m, [...all].sort((a, b) => a - b), opts.computeMetric);
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'INTERNAL_SERVER_ERROR') throw err;
    return () => ({ warning: null, critical: null, learned: { status: 'NO_DATA', mean: null, std: null, values: 0 } });
  }
  return (at) => thresholdsFrom(m, byTick.get(at)!, values);
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
  const compute = computeOf(opts);
  const e = await measure(deps, compute, monitor, model, at, await thresholdsAt(deps, model, monitor, at, opts.computeMetric));
  const now = deps.clock.now();
  const { alerts, evaluations, monitors } = deps.store;
  return deps.store.transaction(async () => {
    await alerts.lockMonitor(id);
    const state = await monitors.withStreak(id);
    if (!state) throw notFound(`monitor ${id}`);
    const inserted = await evaluations.record(evaluationOf(id, at, e), now);
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
  const learn = await backtestHistory(deps, model, monitor, ticks, opts);
  const out: EvaluationRecord[] = [];
  for (const at of ticks) out.push(evaluationOf(0, at, await measure(deps, compute, monitor, model, at, learn(at))));
  return out;
}
