// Quantiles and binning exactly as numpy does them (METRICS.md "The baseline").

/** The nine decile probabilities, as the float64 literals numpy is given. */
export const DECILES: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * `np.quantile(x, q)` (method "linear", Hyndman & Fan type 7) of an ascending array:
 * virtual index (n-1)q, interpolated with numpy's `_lerp` (from the upper value when the
 * fraction is >= 0.5), so the result is bit-identical to numpy's.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  const vi = (n - 1) * q;
  const lo = Math.floor(vi);
  const hi = Math.min(lo + 1, n - 1);
  const t = vi - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** Sorted values with duplicates removed (`np.unique`). */
export function uniqueSorted(sorted: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/** The decile bin edges of an ascending baseline sample: `np.unique(np.quantile(x, DECILES))`. */
export function decileEdges(sorted: ArrayLike<number>): number[] {
  return uniqueSorted(DECILES.map((q) => quantileSorted(sorted, q)).sort((x, y) => x - y));
}

/** Number of edges strictly below v (`np.searchsorted(edges, v, side="left")`). */
export function searchsortedLeft(edges: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values <= v in an ascending array (`np.searchsorted(a, v, side="right")`). */
export function searchsortedRight(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts per bin of the values against the edges: bins (-inf, e1], (e1, e2], ..., (ek, +inf). */
export function binCounts(edges: ArrayLike<number>, values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) counts[searchsortedLeft(edges, values[i]!)]! += 1;
  return counts;
}
