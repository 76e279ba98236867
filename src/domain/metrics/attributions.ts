// Explanations (METRICS.md "Explanations"): the `attributions` a prediction or a baseline
// row may carry (feature name -> number, a SHAP value say), the per-feature statistics a
// window keeps of them (how many, and the exact sum of |a|: mergeable in any order and
// split, like the rest of an hour's statistics), and what featureImportance and
// FeatureDrift.impact report from those.
import type { FeatureDef } from '../model.js';
import { PREVIEW_CHARS, preview } from '../input/text.js';
import { addExact, cloneExactSum, emptyExactSum, exactMean, fsum, mergeExactInto, type ExactSum } from './exact-sum.js';

/** Feature name -> position in the model's feature list (the order the statistics keep). */
export type FeatureIndex = ReadonlyMap<string, number>;

export function featureIndex(features: readonly Pick<FeatureDef, 'name'>[]): FeatureIndex {
  return new Map(features.map((f, i) => [f.name, i]));
}

/** A line's attributions, checked: null when it has none; else the field at fault and why. */
export type AttributionsCheck = { ok: true; attributions: Record<string, number> | null } | { ok: false; field: string; reason: string };

const described = (v: unknown): string => {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  if (typeof v === 'string') return preview(v);
  return String(v);
};

const keyPath = (k: string): string => `attributions.${k.length <= PREVIEW_CHARS ? k : preview(k)}`;

/** Shared: a line without attributions (most of them) allocates nothing here. */
const NONE: AttributionsCheck = { ok: true, attributions: null };

/**
 * Checks `attributions` as a line carries it: absent or null (none), or an object whose
 * keys are the model's features and whose values are finite numbers. A feature without an
 * attribution is left out (a null is refused: "no attribution" has one spelling).
 */
export function checkAttributions(index: FeatureIndex, v: unknown): AttributionsCheck {
  if (v === undefined || v === null) return NONE;
  if (typeof v !== 'object' || Array.isArray(v)) {
    return { ok: false, field: 'attributions', reason: `must be an object of feature name -> number, got ${described(v)}` };
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!index.has(k)) {
      const names = [...index.keys()];
      const known = names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')}, ... (${names.length})`;
      return { ok: false, field: keyPath(k), reason: `the model has no feature named ${preview(k)} (features: ${known})` };
    }
    const a = o[k];
    if (typeof a !== 'number' || !Number.isFinite(a)) {
      const hint = a === null ? ' (leave a feature out when it has no attribution)' : '';
      return { ok: false, field: keyPath(k), reason: `must be a finite number, got ${described(a)}${hint}` };
    }
  }
  return { ok: true, attributions: o as Record<string, number> };
}

/** One feature's attributions over a set of rows: how many finite ones, and Σ|a| exactly. */
export interface AbsAttribution {
  n: number;
  sum: ExactSum;
}

/** Per feature, in the model's feature order. Plain numbers and arrays: JSON-ready as it is. */
export interface AttributionStats {
  features: AbsAttribution[];
}

export function emptyAttributionStats(nFeatures: number): AttributionStats {
  return { features: Array.from({ length: nFeatures }, () => ({ n: 0, sum: emptyExactSum() })) };
}

/**
 * Adds one row's checked attributions (`sign` -1 takes them out again). A key the index
 * lacks or a non-finite value is skipped: checkAttributions refused those at the door.
 */
export function addAttributions(stats: AttributionStats, index: FeatureIndex, attributions: Readonly<Record<string, unknown>> | null | undefined, sign: 1 | -1 = 1): void {
  if (attributions === null || attributions === undefined) return;
  for (const k in attributions) {
    const i = index.get(k);
    const a = attributions[k];
    if (i === undefined || typeof a !== 'number' || !Number.isFinite(a)) continue;
    const f = stats.features[i]!;
    f.n += sign;
    addExact(f.sum, sign * Math.abs(a));
  }
}

/** Adds `src` (times `sign`) into `target`: exact, so any order of merges gives the same. */
export function mergeAttributionsInto(target: AttributionStats, src: AttributionStats, sign: 1 | -1 = 1): void {
  if (target.features.length !== src.features.length) throw new Error('merging attribution statistics of different feature lists');
  for (let i = 0; i < src.features.length; i++) {
    const t = target.features[i]!;
    const s = src.features[i]!;
    t.n += sign * s.n;
    mergeExactInto(t.sum, s.sum, sign);
  }
}

export function cloneAttributionStats(s: AttributionStats): AttributionStats {
  return { features: s.features.map((f) => ({ n: f.n, sum: cloneExactSum(f.sum) })) };
}

/** The contract's FeatureImportance. */
export interface FeatureImportance {
  feature: string;
  meanAbsAttribution: number | null;
  share: number | null;
  rank: number | null;
  baselineMeanAbsAttribution: number | null;
  baselineShare: number | null;
  sampleSize: number;
}

/** Mean |a| per feature (math.fsum(|a|) / n, as the reference), null where none (or no statistics at all). */
export function meanAbsAttributions(stats: AttributionStats | null, nFeatures: number): Array<number | null> {
  if (stats === null) return new Array<number | null>(nFeatures).fill(null);
  return stats.features.map((f) => (f.n > 0 ? exactMean(f.sum, f.n) : null));
}

/** Each mean over the sum of the non-null means (null where the mean is, or that sum is 0). */
export function sharesOf(means: ReadonlyArray<number | null>): Array<number | null> {
  const total = fsum(means.filter((m): m is number => m !== null));
  return means.map((m) => (m === null || total === 0 ? null : m / total));
}

/** Compares by Unicode code point, as the reference's sort of feature names does (UTF-16 order differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Rank 1 = the largest mean; equal means by feature name; null for a null mean. */
export function ranksOf(names: readonly string[], means: ReadonlyArray<number | null>): Array<number | null> {
  const order = names.map((_, i) => i).filter((i) => means[i] !== null);
  order.sort((i, j) => means[j]! - means[i]! || compareCodePoints(names[i]!, names[j]!));
  const ranks: Array<number | null> = names.map(() => null);
  order.forEach((i, r) => (ranks[i] = r + 1));
  return ranks;
}

/**
 * featureImportance of a window: every feature of `names` (the model's, in its order), with
 * the baseline's mean |a| beside (`baselineMeans`, the profile's: null entries without
 * baseline attributions). `window` null: no event of the window carried any.
 */
export function featureImportance(names: readonly string[], window: AttributionStats | null, baselineMeans: ReadonlyArray<number | null> | null): FeatureImportance[] {
  const means = meanAbsAttributions(window, names.length);
  const shares = sharesOf(means);
  const ranks = ranksOf(names, means);
  const bShares = sharesOf(baselineMeans ?? []);
  return names.map((feature, i) => ({
    feature,
    meanAbsAttribution: means[i]!,
    share: shares[i]!,
    rank: ranks[i]!,
    baselineMeanAbsAttribution: baselineMeans?.[i] ?? null,
    baselineShare: bShares[i] ?? null,
    sampleSize: window?.features[i]!.n ?? 0,
  }));
}

/** FeatureDrift.impact: psi x the feature's baseline share; null when either is. */
export function driftImpact(psi: number | null, baselineShare: number | null): number | null {
  return psi === null || baselineShare === null ? null : psi * baselineShare;
}
