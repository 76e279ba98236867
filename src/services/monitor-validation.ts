// Checks a monitor definition against its model, its channels and the contract's rules.
// Every complaint is a BAD_USER_INPUT naming the field and the reason.
import { badInput } from '../errors.js';
import type { ModelRecord } from '../domain/model.js';
import { checkMetricFits } from '../domain/metrics/catalogue.js';
import { checkThresholds, type Comparator } from '../domain/alerts/thresholds.js';
import { DAY, MINUTE, parseDuration } from '../domain/windows.js';
import { parseSchedule } from '../domain/schedule.js';
import type { AutoThreshold, MonitorSpec } from '../domain/monitoring/monitor.js';
import { checkAutoThreshold, MIN_HISTORY, type Seasonality } from '../domain/metrics/learned-thresholds.js';
import { WEEK_MS } from '../domain/time.js';

export type { MonitorSpec };

/** autoThreshold as a caller gives it, unchecked. */
export interface AutoThresholdFields {
  lookback: string;
  warningSigmas?: number | null;
  criticalSigmas?: number | null;
  seasonality?: string | null;
}

/** What a caller may give: GraphQL's optional fields, unchecked. */
export interface MonitorFields {
  name: string;
  metric: string;
  feature?: string | null;
  attribute?: string | null;
  window: string;
  schedule: string;
  comparator: string;
  warningThreshold?: number | null;
  criticalThreshold?: number | null;
  autoThreshold?: AutoThresholdFields | null;
  forEvaluations?: number | null;
  minSampleSize?: number | null;
  repeatInterval?: string | null;
  enabled?: boolean | null;
  /** a version / segment name of the model ("" or null: none); that they exist is checked against the store (monitors.ts) */
  version?: string | null;
  segment?: string | null;
}

export const MAX_WINDOW_MS = 90 * DAY;
const MAX_REPEAT_MS = 30 * DAY;
const COMPARATORS = new Set(['GT', 'GTE', 'LT', 'LTE']);

function duration(text: string, field: string, min: number, max: number, maxText: string): number {
  const ms = parseDuration(text ?? '');
  if (ms === null) throw badInput(field, `"${text}" is not a duration; write a whole number and a unit: 30m, 1h, 24h, 7d`);
  if (ms < min) throw badInput(field, `"${text}" is too short; the least is 1m`);
  if (ms > max) throw badInput(field, `"${text}" is too long; the most is ${maxText}`);
  return ms;
}

