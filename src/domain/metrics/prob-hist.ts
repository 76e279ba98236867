// The mergeable aggregate behind the CBPE ROC AUC (METRICS.md "Estimated performance
// without labels", step 4):
//   AUC = Σ_i Σ_j p_i (1 - p_j) ([p_i > p_j] + ½[p_i = p_j]) / (Σ p · Σ (1 - p)),
// i.e. a Mann-Whitney AUC in which each event is p of a positive and 1 - p of a negative at
// the point p. Given per ascending group g its positive mass P_g = Σ p and negative mass
// N_g = Σ (1 - p), the numerator is Σ_g P_g · (Σ_{h<g} N_h + ½ N_g).
//
// Two forms, like score-hist.ts:
//  - EXACT: p -> count while at most EXACT_LIMIT distinct p (a group is one exact value):
//    the formula to float rounding. p takes the isotonic fit's finitely many levels, plus
//    interpolated values for scores between two fitted points, so small windows stay exact.
//  - BINNED: beyond that, per bin the masses (Σ p, Σ (1 - p)), bins of RELATIVE width
//    2^-BIN_BITS in q = min(p, 1 - p) (the top BIN_BITS mantissa bits of q's double; 1 - p
//    is exact for p >= ½), and the exact values 0 and 1 on their own. Bins are disjoint
//    intervals, so pairs across bins are exact; a pair inside a bin counts as a tie, which
//    moves the numerator by ½|p_i - p_j| <= ½·w_b. With c_b events in bin b (width w_b,
//    lower end lo_b, upper hi_b): error <= ¼ Σ_b c_b² w_b, while the denominator is
//    Σp·Σ(1-p) >= Σ_b (c_b lo_b)(c_b (1 - hi_b)), and w_b <= 2^-BIN_BITS·2·lo_b(1 - hi_b)
//    on both halves. Hence |AUC_binned - AUC| <= 2^-(BIN_BITS+1) = 1.2e-4 for any data
//    (normal doubles; METRICS.md allows 0.001); the binned value is never above the exact one.
// Merging is adding masses, so hours merge into any window.

export const EXACT_LIMIT = 4096;
export const BIN_BITS = 12;

export interface ProbHist {
  /** exact form: p -> count; null once binned */
  exact: Map<number, number> | null;
  /** binned form: bin key -> [Σ p, Σ (1 - p)]; null while exact */
  bins: Map<number, [number, number]> | null;
}

/** An empty, exact histogram. */
export function emptyProbHist(): ProbHist {
  return { exact: new Map(), bins: null };
}

const view = new DataView(new ArrayBuffer(8));

/** Key of q in [0, ½] ordered with q: 0 alone, then (exponent, top BIN_BITS mantissa bits). */
function keyOfHalf(q: number): number {
  if (q === 0) return 0;
  view.setFloat64(0, q);
  return (view.getUint32(0) >>> (20 - BIN_BITS)) + 1;
}

const MID = keyOfHalf(0.5) + 1;

/** Bin key of p, non-decreasing in p; values an ulp outside [0, 1] (interpolation rounding) go with 0 and 1. */
export function probBin(p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 2 * MID;
  return p < 0.5 ? keyOfHalf(p) : 2 * MID - keyOfHalf(1 - p);
}

function addBin(bins: Map<number, [number, number]>, key: number, pos: number, neg: number): void {
  const b = bins.get(key);
  if (b) {
    b[0] += pos;
    b[1] += neg;
  } else bins.set(key, [pos, neg]);
}

/** Converts `h` to the binned form in place. */
export function toBinned(h: ProbHist): void {
  if (h.bins) return;
  const bins = new Map<number, [number, number]>();
  for (const [p, c] of h.exact!) addBin(bins, probBin(p), c * p, c * (1 - p));
  h.bins = bins;
  h.exact = null;
}

/** Adds `count` (may be negative) events of calibrated probability p (in [0, 1]). */
export function addProb(h: ProbHist, p: number, count = 1): void {
  if (h.bins) {
    addBin(h.bins, probBin(p), count * p, count * (1 - p));
    return;
  }
  const m = h.exact!;
  const c = (m.get(p) ?? 0) + count;
  if (c === 0) m.delete(p);
  else m.set(p, c);
  if (m.size > EXACT_LIMIT) toBinned(h);
}

/** Adds `src` into `target`, times `sign` (+1, or -1 to take a part out); binned when either is. */
export function mergeProbHistInto(target: ProbHist, src: ProbHist, sign = 1): void {
  if (src.bins) {
    toBinned(target);
    for (const [k, [pos, neg]] of src.bins) addBin(target.bins!, k, sign * pos, sign * neg);
    return;
  }
  for (const [p, c] of src.exact!) addProb(target, p, sign * c);
}

/** A deep copy. */
export function cloneProbHist(h: ProbHist): ProbHist {
  if (h.exact) return { exact: new Map(h.exact), bins: null };
  return { exact: null, bins: new Map(Array.from(h.bins!, ([k, [a, b]]) => [k, [a, b]])) };
}

/** The CBPE ROC AUC; null when Σ p or Σ (1 - p) is 0. */
export function cbpeAucOf(h: ProbHist): number | null {
  let groups: Array<[number, number, number]>; // [order key, positive mass, negative mass]
  if (h.exact) groups = Array.from(h.exact, ([p, c]) => [p, c * p, c * (1 - p)]);
  else groups = Array.from(h.bins!, ([k, [pos, neg]]) => [k, pos, neg]);
  groups.sort((a, b) => a[0] - b[0]);
  let P = 0;
  let N = 0;
  for (const g of groups) {
    P += g[1];
    N += g[2];
  }
  if (!(P > 0) || !(N > 0)) return null;
  let below = 0;
  let num = 0;
  for (const [, pos, neg] of groups) {
    num += pos * (below + neg / 2);
    below += neg;
  }
  return num / (P * N);
}

/** JSON-ready form: {exact: [[p, count], ...]} or {bins: [[key, Σp, Σ(1-p)], ...]}. */
export type ProbHistJson = { exact: Array<[number, number]> } | { bins: Array<[number, number, number]> };

export function probHistToJson(h: ProbHist): ProbHistJson {
  if (h.exact) return { exact: Array.from(h.exact) };
  return { bins: Array.from(h.bins!, ([k, [a, b]]) => [k, a, b]) };
}

export function probHistFromJson(j: ProbHistJson): ProbHist {
  if ('exact' in j) return { exact: new Map(j.exact), bins: null };
  return { exact: null, bins: new Map(j.bins.map(([k, a, b]) => [k, [a, b]])) };
}
