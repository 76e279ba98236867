// A monitor and its evaluations as services, the store and adapters exchange them.
import type { Comparator } from '../alerts/thresholds.js';
import type { Severity } from '../alerts/state-machine.js';

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
}
