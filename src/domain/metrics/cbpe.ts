// Confidence-based performance estimation (METRICS.md "Estimated performance without
// labels (CBPE)"): with p = c(score) the baseline-calibrated probability that an event is
// positive, an event predicted positive (score >= decisionThreshold) is p of a true
// positive and 1 - p of a false positive; one predicted negative is p of a false negative
// and 1 - p of a true negative. The window's expected confusion counts are sums of those,
// so they are kept at ingest and merged across hours like the measured counts; the AUC
// comes from the mergeable histogram of p in prob-hist.ts (exact, or within 1.2e-4).
import { ratio } from './classification.js';
import { predictIsotonic, type IsotonicCalibration } from './isotonic.js';
import { addProb, cbpeAucOf, cloneProbHist, emptyProbHist, mergeProbHistInto, probHistFromJson, probHistToJson, type ProbHist, type ProbHistJson } from './prob-hist.js';

/** Expected confusion counts of a set of scored events, and the AUC histogram. */
export interface CbpeStats {
  /** events with a finite score */
  n: number;
  /** of those, predicted positive (precision is null while 0, whatever the float sums say) */
  positives: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
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
  return { n: 0, positives: 0, tp: 0, fp: 0, fn: 0, tn: 0, probs: emptyProbHist() };
}

/** One event's share of each expected count. */
export function expectedConfusion(p: number, predictedPositive: boolean): { tp: number; fp: number; fn: number; tn: number } {
  return predictedPositive ? { tp: p, fp: 1 - p, fn: 0, tn: 0 } : { tp: 0, fp: 0, fn: p, tn: 1 - p };
}

/**
 * Adds one event with the given score (skipped unless a finite number: such an event has no
 * estimate). `sign` -1 takes an event out again.
 */
export function addCbpeEvent(stats: CbpeStats, cal: IsotonicCalibration, decisionThreshold: number, score: unknown, sign = 1): void {
  if (typeof score !== 'number' || !Number.isFinite(score)) return;
  const p = predictIsotonic(cal, score);
  stats.n += sign;
  if (score >= decisionThreshold) {
    stats.positives += sign;
    stats.tp += sign * p;
    stats.fp += sign * (1 - p);
  } else {
    stats.fn += sign * p;
    stats.tn += sign * (1 - p);
  }
  addProb(stats.probs, p, sign);
}

/** Adds `src` into `target` (times `sign`). Both must come from the same calibration and threshold. */
export function mergeCbpeInto(target: CbpeStats, src: CbpeStats, sign = 1): void {
  target.n += sign * src.n;
  target.positives += sign * src.positives;
  target.tp += sign * src.tp;
  target.fp += sign * src.fp;
  target.fn += sign * src.fn;
  target.tn += sign * src.tn;
  mergeProbHistInto(target.probs, src.probs, sign);
}

export function cloneCbpeStats(s: CbpeStats): CbpeStats {
  return { ...s, probs: cloneProbHist(s.probs) };
}

/** JSON-ready form, for storing with an hour's statistics. */
export interface CbpeStatsJson {
  n: number;
  positives: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  probs: ProbHistJson;
}

export function cbpeStatsToJson(s: CbpeStats): CbpeStatsJson {
  return { ...s, probs: probHistToJson(s.probs) };
}

export function cbpeStatsFromJson(j: CbpeStatsJson): CbpeStats {
  return { ...j, probs: probHistFromJson(j.probs) };
}

/**
 * The estimated metrics; each null where its denominator is 0 (precision: no predicted
 * positive; recall: Σ p = 0; f1: 2TP + FP + FN = 0; auc: Σ p or Σ (1 - p) = 0).
 */
export function estimatedPerformance(s: CbpeStats): EstimatedPerformance {
  if (s.n === 0) return { sampleSize: 0, accuracy: null, precision: null, recall: null, f1: null, auc: null };
  return {
    sampleSize: s.n,
    accuracy: (s.tp + s.tn) / s.n,
    precision: s.positives === 0 ? null : s.tp / (s.tp + s.fp),
    recall: ratio(s.tp, s.tp + s.fn),
    f1: ratio(2 * s.tp, 2 * s.tp + s.fp + s.fn),
    auc: cbpeAucOf(s.probs),
  };
}

/** Estimated performance of a set of scores in one go (a window computed from raw events). */
export function estimatePerformance(cal: IsotonicCalibration, decisionThreshold: number, scores: Iterable<unknown>): EstimatedPerformance {
  const s = emptyCbpeStats();
  for (const score of scores) addCbpeEvent(s, cal, decisionThreshold, score);
  return estimatedPerformance(s);
}
