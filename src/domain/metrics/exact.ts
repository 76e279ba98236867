// Exact two-sample statistics on raw values: the reference the fine-bin estimates are
// tested against, and the plain in-process computation the benchmark compares with.
import { npStd } from './numpy-sum.js';

/** Two-sample KS statistic sup|F_a - F_b| of two ascending samples (`ks_2samp(...).statistic`). */
export function ksStatisticExact(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n || j < m) {
    const x = j >= m || (i < n && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n && a[i]! <= x) i++;
    while (j < m && b[j]! <= x) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  return d;
}

/** First Wasserstein distance of two ascending samples (`scipy.stats.wasserstein_distance`): ∫|F_a - F_b|. */
export function wassersteinExact(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let w = 0;
  let prev = NaN;
  let diff = 0;
  while (i < n || j < m) {
    const x = j >= m || (i < n && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    if (prev === prev) w += diff * (x - prev);
    while (i < n && a[i]! <= x) i++;
    while (j < m && b[j]! <= x) j++;
    diff = Math.abs(i / n - j / m);
    prev = x;
  }
  return w;
}

/** Wasserstein-1 divided by the baseline's population standard deviation; null when that is 0. */
export function normalizedWassersteinExact(win: Float64Array, base: Float64Array): number | null {
  const sd = npStd(base);
  return sd === 0 ? null : wassersteinExact(win, base) / sd;
}
