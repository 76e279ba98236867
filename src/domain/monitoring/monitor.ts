// A monitor and its evaluations as services, the store and adapters exchange them.
import type { Comparator } from '../alerts/thresholds.js';
import type { Severity } from '../alerts/state-machine.js';
import type { Seasonality } from '../metrics/learned-thresholds.js';

/** Thresholds learned from the metric's own history (METRICS.md "Learned thresholds"). */
export interface AutoThreshold {
  /** as the user wrote it ("28d"), and in ms */
  lookback: string;
  lookbackMs: number;
  warningSigmas: number | null;
  criticalSigmas: number | null;
  seasonality: Seasonality;
}

/** A monitor's checked definition (src/services/monitor-validation.ts checks it). */
export interface MonitorSpec {
  name: string;
  metric: string;
  feature: string | null;
  attribute: string | null;
  window: string;
  windowMs: number;
  schedule: string;
  comparator: Comparator;
  warningThreshold: number | null;
  criticalThreshold: number | null;
  /** learned thresholds instead of the fixed ones (then both fixed ones are null) */
  autoThreshold: AutoThreshold | null;
  forEvaluations: number;
  minSampleSize: number;
  repeatInterval: string;
  repeatIntervalMs: number;
  enabled: boolean;
  /** evaluated on this version's events only (its name; null: all versions) */
  version: string | null;
  /** evaluated on this segment's events only (its name; null: all events) */
  segment: string | null;
}

/** What one evaluation compares against: the fixed thresholds, or the learned ones with their history's figures. */
export interface UsedThresholds {
  warning: number | null;
  critical: number | null;
  /** null for fixed thresholds; NO_DATA when the history held fewer than MIN_HISTORY values */
  learned: { status: 'OK' | 'NO_DATA'; mean: number | null; std: number | null; values: number } | null;
}

export interface MonitorRecord extends MonitorSpec {
  id: number;
  modelId: number;
  createdAt: number;
  updatedAt: number;
}

export interface EvaluationRecord {
  monitorId: number;
  at: number;
  from: number;
  to: number;
  value: number | null;
  sampleSize: number;
  severity: Severity;
  /** the thresholds used (the learned ones for an autoThreshold monitor; null: none at that level) */
  warningThreshold: number | null;
  criticalThreshold: number | null;
}
