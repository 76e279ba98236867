// Confidence-based performance estimation (METRICS.md "Estimated performance without
// labels (CBPE)"): with p = c(score) the baseline-calibrated probability that an event is
// positive, an event predicted positive (score >= decisionThreshold) is p of a true
// positive and 1 - p of a false positive; one predicted negative is p of a false negative
// and 1 - p of a true negative. The window's expected confusion counts are sums of those,
// so they are kept at ingest and merged across hours like the measured counts, as exact
// sums (exact-sum.ts): however a window's events were split into hours and partials and
// merged, its estimated rates are the same to the bit. The AUC comes from the mergeable
// histogram of p in prob-hist.ts (exact, or within 1.2e-4).
import { ratio } from './classification.js';
import { predictIsotonic, type IsotonicCalibration } from './isotonic.js';
import { addExact, cloneExactSum, emptyExactSum, exactSumValue, mergeExactInto, type ExactSum } from './exact-sum.js';
import { addProb, cbpeAucOf, cloneProbHist, emptyProbHist, mergeProbHistInto, probHistFromJson, probHistToJson, type ProbHist, type ProbHistJson } from './prob-hist.js';

/** Expected confusion counts of a set of scored events, and the AUC histogram. */
export interface CbpeStats {
  /** events with a finite score */
  n: number;
  /** of those, predicted positive (precision is null while 0, whatever the float sums say) */
  positives: number;
  tp: ExactSum;
  fp: ExactSum;
  fn: ExactSum;
  tn: ExactSum;
  probs: ProbHist;
}

/** `Performance.estimated` (contract EstimatedPerformance). */
export interface EstimatedPerformance {
  sampleSize: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  auc: number | null;
}

export function emptyCbpeStats(): CbpeStats {
  return { n: 0, positives: 0, tp: emptyExactSum(), fp: emptyExactSum(), fn: emptyExactSum(), tn: emptyExactSum(), probs: emptyProbHist() };
}

/** One event's share of each expected count. */
export function expectedConfusion(p: number, predictedPositive: boolean): { tp: number; fp: number; fn: number; tn: number } {
  return predictedPositive ? { tp: p, fp: 1 - p, fn: 0, tn: 0 } : { tp: 0, fp: 0, fn: p, tn: 1 - p };
}

/**
 * Adds one event with the given score (skipped unless a finite number: such an event has no
 * estimate). `sign` -1 takes an event out again.
 */
export function addCbpeEvent(stats: CbpeStats, cal: IsotonicCalibration, decisionThreshold: number, score: unknown, sign: 1 | -1 = 1): void {
  if (typeof score !== 'number' || !Number.isFinite(score)) return;
  const p = predictIsotonic(cal, score);
  stats.n += sign;
  if (score >= decisionThreshold) {
    stats.positives += sign;
    addExact(stats.tp, sign * p);
    addExact(stats.fp, sign * (1 - p));
  } else {
    addExact(stats.fn, sign * p);
    addExact(stats.tn, sign * (1 - p));
  }
  addProb(stats.probs, p, sign);
}

/** Adds `src` into `target` (times `sign`). Both must come from the same calibration and threshold. */
export function mergeCbpeInto(target: CbpeStats, src: CbpeStats, sign: 1 | -1 = 1): void {
  target.n += sign * src.n;
  target.positives += sign * src.positives;
  mergeExactInto(target.tp, src.tp, sign);
  mergeExactInto(target.fp, src.fp, sign);
  mergeExactInto(target.fn, src.fn, sign);
  mergeExactInto(target.tn, src.tn, sign);
  mergeProbHistInto(target.probs, src.probs, sign);
}

export function cloneCbpeStats(s: CbpeStats): CbpeStats {
  return { n: s.n, positives: s.positives, tp: cloneExactSum(s.tp), fp: cloneExactSum(s.fp), fn: cloneExactSum(s.fn), tn: cloneExactSum(s.tn), probs: cloneProbHist(s.probs) };
}

/** JSON-ready form, for storing with an hour's statistics (an ExactSum is plain arrays of doubles). */
export interface CbpeStatsJson {
  n: number;
  positives: number;
  tp: ExactSum;
  fp: ExactSum;
  fn: ExactSum;
  tn: ExactSum;
  probs: ProbHistJson;
}

export function cbpeStatsToJson(s: CbpeStats): CbpeStatsJson {
  return { n: s.n, positives: s.positives, tp: s.tp, fp: s.fp, fn: s.fn, tn: s.tn, probs: probHistToJson(s.probs) };
}

export function cbpeStatsFromJson(j: CbpeStatsJson): CbpeStats {
  const sum = (e: ExactSum): ExactSum => ({ lo: e.lo.slice(), hi: e.hi.slice() });
  return { n: j.n, positives: j.positives, tp: sum(j.tp), fp: sum(j.fp), fn: sum(j.fn), tn: sum(j.tn), probs: probHistFromJson(j.probs) };
}

/**
 * The estimated metrics; each null where its denominator is 0 (precision: no predicted
 * positive; recall: Σ p = 0; f1: 2TP + FP + FN = 0; auc: Σ p or Σ (1 - p) = 0).
 */
export function estimatedPerformance(s: CbpeStats): EstimatedPerformance {
  if (s.n === 0) return { sampleSize: 0, accuracy: null, precision: null, recall: null, f1: null, auc: null };
  const tp = exactSumValue(s.tp);
  const fp = exactSumValue(s.fp);
  const fn = exactSumValue(s.fn);
  const tn = exactSumValue(s.tn);
  return {
    sampleSize: s.n,
    accuracy: (tp + tn) / s.n,
    precision: s.positives === 0 ? null : tp / (tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    auc: cbpeAucOf(s.probs),
  };
}

/** Estimated performance of a set of scores in one go (a window computed from raw events). */
export function estimatePerformance(cal: IsotonicCalibration, decisionThreshold: number, scores: Iterable<unknown>): EstimatedPerformance {
  const s = emptyCbpeStats();
  for (const score of scores) addCbpeEvent(s, cal, decisionThreshold, score);
  return estimatedPerformance(s);
}
