// The baseline profile: everything drift needs from the baseline, built once when the
// baseline is set and stored as JSON. Numeric columns get the decile edges (PSI/JS bins)
// and FINE EDGES against which every window is histogrammed at ingest (docs/metrics.md):
// the distinct baseline values when there are at most FINE_EDGES of them (KS then exact),
// else FINE_EDGES quantiles; plus the deciles, min, max and declared bounds, so every
// boundary a metric needs is an edge.
import { createHash } from 'node:crypto';
import type { ModelRecord } from '../model.js';
import { npStd } from './numpy-sum.js';
import { decileEdges, quantileSorted, uniqueSorted } from './quantile.js';
import { categoryOf, numericKind, USABLE } from './values.js';
import { slotOf } from './fine-hist.js';
import type { StatsEvent } from './stats-event.js';
import { addAttributions, emptyAttributionStats, featureIndex, meanAbsAttributions } from './attributions.js';
import { checkCalibration, fitIsotonic, type IsotonicCalibration } from './isotonic.js';

/** Most fine edges drawn from a continuous baseline: KS error <= 1/FINE_EDGES. */
export const FINE_EDGES = 2048;

export interface NumericProfile {
  kind: 'numeric';
  /** usable baseline values */
  n: number;
  min: number;
  max: number;
  /** population standard deviation (ddof 0) */
  std: number;
  deciles: number[];
  /** true when every distinct baseline value is an edge (no baseline value inside an open interval) */
  exact: boolean;
  /** ascending, distinct; slot 2i = open interval below edges[i], 2i+1 = exactly edges[i] */
  edges: number[];
  /** baseline count per slot (length 2·edges + 1) */
  counts: number[];
  /** baseline sum of values per open interval (length edges + 1) */
  openSums: number[];
}

export interface CategoricalProfile {
  kind: 'categorical';
  n: number;
  counts: Record<string, number>;
}

export type ColumnProfile = NumericProfile | CategoricalProfile;

export interface BaselineProfile {
  /**
   * identifies what hourly statistics depend on: the fine-edge layout and the calibration
   * (rows built under another key are stale and rebuilt)
   */
  key: string;
  version: 1;
  rowCount: number;
  features: Record<string, ColumnProfile>;
  output: ColumnProfile;
  /**
   * Per feature with at least one finite attribution among the baseline rows: how many, and
   * their mean |a| (METRICS.md "Explanations"). Absent in profiles stored before
   * attributions existed: read as no baseline attributions (their rows had none).
   */
  attributions?: Record<string, BaselineAttribution>;
  /**
   * CBPE (METRICS.md "Estimated performance without labels"): the isotonic calibration of
   * the actual on the score over the baseline rows having both; binary classifiers only.
   * Null when no row has both; absent in profiles stored before CBPE: no estimate either.
   */
  calibration?: IsotonicCalibration | null;
}

export interface BaselineAttribution {
  n: number;
  meanAbs: number;
}

/** A baseline row as stored (`BaselineRowInput`): the same fields as an accumulated event. */
export type BaselineRow = StatsEvent;

/** Name and kind of the model's output column: score, value or predicted label. */
export function outputColumn(model: Pick<ModelRecord, 'task'>): { name: 'score' | 'value' | 'predictedLabel'; numeric: boolean } {
  if (model.task === 'REGRESSION') return { name: 'value', numeric: true };
  if (model.task === 'MULTICLASS_CLASSIFICATION') return { name: 'predictedLabel', numeric: false };
  return { name: 'score', numeric: true };
}

function numericProfile(values: number[], declared: Array<number | null>): NumericProfile {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { kind: 'numeric', n: 0, min: NaN, max: NaN, std: NaN, exact: true, deciles: [], edges: [], counts: [], openSums: [] };
  const distinct = uniqueSorted(sorted);
  const deciles = decileEdges(sorted);
  const exact = distinct.length <= FINE_EDGES;
  const fine: number[] =
    exact
      ? distinct.slice()
      : Array.from({ length: FINE_EDGES }, (_, i) => quantileSorted(sorted, i / (FINE_EDGES - 1)));
  for (const d of declared) if (d !== null && Number.isFinite(d)) fine.push(d);
  fine.push(...deciles, sorted[0]!, sorted[n - 1]!);
  const edges = uniqueSorted(fine.sort((a, b) => a - b));
  const e = Float64Array.from(edges);
  const counts = new Array<number>(2 * edges.length + 1).fill(0);
  const openSums = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    const s = slotOf(e, v);
    counts[s]! += 1;
    if ((s & 1) === 0) openSums[s >> 1]! += v;
  }
  // std in the rows' order, as np.std(baseline) sums them
  return { kind: 'numeric', n, min: sorted[0]!, max: sorted[n - 1]!, std: npStd(values), exact, deciles, edges, counts, openSums };
}

