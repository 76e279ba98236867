// Isotonic calibration for CBPE (METRICS.md "Estimated performance without labels"):
// scikit-learn's IsotonicRegression(y_min=0, y_max=1, increasing=True, out_of_bounds="clip"),
// its fit and predict, re-derived so that the numbers agree to the last bits or so:
//  - fit: rows with weight 0 are dropped; rows are sorted by (x, y); runs of x closer than
//    1e-15 (numpy's float64 `resolution`, an ABSOLUTE distance from the run's first x) become
//    one point at that first x, with the weighted mean of y and the summed weight
//    (sklearn's `_make_unique`); pool-adjacent-violators on those points (equal means pool,
//    which changes nothing); the fit clipped to [0, 1]; then, as sklearn's
//    `trim_duplicates`, interior points whose y equals both neighbours' are dropped (linear
//    interpolation across them is unchanged). What remains is `X_thresholds_` /
//    `y_thresholds_`: small, JSON-serialisable, stored with the baseline profile.
//  - predict: the score clipped to [x_0, x_last], then scipy's interp1d(kind="linear"):
//    the segment found by searchsorted-left (clamped to [1, K-1]), `slope·(t - x_lo) + y_lo`.

/** A fitted calibration: x strictly ascending, y non-decreasing in [0, 1], same length >= 1. */
export interface IsotonicCalibration {
  x: number[];
  y: number[];
}

/** numpy's float64 `finfo.resolution`: sklearn merges x values closer than this. */
export const X_RESOLUTION = 1e-15;

function checkInputs(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): void {
  if (labels.length !== scores.length) throw new RangeError(`labels: expected ${scores.length} values (one per score), got ${labels.length}`);
  if (weights && weights.length !== scores.length) throw new RangeError(`weights: expected ${scores.length} values (one per score), got ${weights.length}`);
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`scores[${i}]: must be a finite number, got ${String(scores[i])}`);
    if (!Number.isFinite(labels[i])) throw new RangeError(`labels[${i}]: must be a finite number, got ${String(labels[i])}`);
    if (weights && !(Number.isFinite(weights[i]) && weights[i]! >= 0)) {
      throw new RangeError(`weights[${i}]: must be a finite number >= 0, got ${String(weights[i])}`);
    }
  }
}

/** Points of equal x (within X_RESOLUTION) pooled: x, weighted mean y, summed weight. */
function uniquePoints(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>) {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!weights || weights[i]! > 0) idx.push(i);
  idx.sort((a, b) => scores[a]! - scores[b]! || labels[a]! - labels[b]!);
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  if (idx.length === 0) return { ux, uy, uw };
  let cx = scores[idx[0]!]!; // the run's first x: the distance is measured from it
  let sy = 0;
  let sw = 0;
  for (const i of idx) {
    const x = scores[i]!;
    const w = weights ? weights[i]! : 1;
    if (x - cx >= X_RESOLUTION) {
      ux.push(cx);
      uy.push(sy / sw);
      uw.push(sw);
      cx = x;
      sy = 0;
      sw = 0;
    }
    sy += labels[i]! * w;
    sw += w;
  }
  ux.push(cx);
  uy.push(sy / sw);
  uw.push(sw);
  return { ux, uy, uw };
}

/**
 * The non-decreasing least-squares fit of y (weights w), by pool-adjacent-violators: a stack
 * of blocks (weighted sum, weight, count); a new point pools backwards while the block
 * before has a mean >= its own.
 */
export function poolAdjacentViolators(y: readonly number[], w: readonly number[]): number[] {
  const sums: number[] = [];
  const weights: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < y.length; i++) {
    let s = y[i]! * w[i]!;
    let ww = w[i]!;
    let k = 1;
    while (sums.length > 0 && sums[sums.length - 1]! / weights[weights.length - 1]! >= s / ww) {
      s += sums.pop()!;
      ww += weights.pop()!;
      k += sizes.pop()!;
    }
    sums.push(s);
    weights.push(ww);
    sizes.push(k);
  }
  const out: number[] = [];
  for (let b = 0; b < sums.length; b++) {
    const m = sums[b]! / weights[b]!;
    for (let j = 0; j < sizes[b]!; j++) out.push(m);
  }
  return out;
}

/**
 * Fits the calibration of `labels` (1 positive, 0 negative; any finite y works) on
 * `scores`, optionally weighted. Null when no row has a positive weight. Throws a
 * RangeError naming the offending field on non-finite input or a negative weight.
 */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): IsotonicCalibration | null {
  checkInputs(scores, labels, weights);
  const { ux, uy, uw } = uniquePoints(scores, labels, weights);
  if (ux.length === 0) return null;
  const fit = poolAdjacentViolators(uy, uw).map((v) => (v < 0 ? 0 : v > 1 ? 1 : v));
  const x: number[] = [];
  const y: number[] = [];
  const last = fit.length - 1;
  for (let i = 0; i <= last; i++) {
    if (i === 0 || i === last || fit[i] !== fit[i - 1] || fit[i] !== fit[i + 1]) {
      x.push(ux[i]!);
      y.push(fit[i]!);
    }
  }
  return { x, y };
}

/** Index of the first element >= v in ascending `a` (numpy searchsorted, side left). */
function firstAtOrAbove(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The calibrated probability of a finite score (sklearn's `predict` with out_of_bounds="clip"). */
export function predictIsotonic(cal: IsotonicCalibration, score: number): number {
  const { x, y } = cal;
  const k = x.length;
  if (k === 1) return y[0]!;
  const t = score < x[0]! ? x[0]! : score > x[k - 1]! ? x[k - 1]! : score;
  const hi = Math.min(Math.max(firstAtOrAbove(x, t), 1), k - 1);
  const lo = hi - 1;
  const slope = (y[hi]! - y[lo]!) / (x[hi]! - x[lo]!);
  return slope * (t - x[lo]!) + y[lo]!;
}

/** Null when `v` is a usable calibration (as stored), else why not. */
export function checkCalibration(v: unknown): string | null {
  const c = v as Partial<IsotonicCalibration> | null;
  if (!c || !Array.isArray(c.x) || !Array.isArray(c.y)) return 'calibration: expected {x: number[], y: number[]}';
  if (c.x.length === 0 || c.x.length !== c.y.length) return 'calibration: x and y must have the same length, at least 1';
  for (let i = 0; i < c.x.length; i++) {
    const x = c.x[i];
    const y = c.y[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || (i > 0 && !(x > c.x[i - 1]!))) return `calibration.x[${i}]: must be finite and above x[${i - 1}]`;
    if (typeof y !== 'number' || !(y >= 0 && y <= 1) || (i > 0 && !(y >= c.y[i - 1]!))) return `calibration.y[${i}]: must be in [0, 1] and >= y[${i - 1}]`;
  }
  return null;
}
