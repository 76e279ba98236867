// A column's exact values with their counts, kept while there are at most EXACT_VALUES
// distinct ones: a Map while accumulating, ascending arrays once stored or merged (a merge
// of ascending arrays is linear, a Map merge is not).

/** Distinct values of a merged window kept exactly (KS and Wasserstein then exact). */
export const EXACT_VALUES = 4096;

/**
 * Distinct values kept while accumulating (one hour, or the raw edges of a window): past
 * this the hour is busy enough for the fine histogram, and a Map per column per event
 * would cost the write path more than everything else together.
 */
export const EXACT_VALUES_ACCUMULATED = 256;

export interface SortedValues {
  form: 'sorted';
  /** ascending, distinct */
  v: Float64Array | Uint32Array | Uint16Array;
  c: Float64Array | Uint32Array | Uint16Array;
}

export type ExactValues = Map<number, number> | SortedValues;

/** The ascending form (the same object when already sorted). */
export function sortedValues(x: ExactValues): SortedValues {
  if (!(x instanceof Map)) return x;
  const v = new Float64Array(x.size);
  let i = 0;
  for (const k of x.keys()) v[i++] = k;
  v.sort();
  const c = new Float64Array(v.length);
  for (let j = 0; j < v.length; j++) c[j] = x.get(v[j]!)!;
  return { form: 'sorted', v, c };
}

/** The Map form, to add values to (the same object when already a Map). */
export function valuesMap(x: ExactValues): Map<number, number> {
  if (x instanceof Map) return x;
  const m = new Map<number, number>();
  for (let i = 0; i < x.v.length; i++) m.set(x.v[i]!, x.c[i]!);
  return m;
}

/**
 * The union with summed counts, or null beyond `limit` distinct values: EXACT_VALUES for
 * windows, EXACT_VALUES_ACCUMULATED for the parts of one hour, so that an hour's values
 * are kept exactly when its events were accumulated in one go, whatever its parts.
 */
export function mergeValues(a: ExactValues, b: ExactValues, limit = EXACT_VALUES): SortedValues | null {
  const x = sortedValues(a);
  const y = sortedValues(b);
  const v = new Float64Array(x.v.length + y.v.length);
  const c = new Float64Array(v.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.v.length || j < y.v.length) {
    if (k >= limit) return null;
    const xi = i < x.v.length ? x.v[i]! : Infinity;
    const yj = j < y.v.length ? y.v[j]! : Infinity;
    if (xi < yj || j >= y.v.length) {
      v[k] = xi;
      c[k++] = x.c[i++]!;
    } else if (yj < xi || i >= x.v.length) {
      v[k] = yj;
      c[k++] = y.c[j++]!;
    } else {
      v[k] = xi;
      c[k++] = x.c[i++]! + y.c[j++]!;
    }
  }
  return { form: 'sorted', v: v.subarray(0, k), c: c.subarray(0, k) };
}
