// A window's histogram of one numeric column over its baseline's fine edges e_0 < ... <
// e_{K-1}: slot 2i counts values in the open interval (e_{i-1}, e_i) (with e_{-1} = -inf,
// e_K = +inf) and keeps their sum; slot 2i+1 counts values exactly equal to e_i.
// Dense while accumulating or merging, sparse as stored.

export interface DenseHist {
  dense: true;
  /** per slot */
  counts: Float64Array;
  /** per slot; only even (open-interval) slots are non-zero */
  sums: Float64Array;
}

export interface SparseHist {
  dense: false;
  /** ascending slot numbers */
  idx: Float64Array;
  counts: Float64Array;
  sums: Float64Array;
}

export type FineHist = DenseHist | SparseHist;

/** Slot of a finite value against ascending distinct edges (see the file header). */
export function slotOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < edges.length && edges[lo] === v ? 2 * lo + 1 : 2 * lo;
}

/** An empty dense histogram with `nslots` slots. */
export function emptyHist(nslots: number): DenseHist {
  return { dense: true, counts: new Float64Array(nslots), sums: new Float64Array(nslots) };
}

/** Adds `src` (either form) into the dense `target`, with sign +1 or -1. */
export function addHistInto(target: DenseHist, src: FineHist, sign = 1): void {
  const tc = target.counts;
  const ts = target.sums;
  if (src.dense) {
    const sc = src.counts;
    const ss = src.sums;
    for (let i = 0; i < sc.length; i++) {
      if (sc[i] !== 0) {
        tc[i]! += sign * sc[i]!;
        ts[i]! += sign * ss[i]!;
      }
    }
    return;
  }
  const { idx, counts, sums } = src;
  for (let j = 0; j < idx.length; j++) {
    const s = idx[j]!;
    tc[s]! += sign * counts[j]!;
    ts[s]! += sign * sums[j]!;
  }
}

/** The dense form of a histogram (the same object when already dense). */
export function denseHist(h: FineHist, nslots: number): DenseHist {
  if (h.dense) return h;
  const d = emptyHist(nslots);
  addHistInto(d, h);
  return d;
}

/** The sparse form: only slots with a non-zero count. */
export function sparseHist(h: FineHist): SparseHist {
  if (!h.dense) return h;
  let nnz = 0;
  for (let i = 0; i < h.counts.length; i++) if (h.counts[i] !== 0) nnz++;
  const idx = new Float64Array(nnz);
  const counts = new Float64Array(nnz);
  const sums = new Float64Array(nnz);
  let j = 0;
  for (let i = 0; i < h.counts.length; i++) {
    if (h.counts[i] === 0) continue;
    idx[j] = i;
    counts[j] = h.counts[i]!;
    sums[j] = h.sums[i]!;
    j++;
  }
  return { dense: false, idx, counts, sums };
}
