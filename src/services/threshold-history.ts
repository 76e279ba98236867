// The thresholds a monitor evaluates against at `at`: its fixed ones, or those learned from
// its metric's own history (METRICS.md "Learned thresholds"): the metric at each earlier
// schedule tick in the lookback, each over its own window, read from the aggregates in one
// read (metrics.ts computeMetricOverWindows), then domain/metrics/learned-thresholds.ts.
import { AppError, badInput } from '../errors.js';
import type { ModelRecord } from '../domain/model.js';
import type { MonitorSpec, UsedThresholds } from '../domain/monitoring/monitor.js';
import { historyTicks, learnThresholds, type HistoryPoint } from '../domain/metrics/learned-thresholds.js';
import { isTick, ticksBetween, type CronFields } from '../domain/windows.js';
import { parseSchedule } from '../domain/schedule.js';
import { DAY_MS, WEEK_MS } from '../domain/time.js';
import type { Deps } from './deps.js';
import { computeMetricOverWindows } from './metrics.js';

export type { UsedThresholds };

/** Most history values one evaluation reads (28 days of a 10-minute schedule fit). */
export const MAX_HISTORY_TICKS = 5_000;


type Monitor = Pick<MonitorSpec, 'metric' | 'feature' | 'attribute' | 'windowMs' | 'schedule' | 'comparator' | 'warningThreshold' | 'criticalThreshold' | 'autoThreshold' | 'minSampleSize' | 'version' | 'segment'>;

/** A metric value at a history tick. */
type TickValue = { value: number | null; sampleSize: number };

/** evaluation.ts's ComputeMetric, as far as the history needs it (a test's substitute metric). */
type ComputeMetric = (
  deps: Deps,
  model: ModelRecord,
  q: { metric: string; feature: string | null; attribute: string | null; from: number; to: number; version: string | null; segment: string | null },
) => Promise<TickValue>;

function fieldsOf(schedule: string): CronFields {
  const parsed = parseSchedule(schedule);
  if (!parsed.ok) throw badInput('schedule', parsed.reason);
  return parsed.fields;
}

/**
 * The history ticks of an evaluation at `at`, ascending (historyTicks' rule). A seasonal
 * history only looks at `at` minus whole periods, so a minute schedule stays cheap.
 * BAD_USER_INPUT on autoThreshold.lookback when there are more than MAX_HISTORY_TICKS.
 */
export function historyTicksOf(m: Monitor, at: number, field = 'autoThreshold.lookback'): number[] {
  const auto = m.autoThreshold!;
  const fields = fieldsOf(m.schedule);
  let candidates: number[];
  if (auto.seasonality === 'NONE') {
    candidates = ticksBetween(fields, at - auto.lookbackMs, at, MAX_HISTORY_TICKS);
  } else {
    const period = auto.seasonality === 'DAILY' ? DAY_MS : WEEK_MS;
    candidates = [];
    for (let k = Math.floor(auto.lookbackMs / period); k >= 1; k--) if (isTick(fields, at - k * period)) candidates.push(at - k * period);
  }
  const ticks = historyTicks(candidates, at, auto.lookbackMs, auto.seasonality);
  if (ticks.length > MAX_HISTORY_TICKS) {
    throw badInput(field, `schedule "${m.schedule}" fires more than ${MAX_HISTORY_TICKS.toLocaleString('en-US')} times in ${auto.lookback}; use a shorter lookback, DAILY or WEEKLY seasonality, or a sparser schedule`);
  }
  return ticks;
}

/** Throws BAD_USER_INPUT naming `<prefix>.autoThreshold.lookback` when a learned monitor's history at `at` would be too long to read. */
export function checkHistorySize(m: Monitor, at: number, prefix = 'input'): void {
  if (m.autoThreshold !== null) historyTicksOf(m, at, `${prefix}.autoThreshold.lookback`);
}

/**
 * The metric at each tick over [t - window, t) in the monitor's scope, from the aggregates:
 * one read for all of them, or `compute` tick by tick when a caller substitutes its own.
 */
export async function valuesAtTicks(deps: Deps, model: ModelRecord, m: Monitor, ticks: number[], compute?: ComputeMetric): Promise<Map<number, TickValue>> {
  const out = new Map<number, TickValue>();
  if (ticks.length === 0) return out;
  const q = { metric: m.metric, feature: m.feature, attribute: m.attribute };
  if (compute) {
    for (const t of ticks) out.set(t, await compute(deps, model, { ...q, from: t - m.windowMs, to: t, version: m.version, segment: m.segment }));
    return out;
  }
  const values = await computeMetricOverWindows(deps, model, { ...q, windows: ticks.map((t) => ({ from: t - m.windowMs, to: t })) }, { version: m.version, segment: m.segment });
  ticks.forEach((t, i) => out.set(t, values[i]!));
  return out;
}

/** Thresholds from the history values already read (`values` must hold every tick of `ticks`). */
export function thresholdsFrom(m: Monitor, ticks: number[], values: Map<number, TickValue>): UsedThresholds {
  const auto = m.autoThreshold!;
  const points: HistoryPoint[] = ticks.map((t) => ({ t, ...values.get(t)! }));
  const l = learnThresholds(points, auto, m.comparator, m.minSampleSize);
  return { warning: l.warningThreshold, critical: l.criticalThreshold, learned: { status: l.status, mean: l.mean, std: l.std, values: l.history.length } };
}

const NO_HISTORY: UsedThresholds['learned'] = { status: 'NO_DATA', mean: null, std: null, values: 0 };

/**
 * The thresholds of an evaluation at `at`. A history that cannot be read for a reason the
 * user can fix (no baseline yet, too many ticks) is NO_DATA and logged, as the metric is.
 */
export async function thresholdsAt(deps: Deps, model: ModelRecord, m: Monitor & { id?: number }, at: number, compute?: ComputeMetric): Promise<UsedThresholds> {
  if (m.autoThreshold === null) return { warning: m.warningThreshold, critical: m.criticalThreshold, learned: null };
  try {
    const ticks = historyTicksOf(m, at);
    return thresholdsFrom(m, ticks, await valuesAtTicks(deps, model, m, ticks, compute));
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'INTERNAL_SERVER_ERROR') throw err;
    deps.log.warn({ monitorId: m.id, metric: m.metric, reason: err.message }, 'learned thresholds unavailable; recorded as NO_DATA');
    return { warning: null, critical: null, learned: NO_HISTORY };
  }
}
