// Labelled scores by class, for ROC AUC. Exact (score -> count) while the two maps hold
// at most EXACT_LIMIT entries, so small windows give sklearn's number to the last bit;
// beyond that, bins of width 1/SCORE_BINS, where pairs of different scores sharing a bin
// count as ties (half). Error bound: |AUC_binned - AUC| <= (1/2) Σ_b pos_b·neg_b / (P·N)
// <= (1/2) max_b neg_b/N — half the largest share of negatives in one 1e-4-wide bin.

export const EXACT_LIMIT = 4096;
export const SCORE_BINS = 10_000;

export interface ScoreHist {
  /** exact mode: score -> count, per class; null once binned */
  pos: Map<number, number> | null;
  neg: Map<number, number> | null;
  /** binned mode: SCORE_BINS + 1 bins (bin of s = floor(s·SCORE_BINS), clamped) */
  binPos: Float64Array | null;
  binNeg: Float64Array | null;
}

/** An empty, exact score histogram. */
export function emptyScoreHist(): ScoreHist {
  return { pos: new Map(), neg: new Map(), binPos: null, binNeg: null };
}

/** Bin of a score: floor(s · SCORE_BINS), clamped to [0, SCORE_BINS]. */
export function scoreBin(s: number): number {
  const b = Math.floor(s * SCORE_BINS);
  return b < 0 ? 0 : b > SCORE_BINS ? SCORE_BINS : b;
}

function toBinned(h: ScoreHist): void {
  if (h.binPos) return;
  const bp = new Float64Array(SCORE_BINS + 1);
  const bn = new Float64Array(SCORE_BINS + 1);
  for (const [s, c] of h.pos!) bp[scoreBin(s)]! += c;
  for (const [s, c] of h.neg!) bn[scoreBin(s)]! += c;
  h.binPos = bp;
  h.binNeg = bn;
  h.pos = null;
  h.neg = null;
}

/** Adds `count` (may be negative) labelled scores s of the given class. */
export function addScore(h: ScoreHist, s: number, positive: boolean, count: number): void {
  if (h.binPos) {
    (positive ? h.binPos : h.binNeg!)[scoreBin(s)]! += count;
    return;
  }
  const m = positive ? h.pos! : h.neg!;
  const c = (m.get(s) ?? 0) + count;
  if (c === 0) m.delete(s);
  else m.set(s, c);
  if (h.pos!.size + h.neg!.size > EXACT_LIMIT) toBinned(h);
}

/** Adds `src` into `target` (binned as soon as either is). */
export function mergeScoreHistInto(target: ScoreHist, src: ScoreHist): void {
  if (src.binPos) {
    toBinned(target);
    const tp = target.binPos!;
    const tn = target.binNeg!;
    const sp = src.binPos;
    const sn = src.binNeg!;
    for (let i = 0; i <= SCORE_BINS; i++) {
      tp[i]! += sp[i]!;
      tn[i]! += sn[i]!;
    }
    return;
  }
  for (const [s, c] of src.pos!) addScore(target, s, true, c);
  for (const [s, c] of src.neg!) addScore(target, s, false, c);
}

/** A deep copy. */
export function cloneScoreHist(h: ScoreHist): ScoreHist {
  return h.binPos
    ? { pos: null, neg: null, binPos: h.binPos.slice(), binNeg: h.binNeg!.slice() }
    : { pos: new Map(h.pos!), neg: new Map(h.neg!), binPos: null, binNeg: null };
}

/** Mann-Whitney AUC over ascending groups of (positives, negatives), ties counted half. */
function aucOfGroups(pos: ArrayLike<number>, neg: ArrayLike<number>): number | null {
  let P = 0;
  let N = 0;
  for (let i = 0; i < pos.length; i++) {
    P += pos[i]!;
    N += neg[i]!;
  }
  if (P <= 0 || N <= 0) return null;
  let below = 0;
  let wins = 0;
  for (let i = 0; i < pos.length; i++) {
    wins += pos[i]! * (below + neg[i]! / 2);
    below += neg[i]!;
  }
  return wins / (P * N);
}

/** ROC AUC (`roc_auc_score`, ties half); null unless both classes are present. */
export function aucOf(h: ScoreHist): number | null {
  if (h.binPos) return aucOfGroups(h.binPos, h.binNeg!);
  const keys = Array.from(new Set([...h.pos!.keys(), ...h.neg!.keys()])).sort((a, b) => a - b);
  const pos = keys.map((k) => h.pos!.get(k) ?? 0);
  const neg = keys.map((k) => h.neg!.get(k) ?? 0);
  return aucOfGroups(pos, neg);
}
