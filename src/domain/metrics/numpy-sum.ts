// Summation in numpy's order (pairwise, 8-way unrolled blocks), so that sums over a few
// proportions round exactly as `np.sum` does and binned metrics match to the last bits.

const BLOCK = 128;

/** Sum of a[lo, lo+n) in numpy's pairwise order (numpy/core/src/umath/loops_utils.h). */
function pairwise(a: ArrayLike<number>, lo: number, n: number): number {
  if (n < 8) {
    let s = -0;
    for (let i = 0; i < n; i++) s += a[lo + i]!;
    return s;
  }
  if (n <= BLOCK) {
    const r = [a[lo]!, a[lo + 1]!, a[lo + 2]!, a[lo + 3]!, a[lo + 4]!, a[lo + 5]!, a[lo + 6]!, a[lo + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = r[j]! + a[lo + i + j]!;
    let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) s += a[lo + i]!;
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2);
}

/** Sum with numpy's rounding order (`np.sum` of a contiguous float64 array). */
export function npSum(a: ArrayLike<number>): number {
  return a.length === 0 ? 0 : pairwise(a, 0, a.length);
}

/** Mean as `np.mean` computes it (pairwise sum, then one division); NaN when empty. */
export function npMean(a: ArrayLike<number>): number {
  return npSum(a) / a.length;
}

/** Population standard deviation (`np.std`, ddof=0) in numpy's order of operations. */
export function npStd(a: ArrayLike<number>): number {
  const m = npMean(a);
  const sq = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - m;
    sq[i] = d * d;
  }
  return Math.sqrt(npSum(sq) / a.length);
}
