// The exact distribution of the two-sided one-sample Kolmogorov-Smirnov statistic D_n,
// for ksPValue = scipy.stats.kstwo.sf(D, n).
//
// Algorithm choice per Simard R., L'Ecuyer P. (2011), "Computing the Two-Sided
// Kolmogorov-Smirnov Distribution", Journal of Statistical Software 39(11), 1-18, with the
// regime boundaries scipy uses (scipy/stats/_ksstats.py) so that we return its numbers:
//  - Ruben & Gambino (1982) closed forms for n·d <= 1 and n·d >= n-1;
//  - 2 × the exact one-sided Smirnov tail (Birnbaum & Tingey 1951) where the two one-sided
//    events cannot both happen (d >= 1/2) or the intersection is negligible (large n·d²);
//  - Durbin's matrix (1968) as evaluated by Marsaglia, Tsang & Wang (2003), "Evaluating
//    Kolmogorov's Distribution", J. Stat. Softw. 8(18), for small n·d²;
//  - Pomeranz's recursion (1974, CACM Algorithm 487) for n <= 140, moderate n·d²;
//  - Pelz & Good's (1976) asymptotic series for large n, small d.
import { cdfDurbinMTW, cdfPelzGood, cdfPomeranz } from './kolmogorov-cdf.js';

const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
// Stirling series coefficients B_2j / (2j (2j-1)), j = 8..1, for ln(n!/n^n).
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

const clip01 = (p: number) => Math.min(1, Math.max(0, p));

function polyval(coeffs: readonly number[], x: number): number {
  let r = 0;
  for (const c of coeffs) r = r * x + c;
  return r;
}

/** ln(n! / n^n) by Stirling's series with n ln n removed up front (no cancellation). */
function logNFactorialOverNPowN(n: number): number {
  const rn = 1 / n;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * polyval(STIRLING, rn / n);
}

/**
 * P(D_n^+ >= d), the exact one-sided Smirnov tail (Birnbaum & Tingey 1951):
 * d · Σ_{v=0}^{floor(n(1-d))} C(n,v) (d + v/n)^(v-1) (1 - d - v/n)^(n-v), summed in logs.
 */
export function smirnovSf(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d));
  let logC = 0; // ln C(n, v)
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const p = d + v / n;
    const q = 1 - p;
    if (q > 0) {
      const t = logC + (v - 1) * Math.log(p) + (n - v) * Math.log(q);
      if (t > MIN_LOG) sum += Math.exp(t);
    }
    logC += Math.log((n - v) / (v + 1));
  }
  return clip01(d * sum);
}

/**
 * P(D_n > d) for the two-sided one-sample KS statistic with sample size n
 * (`scipy.stats.kstwo.sf(d, n)`), in [0, 1].
 */
export function kolmogorovSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) return NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= (i / n) * (2 * t - 1);
    } else prob = Math.exp(logNFactorialOverNPowN(n) + n * Math.log(2 * t - 1));
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));
  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 0.754693) return clip01(1 - cdfDurbinMTW(n, d));
    if (nd2 <= 4) return clip01(1 - cdfPomeranz(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? cdfDurbinMTW(n, d) : cdfPelzGood(n, d);
  return clip01(1 - cdf);
}

/** Round half to even, as `np.round` does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * p-value of the two-sided two-sample KS test with sizes n, m, as
 * `scipy.stats.ks_2samp(method="asymp")` gives it: kstwo.sf(D, round(n·m/(n+m))).
 */
export function ksTwoSamplePValue(d: number, n: number, m: number): number {
  const [a, b] = n >= m ? [n, m] : [m, n];
  const en = (a * b) / (a + b);
  return kolmogorovSf(roundHalfEven(en), d);
}
