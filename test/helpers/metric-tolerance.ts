// The tolerances of docs/metrics.md ("Tolerances"): how close a computed metric must be to
// a fixture's reference value. One place, used by the pure-function and the API tests.

const COUNTS = new Set(['sampleSize', 'baselineSize', 'count', 'labeledCount', 'predictionCount', 'rowCount', 'accepted', 'rejected', 'duplicates']);

/** True when `got` is within the tolerance of metric `key` around `exp`. */
export function withinTolerance(key: string, exp: number | null, got: unknown): boolean {
  if (exp === null) return got === null;
  if (typeof got !== 'number' || !Number.isFinite(got)) return false;
  const near = (abs: number, rel = 0) => Math.abs(got - exp) <= Math.max(abs, rel * Math.abs(exp));
  if (COUNTS.has(key)) return got === exp;
  if (key === 'ksStatistic') return near(0.005);
  if (key === 'auc') return near(0.001);
  if (key === 'wasserstein') return near(1e-9, 0.01);
  if (key === 'chi2PValue') return near(1e-15, 1e-6);
  // a KS p-value is only held to the right side of 0.05 where the reference is clear of it
  if (key === 'ksPValue') return got >= 0 && got <= 1 && (exp < 0.01 ? got < 0.05 : exp > 0.2 ? got >= 0.05 : true);
  return near(1e-12, 1e-9);
}

/** A mismatch description, or null when `got` is within tolerance of `exp`. */
export function mismatch(key: string, exp: number | null, got: unknown): string | null {
  return withinTolerance(key, exp, got) ? null : `${key}: expected ${exp}, got ${String(got)}`;
}

/** Every mismatch between an expected object and the computed one, prefixed by `where`. */
export function compareObject(where: string, exp: Record<string, unknown>, got: Record<string, unknown> | null | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(exp)) {
    if (k === 'groups') continue;
    const m = mismatch(k, v as number | null, got?.[k]);
    if (m) out.push(`${where}.${m}`);
  }
  return out;
}
