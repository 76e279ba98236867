// The chi-square upper tail, for chi2PValue. jstat supplies ln Γ and the lower
// regularized gamma; its upper tail (1 - P) loses every digit below ~1e-16, and the
// fixtures reach 1e-20, so the far tail is evaluated directly from the continued fraction.
import jStat from 'jstat';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 10_000;

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma function.
 * For x < a + 1 it is 1 - P(a, x) (jstat's series, no cancellation there since Q is not
 * small); otherwise the Legendre continued fraction evaluated by the modified Lentz
 * method (Press et al., Numerical Recipes, 3rd ed., §6.2, "gcf"), to full precision.
 */
export function upperRegGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x < a + 1) return Math.min(1, Math.max(0, 1 - jStat.lowRegGamma(a, x)));
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - jStat.loggam(a)) * h;
}

/** P(X > x) for X ~ chi-square with `dof` degrees of freedom (`scipy.stats.chi2.sf`). */
export function chi2Sf(x: number, dof: number): number {
  if (x <= 0) return 1;
  return upperRegGamma(dof / 2, x / 2);
}