function categoricalProfile(values: unknown[]): CategoricalProfile {
  const counts = new Map<string, number>();
  let n = 0;
  for (const v of values) {
    const c = categoryOf(v);
    if (typeof c !== 'string') continue;
    counts.set(c, (counts.get(c) ?? 0) + 1);
    n++;
  }
  // fromEntries defines own properties, so a category named "__proto__" stays a category
  return { kind: 'categorical', n, counts: Object.fromEntries(counts) };
}

function usableNumbers(values: unknown[]): number[] {
  const out: number[] = [];
  for (const v of values) if (numericKind(v) === USABLE) out.push(v as number);
  return out;
}

/** Builds the profile of a baseline; deterministic in the rows (order does not matter). */
export function buildBaselineProfile(model: ModelRecord, rows: readonly BaselineRow[]): BaselineProfile {
  const features: Record<string, ColumnProfile> = {};
  for (const f of model.features) {
    const values = rows.map((r) => r.features[f.name]);
    features[f.name] = f.type === 'NUMERIC' ? numericProfile(usableNumbers(values), [f.min, f.max]) : categoricalProfile(values);
  }
  const out = outputColumn(model);
  const outValues = rows.map((r) => r[out.name]);
  const output = out.numeric ? numericProfile(usableNumbers(outValues), []) : categoricalProfile(outValues);
  const calibration = baselineCalibration(model, rows);
  const layout: unknown[] = [model.features.map((f) => [f.name, (features[f.name] as NumericProfile).edges ?? null]), (output as NumericProfile).edges ?? null];
  // without a calibration the key is the layout's alone, as before CBPE: stored rows stay valid
  if (calibration !== null) layout.push(calibration);
  const key = createHash('sha256').update(JSON.stringify(layout)).digest('hex').slice(0, 16);
  return { key, version: 1, rowCount: rows.length, features, output, attributions: baselineAttributions(model, rows), calibration };
}

/** The calibration of a binary classifier's baseline (null for other tasks or without a row having a score and an actual). */
export function baselineCalibration(model: Pick<ModelRecord, 'task' | 'positiveClass'>, rows: readonly BaselineRow[]): IsotonicCalibration | null {
  if (model.task !== 'BINARY_CLASSIFICATION') return null;
  const scores: number[] = [];
  const labels: number[] = [];
  for (const r of rows) {
    if (typeof r.score !== 'number' || !Number.isFinite(r.score) || r.actualLabel === null || r.actualLabel === undefined) continue;
    scores.push(r.score);
    labels.push(r.actualLabel === model.positiveClass ? 1 : 0);
  }
  return fitIsotonic(scores, labels);
}

/** The profile's calibration when it has a usable one (old profiles and damaged ones: null, no estimate). */
export function profileCalibration(profile: BaselineProfile | null): IsotonicCalibration | null {
  const c = profile?.calibration;
  return c === undefined || c === null || checkCalibration(c) !== null ? null : c;
}

function baselineAttributions(model: ModelRecord, rows: readonly BaselineRow[]): Record<string, BaselineAttribution> {
  const index = featureIndex(model.features);
  const stats = emptyAttributionStats(model.features.length);
  for (const r of rows) addAttributions(stats, index, r.attributions);
  const means = meanAbsAttributions(stats, model.features.length);
  // fromEntries defines own properties: a feature named "__proto__" is kept as one
  return Object.fromEntries(model.features.flatMap((f, i) => (means[i] === null ? [] : [[f.name, { n: stats.features[i]!.n, meanAbs: means[i]! }]])));
}

/** The baseline's mean |a| of each named feature: null where it has none (or no profile, or an old one). */
export function baselineMeanAbs(profile: BaselineProfile | null, names: readonly string[]): Array<number | null> {
  const a = profile?.attributions;
  return names.map((n) => (a !== undefined && Object.hasOwn(a, n) ? a[n]!.meanAbs : null));
}
