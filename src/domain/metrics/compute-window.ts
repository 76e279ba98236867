// The metrics of a window from its WindowStats (METRICS.md): drift, integrity,
// performance, fairness and traffic. Pure; every ratio with a zero denominator is null.
import { binaryMetrics, multiclassMetrics, ratio, spread } from './classification.js';
import { columnDrift, type DriftResult } from './compute-drift.js';
import type { StatsContext } from './context.js';
import { driftImpact, featureImportance, sharesOf, type FeatureImportance } from './attributions.js';
import { aucOf } from './score-hist.js';
import { estimatedPerformance, type EstimatedPerformance } from './cbpe.js';
import { G_COUNT, G_FP, G_LAB_NEG, G_LAB_POS, G_PRED, G_PRED_POS, G_TP, regressionSpread, type WindowStats } from './window-stats.js';

export type { DriftResult } from './compute-drift.js';

export interface IntegrityResult {
  feature: string;
  count: number;
  missingRate: number | null;
  typeMismatchRate: number | null;
  outOfRangeRate: number | null;
  newCategoryRate: number | null;
}

export interface PerformanceResult {
  count: number;
  labeledCount: number;
  labelCoverage: number | null;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  falsePositiveRate: number | null;
  auc: number | null;
  logLoss: number | null;
  brierScore: number | null;
  macroF1: number | null;
  weightedF1: number | null;
  mae: number | null;
  rmse: number | null;
  mape: number | null;
  r2: number | null;
  /** CBPE (METRICS.md): null unless a binary classifier whose baseline has labelled, scored rows */
  estimated: EstimatedPerformance | null;
}

export interface GroupFairnessResult {
  group: string;
  count: number;
  selectionRate: number | null;
  truePositiveRate: number | null;
  falsePositiveRate: number | null;
}

export interface FairnessResult {
  attribute: string;
  groups: GroupFairnessResult[];
  demographicParityDifference: number | null;
  disparateImpactRatio: number | null;
  equalOpportunityDifference: number | null;
  equalizedOddsDifference: number | null;
}

export interface TrafficResult {
  predictionCount: number;
  meanScore: number | null;
  meanValue: number | null;
  labelCoverage: number | null;
}

/** Drift of every feature, in the model's order. */
export function computeDrift(stats: WindowStats, ctx: StatsContext): DriftResult[] {
  if (!stats.histograms) throw new Error('drift needs statistics read with their histograms');
  const shares = sharesOf(ctx.baselineMeanAbs);
  return ctx.features.map((c, i) => {
    const d = columnDrift(stats.features[i]!, c);
    d.impact = driftImpact(d.psi, shares[i]!);
    return d;
  });
}

/** featureImportance of the window: every feature, in the model's order, with the baseline's beside. */
export function computeFeatureImportance(stats: WindowStats, ctx: StatsContext): FeatureImportance[] {
  return featureImportance(
    ctx.features.map((c) => c.name),
    stats.attributions,
    ctx.baselineMeanAbs,
  );
}

/** Drift of the model's output (score, value or predicted label). */
export function computeOutputDrift(stats: WindowStats, ctx: StatsContext): DriftResult {
  if (!stats.histograms) throw new Error('drift needs statistics read with their histograms');
  return columnDrift(stats.output, ctx.output);
}

/** Integrity of every feature; rates null on a window with no event, or where the baseline needed is absent. */
export function computeIntegrity(stats: WindowStats, ctx: StatsContext): IntegrityResult[] {
  const n = stats.count;
  return ctx.features.map((c, i) => {
    const col = stats.features[i]!;
    const r: IntegrityResult = { feature: c.name, count: n, missingRate: null, typeMismatchRate: null, outOfRangeRate: null, newCategoryRate: null };
    if (n === 0) return r;
    r.missingRate = col.missing / n;
    r.typeMismatchRate = col.mismatch / n;
    if (col.kind === 'numeric') {
      if (c.edges) r.outOfRangeRate = col.outOfRange / n;
      else if (c.declaredMin !== null && c.declaredMax !== null) r.outOfRangeRate = (col.belowMin + col.aboveMax) / n;
    } else if (c.baseCounts) {
      let fresh = 0;
      for (const [k, v] of col.counts) if (!c.baseCounts.has(k)) fresh += v;
      r.newCategoryRate = fresh / n;
    }
    return r;
  });
}

