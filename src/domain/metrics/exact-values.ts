// A column's exact values with their counts, kept while there are at most EXACT_VALUES
// distinct ones: a hash table over typed arrays while accumulating, ascending arrays once
// stored or merged (a merge of ascending arrays is linear, a hash table merge is not).

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

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const NO_SLOTS = new Float64Array(0);

/**
 * Distinct values and their counts, open addressing over one Float64Array of (value,
 * count) pairs (a count of 0 marks a free slot). Against a Map of numbers: no boxed keys,
 * nothing for the garbage collector to trace, one allocation a growth, and a value and
 * its count in one cache line, so 170 hours accumulated at once (a week shuffled) cost
 * about what one does.
 */
export class ValueCounts {
  readonly form = 'counts';
  /** value at 2i, count at 2i + 1 */
  slots: Float64Array = NO_SLOTS;
  size = 0;
  /** 32 - log2(number of slots): the hash's top bits pick the slot */
  private shift = 32;

  private slot(v: number): number {
    bits[0] = v;
    const s = this.slots;
    const mask = (s.length >>> 1) - 1;
    let i = Math.imul(words[0]! ^ Math.imul(words[1]!, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    while (s[2 * i + 1] !== 0 && s[2 * i] !== v) i = (i + 1) & mask;
    return i;
  }

  /** Adds `n` occurrences of `v` (a finite number). */
  add(v: number, n = 1): void {
    if ((this.size + 1) * 4 > this.slots.length) this.grow();
    // -0 and 0 are one value, as in a Map
    const x = v === 0 ? 0 : v;
    const i = 2 * this.slot(x);
    const s = this.slots;
    if (s[i + 1] === 0) {
      s[i] = x;
      this.size++;
    }
    s[i + 1]! += n;
  }

  /** The count of `v` (0 when absent). */
  get(v: number): number {
    return this.size === 0 ? 0 : this.slots[2 * this.slot(v === 0 ? 0 : v) + 1]!;
  }

  /** Calls `f` for each distinct value, in no order. */
  forEach(f: (v: number, n: number) => void): void {
    const s = this.slots;
    for (let i = 0; i < s.length; i += 2) if (s[i + 1] !== 0) f(s[i]!, s[i + 1]!);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    const n = Math.max(16, old.length); // slots: twice the pairs before
    this.slots = new Float64Array(2 * n);
    this.shift = 32 - Math.log2(n);
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.add(old[i]!, old[i + 1]!);
  }
}

export type ExactValues = ValueCounts | SortedValues;

/** The ascending form (the same object when already sorted). */
export function sortedValues(x: ExactValues): SortedValues {
  if (x.form === 'sorted') return x;
  const v = new Float64Array(x.size);
  let i = 0;
  x.forEach((k) => (v[i++] = k));
  v.sort();
  const c = new Float64Array(v.length);
  for (let j = 0; j < v.length; j++) c[j] = x.get(v[j]!);
  return { form: 'sorted', v, c };
}

/** The form to add values to (the same object when already so). */
export function valueCounts(x: ExactValues): ValueCounts {
  if (x.form === 'counts') return x;
  const m = new ValueCounts();
  for (let i = 0; i < x.v.length; i++) m.add(x.v[i]!, x.c[i]!);
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

/** Distinct values, ascending in v[0..n) (v grown as needed). */
export interface DistinctValues {
  v: Float64Array;
  n: number;
}

/**
 * Adds the ascending distinct values `mine` to `seen` in place (a merge from the back:
 * no allocation unless it grows); false, leaving `seen` as it was, when the union would
 * pass `limit`. What the ingest hints keep per hour (stats-hints.ts): a call shuffled over
 * a week adds a few values to ~170 hours' sets; a new merged array each time
 * (mergeValues) cost GraphQL's shuffled ingest more than the rest of its statistics.
 */
export function addDistinct(seen: DistinctValues, mine: ArrayLike<number>, limit: number): boolean {
  const { n } = seen;
  const k = mine.length;
  let added = 0;
  for (let i = 0, j = 0; j < k; j++) {
    const x = mine[j]!;
    while (i < n && seen.v[i]! < x) i++;
    if (i === n || seen.v[i] !== x) added++;
  }
  if (n + added > limit) return false;
  if (n + added > seen.v.length) {
    const v = new Float64Array(Math.min(limit, Math.max(16, 2 * (n + added))));
    v.set(seen.v.subarray(0, n));
    seen.v = v;
  }
  const v = seen.v;
  let i = n - 1;
  let w = n + added - 1;
  for (let j = k - 1; j >= 0; ) {
    const x = mine[j]!;
    if (i >= 0 && v[i]! > x) v[w--] = v[i--]!;
    else {
      // equal to v[i]: already there, and it stays where it is
      if (!(i >= 0 && v[i] === x)) v[w--] = x;
      else v[w--] = v[i--]!;
      j--;
    }
  }
  seen.n = n + added;
  return true;
}
