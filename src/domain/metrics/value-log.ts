// The numeric values of an ingest head's events, read once per event into a row (the
// model and every slice it goes to share it), and per slice's hour a log of its events'
// rows, instead of each column's exact-value and fine-histogram hash tables. A head holds
// one set of statistics per slice per hour; most see a few events each (a segment's share
// of a batch shuffled over a week), and a hash table per column per hour costs ~70 bytes
// a value and a cache miss per add. A row costs 8 bytes a value once, a log 4 bytes an
// event per slice; they are turned into the same exact values and histogram at once when
// the statistics are written (window-stats.ts, settleLog): sorted, with every slot's sum
// added in arrival order, so the stored partial is bit for bit what accumulating gives. A
// column that keeps its exact values gets no histogram there (the partial stores none:
// its reader rebuilds it from the values, stats-codec.ts), saving a slot lookup a value.
import { EXACT_VALUES_ACCUMULATED, type SortedValues } from './exact-values.js';
import { slotOfIndexed, type SlotIndex, type SparseHist } from './fine-hist.js';

/** Events a log holds at most: past this an hour is busy and its tables pay (and values past EXACT_VALUES_ACCUMULATED are dropped anyway). */
export const LOG_MAX_EVENTS = 2048;

const CHUNK_BITS = 12;
const CHUNK_ROWS = 1 << CHUNK_BITS;

/**
 * Rows of numeric column values, `stride` a row: a usable value as is, NaN for a missing
 * one, Infinity for a mismatch. Chunked: no copying as it grows.
 */
export class ValueRows {
  readonly chunks: Float64Array[] = [];
  n = 0;

  constructor(readonly stride: number) {}

  /** A new row's index (its values are written at chunkOf/offsetOf). */
  add(): number {
    if ((this.n & (CHUNK_ROWS - 1)) === 0) this.chunks.push(new Float64Array(CHUNK_ROWS * this.stride));
    return this.n++;
  }

  chunkOf(row: number): Float64Array {
    return this.chunks[row >>> CHUNK_BITS]!;
  }

  offsetOf(row: number): number {
    return (row & (CHUNK_ROWS - 1)) * this.stride;
  }

  get bytes(): number {
    return this.chunks.length * CHUNK_ROWS * this.stride * 8;
  }
}

/** The rows of one set of statistics' events, in arrival order. */
export class RowLog {
  rows = new Int32Array(4);
  n = 0;

  push(row: number): void {
    if (this.n === this.rows.length) {
      const b = new Int32Array(Math.min(2 * this.n, LOG_MAX_EVENTS));
      b.set(this.rows);
      this.rows = b;
    }
    this.rows[this.n++] = row;
  }

  get full(): boolean {
    return this.n >= LOG_MAX_EVENTS;
  }

  get bytes(): number {
    return this.rows.byteLength + 64;
  }

  /** Column `col`'s values in arrival order (as rows hold them), into `out` (at least n long). */
  column(values: ValueRows, col: number, out: Float64Array): void {
    for (let i = 0; i < this.n; i++) {
      const row = this.rows[i]!;
      out[i] = values.chunkOf(row)[values.offsetOf(row) + col]!;
    }
  }
}

/**
 * Sorts a[lo..hi) ascending in place (numbers, no NaN): V8's built-in typed-array sort
 * costs ~60 ns a value on the small arrays settled here; this quicksort a third of that.
 */
export function sortNumbers(a: Float64Array, lo = 0, hi = a.length): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot
    let x = a[lo]!;
    let y = a[mid]!;
    let z = a[hi - 1]!;
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) y = x;
    const p = y;
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      while (a[i]! < p) i++;
      while (a[j]! > p) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    // recurse into the smaller side, loop on the larger
    if (j + 1 - lo < hi - i) {
      sortNumbers(a, lo, j + 1);
      lo = i;
    } else {
      sortNumbers(a, i, hi);
      hi = j + 1;
    }
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= lo && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * Float64 arrays for settled statistics, cut from shared slabs: a typed array of its own
 * costs ~300 ns and weighs on the garbage collector, and a head settles tens of
 * thousands (a few per column per partial), each dropped once stored. A slab is never
 * written twice; it goes when its last view does.
 */
let slab = new Float64Array(0);
let slabAt = 0;
const SLAB = 1 << 16;

export function float64s(n: number): Float64Array {
  if (n > SLAB >>> 4) return new Float64Array(n);
  if (slabAt + n > slab.length) {
    slab = new Float64Array(SLAB);
    slabAt = 0;
  }
  const a = slab.subarray(slabAt, slabAt + n);
  slabAt += n;
  return a;
}

