// Drift measures on binned counts (METRICS.md "Drift"): PSI, Jensen-Shannon distance
// and the chi-square test of a 2 x k contingency table.
import { chi2Sf } from './chi2.js';
import { npSum } from './numpy-sum.js';

/** Proportion floor of PSI: a zero proportion becomes this, without renormalising. */
export const PSI_FLOOR = 1e-4;

function proportions(counts: ArrayLike<number>, total: number): Float64Array {
  const p = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) p[i] = counts[i]! / total;
  return p;
}

/** PSI of window counts `p` against baseline counts `q` (same bins), >= 0; null when a side is empty. */
export function psi(pCounts: ArrayLike<number>, qCounts: ArrayLike<number>): number | null {
  const np = npSum(pCounts);
  const nq = npSum(qCounts);
  if (np === 0 || nq === 0) return null;
  const p = proportions(pCounts, np);
  const q = proportions(qCounts, nq);
  const terms = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] === 0 ? PSI_FLOOR : p[i]!;
    const qi = q[i] === 0 ? PSI_FLOOR : q[i]!;
    terms[i] = (pi - qi) * Math.log(pi / qi);
  }
  return npSum(terms);
}

/** scipy.special.rel_entr: x ln(x/y), 0 at x = 0, +inf where y = 0 < x. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/**
 * Jensen-Shannon distance, log base 2, in [0, 1], computed in the order of
 * `scipy.spatial.distance.jensenshannon(p, q, base=2)` (which normalises p and q by their
 * sums first); null when a side is empty. A rounding-level negative divergence is 0.
 */
export function jsDistance(pCounts: ArrayLike<number>, qCounts: ArrayLike<number>): number | null {
  const np = npSum(pCounts);
  const nq = npSum(qCounts);
  if (np === 0 || nq === 0) return null;
  const p0 = proportions(pCounts, np);
  const q0 = proportions(qCounts, nq);
  const sp = npSum(p0);
  const sq = npSum(q0);
  const k = p0.length;
  const left = new Float64Array(k);
  const right = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const pi = p0[i]! / sp;
    const qi = q0[i]! / sq;
    const m = (pi + qi) / 2;
    left[i] = relEntr(pi, m);
    right[i] = relEntr(qi, m);
  }
  const js = (npSum(left) + npSum(right)) / Math.log(2);
  const d = Math.sqrt(js / 2);
  return Number.isNaN(d) ? 0 : Math.min(1, d);
}

export interface Chi2Result {
  statistic: number;
  pValue: number;
}

/**
 * Pearson chi-square test of independence on the 2 x k table (baseline row, window row),
 * no continuity correction (`scipy.stats.chi2_contingency(t, correction=False)`); a single
 * column gives statistic 0 and p-value 1, as scipy does. Null when a row is empty.
 */
export function chi2Contingency(baseCounts: ArrayLike<number>, winCounts: ArrayLike<number>): Chi2Result | null {
  const k = baseCounts.length;
  const r0 = npSum(baseCounts);
  const r1 = npSum(winCounts);
  if (r0 === 0 || r1 === 0) return null;
  if (k <= 1) return { statistic: 0, pValue: 1 };
  const total = r0 + r1;
  const terms = new Float64Array(2 * k);
  for (let j = 0; j < k; j++) {
    const col = baseCounts[j]! + winCounts[j]!;
    const e0 = (r0 * col) / total;
    const e1 = (r1 * col) / total;
    const d0 = baseCounts[j]! - e0;
    const d1 = winCounts[j]! - e1;
    terms[j] = (d0 * d0) / e0;
    terms[k + j] = (d1 * d1) / e1;
  }
  const statistic = npSum(terms);
  return { statistic, pValue: chi2Sf(statistic, k - 1) };
}