function wholeNumber(v: number | null | undefined, field: string, dflt: number, min: number, max: number): number {
  if (v === null || v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw badInput(field, `must be a whole number from ${min} to ${max}, got ${v}`);
  return v;
}

const SEASONALITIES = new Set<string>(['NONE', 'DAILY', 'WEEKLY']);
const SEASON_MS: Record<Seasonality, number> = { NONE: 0, DAILY: DAY, WEEKLY: WEEK_MS };

/** Checks an autoThreshold; `field` names it in every complaint. */
function checkAuto(a: AutoThresholdFields, field: string): AutoThreshold {
  const lookback = (a.lookback ?? '').trim();
  const lookbackMs = duration(lookback, `${field}.lookback`, MINUTE, MAX_WINDOW_MS, '90d');
  const seasonality = a.seasonality ?? 'NONE';
  if (!SEASONALITIES.has(seasonality)) throw badInput(`${field}.seasonality`, 'must be NONE, DAILY or WEEKLY');
  const spec = { lookbackMs, warningSigmas: a.warningSigmas ?? null, criticalSigmas: a.criticalSigmas ?? null, seasonality: seasonality as Seasonality };
  const problem = checkAutoThreshold(spec);
  if (problem) throw badInput(`${field}.${problem.field}`, problem.message);
  const period = SEASON_MS[spec.seasonality];
  // a seasonal history holds at most one value per period: fewer than MIN_HISTORY would be NO_DATA forever
  if (period > 0 && lookbackMs < MIN_HISTORY * period) {
    throw badInput(`${field}.lookback`, `"${lookback}" holds fewer than ${MIN_HISTORY} ${spec.seasonality.toLowerCase()} values; with ${spec.seasonality} the least is ${MIN_HISTORY * (period / DAY)}d`);
  }
  return { lookback, ...spec };
}

/** What the alert state machine needs of a monitor. */
export type AlertingSpec = Pick<MonitorSpec, 'comparator' | 'warningThreshold' | 'criticalThreshold' | 'autoThreshold' | 'forEvaluations' | 'minSampleSize' | 'repeatInterval' | 'repeatIntervalMs'>;

/** Checks how a monitor alerts (comparator, thresholds, counts, repeat interval); throws BAD_USER_INPUT on the first problem. */
export function checkAlerting(
  f: Pick<MonitorFields, 'comparator' | 'warningThreshold' | 'criticalThreshold' | 'autoThreshold' | 'forEvaluations' | 'minSampleSize' | 'repeatInterval'>,
  prefix = 'input',
): AlertingSpec {
  if (!COMPARATORS.has(f.comparator)) throw badInput(`${prefix}.comparator`, 'must be GT, GTE, LT or LTE');
  const comparator = f.comparator as Comparator;
  const warningThreshold = f.warningThreshold ?? null;
  const criticalThreshold = f.criticalThreshold ?? null;
  const auto = f.autoThreshold ?? null;
  if (auto !== null && (warningThreshold !== null || criticalThreshold !== null)) {
    const fixed = warningThreshold !== null ? 'warningThreshold' : 'criticalThreshold';
    throw badInput(`${prefix}.autoThreshold`, `learned thresholds replace fixed ones: leave ${fixed} unset with autoThreshold`);
  }
  const autoThreshold = auto === null ? null : checkAuto(auto, `${prefix}.autoThreshold`);
  if (autoThreshold === null) {
    const th = checkThresholds(comparator, warningThreshold, criticalThreshold);
    if (th) throw badInput(`${prefix}.${th.field}`, th.message);
  }
  const repeatInterval = (f.repeatInterval ?? '4h').trim();
  const repeatIntervalMs = duration(repeatInterval, `${prefix}.repeatInterval`, MINUTE, MAX_REPEAT_MS, '30d');
  return {
    comparator,
    warningThreshold,
    criticalThreshold,
    autoThreshold,
    forEvaluations: wholeNumber(f.forEvaluations, `${prefix}.forEvaluations`, 1, 1, 1000),
    minSampleSize: wholeNumber(f.minSampleSize, `${prefix}.minSampleSize`, 1, 0, 1_000_000_000),
    repeatInterval,
    repeatIntervalMs,
  };
}

/** The full, checked definition of a monitor of `model`; throws BAD_USER_INPUT on the first problem. */
export function checkMonitor(model: ModelRecord, f: MonitorFields, prefix = 'input'): MonitorSpec {
  const name = (f.name ?? '').trim();
  if (!name) throw badInput(`${prefix}.name`, 'must not be empty');
  if (name.length > 128) throw badInput(`${prefix}.name`, 'must be at most 128 characters');
  const feature = f.feature ?? null;
  const attribute = f.attribute ?? null;
  const problem = checkMetricFits(model, f.metric, feature, attribute);
  if (problem) throw badInput(`${prefix}.${problem.field}`, problem.message);
  const windowMs = duration(f.window, `${prefix}.window`, MINUTE, MAX_WINDOW_MS, '90d');
  const parsed = parseSchedule(f.schedule);
  if (!parsed.ok) throw badInput(`${prefix}.schedule`, parsed.reason);
  const alerting = checkAlerting(f, prefix);
  return {
    name,
    metric: f.metric,
    feature,
    attribute,
    window: f.window,
    windowMs,
    schedule: f.schedule,
    ...alerting,
    enabled: f.enabled ?? true,
    version: f.version || null,
    segment: f.segment || null,
  };
}