// an open-addressing set of doubles, 4x the limit: cleared through the slots it used
const SET_SLOTS = 4 * EXACT_VALUES_ACCUMULATED;
const setKeys = new Float64Array(SET_SLOTS);
const setUsed = new Uint8Array(SET_SLOTS);
const setTouched = new Uint16Array(EXACT_VALUES_ACCUMULATED + 1);
const hashView = new Float64Array(1);
const hashBits = new Uint32Array(hashView.buffer);

/** Whether `vals[0..n)` hold more than EXACT_VALUES_ACCUMULATED distinct values (-0 is 0), stopping as soon as they do. */
function overLimit(vals: Float64Array, n: number): boolean {
  let d = 0;
  let over = false;
  for (let i = 0; i < n && !over; i++) {
    const v = vals[i] === 0 ? 0 : vals[i]!;
    hashView[0] = v;
    let h = Math.imul(hashBits[0]! ^ Math.imul(hashBits[1]!, 0x9e3779b1), 0x85ebca6b) >>> 22;
    while (setUsed[h] === 1 && setKeys[h] !== v) h = (h + 1) & (SET_SLOTS - 1);
    if (setUsed[h] === 1) continue;
    setUsed[h] = 1;
    setKeys[h] = v;
    setTouched[d++] = h;
    over = d > EXACT_VALUES_ACCUMULATED;
  }
  for (let j = 0; j < d; j++) setUsed[setTouched[j]!] = 0;
  return over;
}

/** The exact values of `vals[0..n)` (as a ValueCounts would hold them: -0 is 0), or null past EXACT_VALUES_ACCUMULATED distinct. */
export function sortedOf(vals: Float64Array, n: number, scratch: Float64Array): SortedValues | null {
  // past the limit on a first count: no sort (an hour's first partial of hundreds of values)
  if (n > EXACT_VALUES_ACCUMULATED && overLimit(vals, n)) return null;
  for (let i = 0; i < n; i++) scratch[i] = vals[i]!;
  const s = scratch;
  sortNumbers(s, 0, n);
  let d = 0;
  for (let i = 0; i < n; i++) if (i === 0 || s[i] !== s[i - 1]) d++;
  if (d > EXACT_VALUES_ACCUMULATED) return null;
  const v = float64s(d);
  // counts of at most LOG_MAX_EVENTS: the codec's narrowest form, stored as is
  const c = new Uint16Array(d);
  let j = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || s[i] !== s[i - 1]) {
      const x = s[i]!;
      v[++j] = x === 0 ? 0 : x;
    }
    c[j]! += 1;
  }
  return { form: 'sorted', v, c };
}

let dense = new Float64Array(0);
let touched = new Float64Array(0);

/**
 * The fine histogram of `vals[0..n)` against `ix` (`nslots` slots) in sparse form, each
 * slot's sum added in arrival order (as addToHist adds them; exactly-at-edge slots sum
 * nothing), and how many fall outside slots [loSlot, hiSlot].
 */
export function sparseOf(vals: Float64Array, n: number, ix: SlotIndex, nslots: number, loSlot: number, hiSlot: number): { hist: SparseHist; outOfRange: number } {
  // count at 2s, sum at 2s + 1 of a zeroed scratch table, zeroed again after
  if (dense.length < 2 * nslots) dense = new Float64Array(2 * nslots);
  if (touched.length < n) touched = new Float64Array(Math.max(n, 256));
  let out = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const v = vals[i]!;
    const slot = slotOfIndexed(ix, v);
    if (slot < loSlot || slot > hiSlot) out++;
    if (dense[2 * slot] === 0) touched[d++] = slot;
    dense[2 * slot]! += 1;
    if ((slot & 1) === 0) dense[2 * slot + 1]! += v;
  }
  sortNumbers(touched, 0, d);
  const slots = touched;
  const idx = nslots <= 0x10000 ? new Uint16Array(d) : new Uint32Array(d);
  const counts = new Uint16Array(d);
  const sums = float64s(d);
  for (let j = 0; j < d; j++) {
    const slot = slots[j]!;
    idx[j] = slot;
    counts[j] = dense[2 * slot]!;
    sums[j] = dense[2 * slot + 1]!;
    dense[2 * slot] = 0;
    dense[2 * slot + 1] = 0;
  }
  return { hist: { form: 'sparse', idx, counts, sums }, outOfRange: out };
}
