// Learned thresholds (METRICS.md "Learned thresholds"): a monitor's warning and critical
// thresholds as mean ± k·σ of its own metric over its earlier schedule ticks. Pure: the
// caller expands the schedule (cron) into tick instants and computes each tick's value over
// its window [t - window, t) from the aggregates as they stand now; `historyTicks` says
// which ticks, `learnThresholds` turns their values into thresholds.
import type { Comparator } from '../alerts/thresholds.js';
import { DAY_MS, WEEK_MS } from '../time.js';

export type Seasonality = 'NONE' | 'DAILY' | 'WEEKLY';

/** Fewer usable history values than this: the evaluation is NO_DATA. */
export const MIN_HISTORY = 5;

const PERIOD_MS: Record<Seasonality, number> = { NONE: 1, DAILY: DAY_MS, WEEKLY: WEEK_MS };

export interface AutoThresholdSpec {
  lookbackMs: number;
  /** null: no threshold at that level */
  warningSigmas: number | null;
  criticalSigmas: number | null;
  seasonality: Seasonality;
}

/** The metric at one history tick. */
export interface HistoryPoint {
  t: number;
  value: number | null;
  sampleSize: number;
}

export interface LearnedThresholds {
  status: 'OK' | 'NO_DATA';
  /** the values used: non-null, sample >= minSampleSize, in tick order */
  history: HistoryPoint[];
  /** mean and population standard deviation (ddof 0) of the history; null when NO_DATA */
  mean: number | null;
  std: number | null;
  warningThreshold: number | null;
  criticalThreshold: number | null;
}

/** Null when the spec is usable, else the field at fault and why. */
export function checkAutoThreshold(spec: AutoThresholdSpec): { field: string; message: string } | null {
  if (!(Number.isFinite(spec.lookbackMs) && spec.lookbackMs > 0)) return { field: 'lookback', message: 'must be a positive duration' };
  if (!(spec.seasonality in PERIOD_MS)) return { field: 'seasonality', message: 'must be NONE, DAILY or WEEKLY' };
  if (spec.warningSigmas === null && spec.criticalSigmas === null) return { field: 'criticalSigmas', message: 'set warningSigmas, criticalSigmas or both' };
  for (const [field, v] of [['warningSigmas', spec.warningSigmas], ['criticalSigmas', spec.criticalSigmas]] as const) {
    if (v !== null && !(Number.isFinite(v) && v >= 0)) return { field, message: 'must be a finite number >= 0' };
  }
  if (spec.warningSigmas !== null && spec.criticalSigmas !== null && !(spec.warningSigmas < spec.criticalSigmas)) {
    return { field: 'warningSigmas', message: `must be below criticalSigmas (${spec.criticalSigmas}), so the warning band sits inside the critical one` };
  }
  return null;
}

/**
 * The history ticks for an evaluation at `at`: the schedule's ticks t with
 * at - lookback <= t < at, DAILY keeping those at the same UTC time of day as `at`, WEEKLY
 * the same UTC weekday and time. `ticks` must ascend; it is read only up to the first tick
 * >= at, so an endless schedule iterator will do.
 */
export function historyTicks(ticks: Iterable<number>, at: number, lookbackMs: number, seasonality: Seasonality): number[] {
  const period = PERIOD_MS[seasonality];
  const out: number[] = [];
  let prev = -Infinity;
  for (const t of ticks) {
    if (!Number.isFinite(t)) throw new RangeError(`ticks: expected finite instants, got ${String(t)}`);
    if (t < prev) throw new RangeError(`ticks: must ascend, got ${t} after ${prev}`);
    prev = t;
    if (t >= at) break;
    if (t < at - lookbackMs) continue;
    if (period === 1 || (at - t) % period === 0) out.push(t);
  }
  return out;
}

/**
 * Mean and population standard deviation. Both passes are taken about the first value, so a
 * constant history gives exactly that value and σ = 0 (np.mean of seven 0.1s is not 0.1,
 * and a band a few ulps off would fire on a flat series).
 */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const x0 = values[0]!;
  let d = 0;
  for (const v of values) d += v - x0;
  const mean = x0 + d / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(ss / n) };
}

/** Thresholds from the history points (already computed at the ticks of historyTicks). */
export function learnThresholds(
  points: Iterable<HistoryPoint>,
  spec: Pick<AutoThresholdSpec, 'warningSigmas' | 'criticalSigmas'>,
  comparator: Comparator,
  minSampleSize: number | null,
): LearnedThresholds {
  const min = minSampleSize ?? 0;
  const history: HistoryPoint[] = [];
  for (const p of points) if (p.value !== null && Number.isFinite(p.value) && p.sampleSize >= min) history.push(p);
  if (history.length < MIN_HISTORY) return { status: 'NO_DATA', history, mean: null, std: null, warningThreshold: null, criticalThreshold: null };
  const { mean, std } = meanStd(history.map((p) => p.value!));
  const dir = comparator === 'GT' || comparator === 'GTE' ? 1 : -1;
  const at = (k: number | null) => (k === null ? null : mean + dir * k * std);
  return { status: 'OK', history, mean, std, warningThreshold: at(spec.warningSigmas), criticalThreshold: at(spec.criticalSigmas) };
}

/** historyTicks, then the metric at each tick, then learnThresholds: for a synchronous `value`. */
export function learnedThresholdsAt(input: {
  at: number;
  ticks: Iterable<number>;
  spec: AutoThresholdSpec;
  comparator: Comparator;
  minSampleSize: number | null;
  value: (t: number) => { value: number | null; sampleSize: number };
}): LearnedThresholds {
  const { at, ticks, spec } = input;
  const points = historyTicks(ticks, at, spec.lookbackMs, spec.seasonality).map((t) => ({ t, ...input.value(t) }));
  return learnThresholds(points, spec, input.comparator, input.minSampleSize);
}
