// The reads behind every metric, as plain questions in and plain answers out (both cross
// a thread boundary: src/store/sqlite/data/read-pool.ts), and where they run. Types only: src/services/answer-reads.ts
// answers them.
import type { ModelRecord } from '../model.js';
import type { DriftResult, FairnessResult, IntegrityResult, PerformanceResult, TrafficResult } from './compute-window.js';
import type { Metric } from './metric-value.js';
import type { FeatureImportance } from './attributions.js';

export type Granularity = 'HOUR' | 'DAY';

export interface Window {
  from: number;
  to: number;
}

export interface Question extends Window {
  metric: Metric;
  feature?: string | null;
  attribute?: string | null;
}

/** One series of a seriesSet: what Question asks beside the window. */
export type SeriesQuestion = Pick<Question, 'metric' | 'feature' | 'attribute'>;

export interface SeriesPoint {
  /** bucket start (epoch ms), clipped to `from` (to its hour over purged time) */
  start: number;
  value: number | null;
  sampleSize: number;
}

/** What health needs from the last 24 hours' statistics. */
export interface HealthFigures {
  count: number;
  hasBaseline: boolean;
  /**
   * the highest PSI among the features and the output (named `the output <name>`), if any,
   * with the feature's share of the baseline's attribution (null for the output, or without)
   */
  worst: { what: string; psi: number; share: number | null } | null;
  performance: PerformanceResult | null;
}

/** One metric's value; a drift metric of a feature also says the feature's baseline attribution share. */
export interface MetricAnswer {
  value: number | null;
  sampleSize: number;
  importance?: number | null;
}

/** Every read: its arguments and its answer. */
interface Reads {
  drift: { args: Window; answer: DriftResult[] };
  outputDrift: { args: Window; answer: DriftResult | null };
  integrity: { args: Window; answer: IntegrityResult[] };
  performance: { args: Window; answer: PerformanceResult };
  traffic: { args: Window; answer: TrafficResult };
  fairness: { args: Window & { attribute: string }; answer: FairnessResult };
  metric: { args: Question; answer: MetricAnswer };
  series: { args: Question & { granularity: Granularity }; answer: SeriesPoint[] };
  /** several series over one window: each bucket's statistics merged once for all of them */
  seriesSet: { args: Window & { granularity: Granularity; questions: SeriesQuestion[] }; answer: SeriesPoint[][] };
  /** the metric over each of `windows` (all inside [from, to)), in one read: a learned threshold's history */
  windows: { args: Question & { windows: Window[] }; answer: Array<{ value: number | null; sampleSize: number }> };
  health: { args: Window; answer: HealthFigures };
  featureImportance: { args: Window; answer: FeatureImportance[] };
}

export type ReadKind = keyof Reads;
/** `slice`: the statistics slice read (domain/slices.ts), 0 or absent: the whole model. */
export type MetricRead<K extends ReadKind = ReadKind> = { [P in K]: { kind: P; model: ModelRecord; slice?: number } & Reads[P]['args'] }[K];
export type ReadAnswer<K extends ReadKind> = Reads[K]['answer'];

/** Where metric reads run: the pool of read workers, or in process. */
export interface MetricReader {
  read<K extends ReadKind>(r: MetricRead<K>): Promise<ReadAnswer<K>>;
  close(): Promise<void>;
}

