// What every simulated demo model provides, and the story's calendar: 14 days of traffic,
// drift from day 10, a short incident earlier that opens an alert and resolves.
import type { Random } from './random.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';

export { DAY_MS, HOUR_MS };

/** Days of simulated traffic, ending at the present hour. */
export const HISTORY_DAYS = 14;
/** Drift starts on this day of the history and reaches full strength over DRIFT_RAMP_DAYS. */
export const DRIFT_START_DAY = 10;
export const DRIFT_RAMP_DAYS = 1.5;

/** Where in the story an event falls. */
export interface Phase {
  /** days since the history began (fractional) */
  day: number;
  /** 0 before day 10, rising to 1 over the ramp */
  drift: number;
  /** inside this model's short incident (an outage, a storm) */
  incident: boolean;
}

/** One simulated prediction and its ground truth. */
export interface SimulatedRow {
  features: Record<string, unknown>;
  /** the model version that made it (absent: the model's current version) */
  modelVersion?: string;
  /** per-feature contributions to the score (SHAP values of the model's logit) */
  attributions?: Record<string, number>;
  score?: number;
  value?: number;
  actualLabel?: string;
  actualValue?: number;
}

export interface DemoModelSim {
  /** a prefix for event ids */
  prefix: string;
  /** the model's own seed, mixed with the hour */
  seed: number;
  /** [startDay, endDay) of the incident, as fractional days of the history */
  incident: [number, number];
  /** share of events whose actual ever arrives */
  labelRate: number;
  /** how long after the prediction its actual arrives */
  labelDelayMs(rng: Random): number;
  /** days of calm traffic before the story's first day, logged but not monitored (default 0) */
  preHistoryDays?: number;
  /** the hour's volume as a share of the daily rhythm's (default 1) */
  volume?(hourStart: number): number;
  /** one row of traffic at this point of the story */
  row(rng: Random, phase: Phase): SimulatedRow;
}

/** The phase of a moment of the history that began at `start`. */
export function phaseAt(sim: DemoModelSim, start: number, ts: number): Phase {
  const day = (ts - start) / DAY_MS;
  const drift = Math.min(1, Math.max(0, (day - DRIFT_START_DAY) / DRIFT_RAMP_DAYS));
  return { day, drift, incident: day >= sim.incident[0] && day < sim.incident[1] };
}

/** Rounds to `digits` decimals, so the demo's NDJSON reads like real data. */
export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
