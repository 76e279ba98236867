// How a raw feature value counts (METRICS.md "Windows and events"): missing, a type
// mismatch, or usable. Kept branch-light: it runs for every feature of every event.

export const MISSING = 0;
export const MISMATCH = 1;
export const USABLE = 2;
export type ValueKind = typeof MISSING | typeof MISMATCH | typeof USABLE;

/** Kind of a numeric feature's value: absent/null/NaN missing, a finite number usable, else mismatch. */
export function numericKind(v: unknown): ValueKind {
  if (v === undefined || v === null) return MISSING;
  if (typeof v !== 'number') return MISMATCH;
  if (v !== v) return MISSING;
  return Number.isFinite(v) ? USABLE : MISMATCH;
}

/**
 * A categorical value as the string it is compared by (`String(v)` as JavaScript writes
 * it), `null` when missing, `undefined` when a type mismatch (not a string, number or boolean).
 */
export function categoryOf(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return null;
  const t = typeof v;
  if (t === 'string') return v as string;
  if (t === 'number') return v !== v ? null : String(v);
  if (t === 'boolean') return v ? 'true' : 'false';
  return undefined;
}