/** Performance over the window's labelled events, for the model's task. */
export function computePerformance(stats: WindowStats): PerformanceResult {
  const m = stats.labeled;
  const r: PerformanceResult = {
    count: stats.count,
    labeledCount: m,
    labelCoverage: ratio(m, stats.count),
    accuracy: null,
    precision: null,
    recall: null,
    f1: null,
    falsePositiveRate: null,
    auc: null,
    logLoss: null,
    brierScore: null,
    macroF1: null,
    weightedF1: null,
    mae: null,
    rmse: null,
    mape: null,
    r2: null,
    estimated: stats.cbpe === null ? null : estimatedPerformance(stats.cbpe),
  };
  const p = stats.perf;
  if (m === 0) return r;
  if (p.kind === 'binary') {
    Object.assign(r, binaryMetrics(p.tp, p.fp, p.tn, p.fn));
    if (p.unscored === 0) {
      r.auc = aucOf(p.scores);
      r.logLoss = p.logLossSum / m;
      r.brierScore = p.brierSum / m;
    }
  } else if (p.kind === 'multiclass') {
    const pairs: Array<[string, string | null, number]> = [];
    for (const [k, c] of p.confusion) {
      const cut = k.indexOf('\u0000');
      const pred = k.charCodeAt(cut + 1) === 1 ? null : k.slice(cut + 2);
      pairs.push([k.slice(0, cut), pred, c]);
    }
    Object.assign(r, multiclassMetrics(pairs));
  } else if (p.n > 0) {
    r.mae = p.absSum / p.n;
    r.rmse = Math.sqrt(p.sqSum / p.n);
    r.mape = ratio(p.apeSum, p.apeCount);
    const m2 = regressionSpread(p);
    r.r2 = m2 === 0 ? null : 1 - p.sqSum / m2;
  }
  return r;
}

/** Fairness over one protected attribute (index in the context's protected list). */
export function computeFairness(stats: WindowStats, ctx: StatsContext, protectedPos: number): FairnessResult {
  const attribute = ctx.features[ctx.protectedIdx[protectedPos]!]!.name;
  const groups: GroupFairnessResult[] = [];
  const m = stats.fairness[protectedPos] ?? new Map<string, number[]>();
  for (const g of Array.from(m.keys()).sort()) {
    const c = m.get(g)!;
    if (c[G_COUNT]! <= 0) continue;
    groups.push({
      group: g,
      count: c[G_COUNT]!,
      selectionRate: ratio(c[G_PRED_POS]!, c[G_PRED]!),
      truePositiveRate: ratio(c[G_TP]!, c[G_LAB_POS]!),
      falsePositiveRate: ratio(c[G_FP]!, c[G_LAB_NEG]!),
    });
  }
  const sel = groups.map((g) => g.selectionRate).filter((x): x is number => x !== null);
  const tprd = spread(groups.map((g) => g.truePositiveRate));
  const fprd = spread(groups.map((g) => g.falsePositiveRate));
  const maxSel = sel.length ? Math.max(...sel) : 0;
  return {
    attribute,
    groups,
    demographicParityDifference: spread(sel),
    disparateImpactRatio: sel.length === 0 || maxSel === 0 ? null : Math.min(...sel) / maxSel,
    equalOpportunityDifference: tprd,
    equalizedOddsDifference: tprd === null && fprd === null ? null : Math.max(tprd ?? -Infinity, fprd ?? -Infinity),
  };
}

/** Prediction count, mean prediction and label coverage. */
export function computeTraffic(stats: WindowStats): TrafficResult {
  return {
    predictionCount: stats.count,
    meanScore: ratio(stats.scoreSum, stats.scoreCount),
    meanValue: ratio(stats.valueSum, stats.valueCount),
    labelCoverage: ratio(stats.labeled, stats.count),
  };
}
