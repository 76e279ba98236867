// An exact, mergeable sum of doubles: Shewchuk's non-overlapping partials (the algorithm
// behind Python's math.fsum), read out rounded once, correctly. Float addition is not
// associative; this is, so a window's sum is the same whatever the order of its events and
// however its hours were split and merged, and equals the reference's `math.fsum` bit for
// bit. Terms of 2^512 or more are kept apart, scaled by 2^-512 (exactly: a power of two),
// so that no partial overflows before the true sum does.

const SCALE = 2 ** 512;
const UNSCALE = 2 ** -512;

export interface ExactSum {
  /** partials of the terms below 2^512, increasing magnitude, non-overlapping */
  lo: number[];
  /** partials of the larger terms times 2^-512 (empty unless such a term came) */
  hi: number[];
}

export function emptyExactSum(): ExactSum {
  return { lo: [], hi: [] };
}

/** Adds x to the expansion p exactly (msum: one two-sum per partial, zeros dropped). */
function grow(p: number[], x: number): void {
  let i = 0;
  const n = p.length;
  for (let j = 0; j < n; j++) {
    let y = p[j]!;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[i++] = lo;
    x = hi;
  }
  // in place: shrinking or growing the array only when the count of partials changes
  if (i === n) p.push(x);
  else {
    p[i] = x;
    if (i + 1 < n) p.length = i + 1;
  }
}

/** Adds a finite x (the caller checks: a non-finite term would poison the partials). */
export function addExact(s: ExactSum, x: number): void {
  if (x === 0) return;
  if (Math.abs(x) < SCALE) grow(s.lo, x);
  else grow(s.hi, x * UNSCALE);
}

/** Adds `src` (times `sign`, +1 or -1) into `target`; exact. */
export function mergeExactInto(target: ExactSum, src: ExactSum, sign: 1 | -1 = 1): void {
  for (const x of src.lo) grow(target.lo, sign * x);
  for (const x of src.hi) grow(target.hi, sign * x);
}

/** The value of an expansion rounded once, half to even (CPython's math.fsum ending). */
function roundPartials(p: readonly number[]): number {
  let n = p.length;
  if (n === 0) return 0;
  let hi = p[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // the rest lies on the same side as lo: a tie rounded to even may have to move
  if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** Both halves as one expansion at scale 1, or at 2^-512 (`scaled`, where scale 1 overflows). */
function combined(s: ExactSum, scaled: boolean): number[] {
  const p = scaled ? [...s.hi] : s.hi.map((x) => x * SCALE);
  for (const x of s.lo) grow(p, scaled ? x * UNSCALE : x);
  return p;
}

/** At scale 2^-512 the small terms lose bits below 2^-1074: nothing next to a sum this large. */
const scaledBack = (s: ExactSum, n: number): number => (roundPartials(combined(s, true)) / n) * SCALE;

/** The sum rounded once (= math.fsum of the terms); ±Infinity only when the true sum overflows. */
export function exactSumValue(s: ExactSum): number {
  if (s.hi.length === 0) return roundPartials(s.lo);
  const v = roundPartials(combined(s, false));
  // an overflow on the way (Infinity - Infinity) shows as NaN
  return v === v ? v : scaledBack(s, 1);
}

/**
 * sum / n as the reference computes it (math.fsum(terms) / n), also where the sum alone
 * overflows but the mean does not (then within an ulp or two).
 */
export function exactMean(s: ExactSum, n: number): number {
  const total = exactSumValue(s);
  return Number.isFinite(total) ? total / n : scaledBack(s, n);
}

/** math.fsum of a list: correctly rounded, whatever the order. */
export function fsum(values: Iterable<number>): number {
  const s = emptyExactSum();
  for (const v of values) addExact(s, v);
  return exactSumValue(s);
}

/** A copy safe to mutate. */
export function cloneExactSum(s: ExactSum): ExactSum {
  return { lo: [...s.lo], hi: [...s.hi] };
}
