// A monitor's autoThreshold as both adapters store it: one text column holding JSON
// (lookback as written, sigmas, seasonality); the milliseconds are derived on reading.
import type { AutoThreshold } from '../domain/monitoring/monitor.js';
import type { Seasonality } from '../domain/metrics/learned-thresholds.js';
import { parseDuration } from '../domain/windows.js';

/** The column's text, or null for a fixed-threshold monitor. */
export function autoThresholdText(a: AutoThreshold | null): string | null {
  if (a === null) return null;
  return JSON.stringify({ lookback: a.lookback, warningSigmas: a.warningSigmas, criticalSigmas: a.criticalSigmas, seasonality: a.seasonality });
}

/** The column's value back as a record (it was checked when written). */
export function autoThresholdOf(text: string | null): AutoThreshold | null {
  if (text === null || text === undefined) return null;
  const j = JSON.parse(text) as { lookback: string; warningSigmas: number | null; criticalSigmas: number | null; seasonality: Seasonality };
  const lookbackMs = parseDuration(j.lookback);
  if (lookbackMs === null) throw new Error(`monitors.auto_threshold: stored lookback "${j.lookback}" is not a duration`);
  return { lookback: j.lookback, lookbackMs, warningSigmas: j.warningSigmas, criticalSigmas: j.criticalSigmas, seasonality: j.seasonality };
}
