// jstat ships CommonJS without types; we use only its log-gamma and regularized lower
// incomplete gamma.
declare module 'jstat' {
  interface JStat {
    /** ln Γ(x), Lanczos (Numerical Recipes), absolute error ~2e-10 */
    gammaln(x: number): number;
    /** ln Γ(x), SPECFUN (Zhang & Jin), near double precision */
    loggam(x: number): number;
    /** P(a, x), the regularized lower incomplete gamma function */
    lowRegGamma(a: number, x: number): number;
    chisquare: { cdf(x: number, dof: number): number };
  }
  const jStat: JStat;
  export default jStat;
}
