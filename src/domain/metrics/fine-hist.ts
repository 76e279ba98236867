// A window's histogram of one numeric column over its baseline's fine edges e_0 < ... <
// e_{K-1}: slot 2i counts values in the open interval (e_{i-1}, e_i) (with e_{-1} = -inf,
// e_K = +inf) and keeps their sum; slot 2i+1 counts values exactly equal to e_i.
// Three forms: a hash table while few slots are used (a quiet hour), dense arrays once
// many are (a busy hour, a merged window), sparse arrays as stored.
import { searchsortedLeft } from './quantile.js';

export interface DenseHist {
  form: 'dense';
  /** per slot */
  counts: Float64Array;
  /** per slot; only even (open-interval) slots are non-zero */
  sums: Float64Array;
}

/**
 * Slot -> (count, sum), open addressing over typed arrays: no boxed numbers for the
 * garbage collector, so the ~170 hours a shuffled week accumulates at once stay cheap.
 * An entry stays once added (its count may go back to 0).
 */
export class SlotTable {
  /** slot + 1 (0: free) */
  keys: Int32Array = new Int32Array(0);
  /** count at 2i, sum at 2i + 1 */
  vals: Float64Array = new Float64Array(0);
  size = 0;

  private find(slot: number): number {
    const k = this.keys;
    const mask = k.length - 1;
    let i = Math.imul(slot + 1, 0x9e3779b1) & mask;
    while (k[i] !== 0 && k[i] !== slot + 1) i = (i + 1) & mask;
    return i;
  }

  /** Adds `c` to the slot's count and `x` to its sum. */
  add(slot: number, c: number, x: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const i = this.find(slot);
    if (this.keys[i] === 0) {
      this.keys[i] = slot + 1;
      this.size++;
    }
    this.vals[2 * i]! += c;
    this.vals[2 * i + 1]! += x;
  }

  /** Calls `f` for each slot added, in no order. */
  forEach(f: (slot: number, count: number, sum: number) => void): void {
    const k = this.keys;
    for (let i = 0; i < k.length; i++) if (k[i] !== 0) f(k[i]! - 1, this.vals[2 * i]!, this.vals[2 * i + 1]!);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength;
  }

  private grow(): void {
    const { keys, vals } = this;
    this.keys = new Int32Array(Math.max(16, keys.length * 2));
    this.vals = new Float64Array(2 * this.keys.length);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.add(keys[i]! - 1, vals[2 * i]!, vals[2 * i + 1]!);
  }
}

export interface MapHist {
  form: 'map';
  table: SlotTable;
}

export interface SparseHist {
  form: 'sparse';
  /** ascending slot numbers */
  idx: Float64Array | Uint32Array | Uint16Array;
  counts: Float64Array | Uint32Array | Uint16Array;
  sums: Float64Array | Uint32Array | Uint16Array;
}

export type FineHist = DenseHist | MapHist | SparseHist;
export type MutableHist = DenseHist | MapHist;

/** Slot of a finite value against ascending distinct edges (see the file header). */
export function slotOf(edges: Float64Array, v: number): number {
  const lo = searchsortedLeft(edges, v);
  return lo < edges.length && edges[lo] === v ? 2 * lo + 1 : 2 * lo;
}

/**
 * A lookup table over [e_0, e_{K-1}] cut in equal buckets, each knowing the first edge at
 * or above its start: a value's slot is then found among a few edges, not by a full
 * binary search (the per-event, per-feature cost of ingest).
 */
export interface SlotIndex {
  edges: Float64Array;
  lo: number;
  hi: number;
  scale: number;
  /** first[b] = number of edges below the start of bucket b (length buckets + 1) */
  first: Int32Array;
}

/** The lookup table of ascending distinct edges. */
export function slotIndex(edges: Float64Array): SlotIndex {
  const K = edges.length;
  const lo = K ? edges[0]! : 0;
  const hi = K ? edges[K - 1]! : 0;
  const buckets = Math.max(1, 2 * K);
  // edges a few denormals apart make the scale infinite: no table then, the binary search serves
  const raw = hi > lo ? buckets / (hi - lo) : 0;
  const scale = Number.isFinite(raw) ? raw : 0;
  const first = new Int32Array(buckets + 1);
  let e = 0;
  for (let b = 0; b <= buckets; b++) {
    const start = lo + b / scale;
    while (e < K && edges[e]! < start) e++;
    first[b] = scale === 0 ? 0 : e;
  }
  return { edges, lo, hi, scale, first };
}

/** slotOf(edges, v), through the lookup table. */
export function slotOfIndexed(ix: SlotIndex, v: number): number {
  const edges = ix.edges;
  if (!(v > ix.lo && v < ix.hi) || ix.scale === 0) return slotOf(edges, v);
  const b = Math.floor((v - ix.lo) * ix.scale);
  // bucket b starts at or below v (up to rounding): step back past any edge >= v, then forward
  let i = ix.first[b]!;
  while (i > 0 && edges[i - 1]! >= v) i--;
  while (i < edges.length && edges[i]! < v) i++;
  return i < edges.length && edges[i] === v ? 2 * i + 1 : 2 * i;
}

/** Used slots beyond which dense arrays beat a Map (memory and time). */
const denseFrom = (nslots: number) => nslots >>> 4;

/** An empty dense histogram with `nslots` slots. */
export function emptyDense(nslots: number): DenseHist {
  return { form: 'dense', counts: new Float64Array(nslots), sums: new Float64Array(nslots) };
}

/** Number of slots in use (an upper bound for the dense form). */
export function usedSlots(h: FineHist): number {
  return h.form === 'map' ? h.table.size : h.form === 'sparse' ? h.idx.length : h.counts.length;
}

/** `h` itself when it can take about `incoming` more slots in its form, else a copy in the form that can. */
export function mutableHist(h: FineHist | null, nslots: number, incoming = 0): MutableHist {
  if (h !== null && h.form === 'dense') return h;
  const used = (h ? usedSlots(h) : 0) + incoming;
  if (h !== null && h.form === 'map' && used <= denseFrom(nslots)) return h;
  const out: MutableHist = used > denseFrom(nslots) ? emptyDense(nslots) : { form: 'map', table: new SlotTable() };
  if (h) addHistInto(out, h, 1, nslots);
  return out;
}

/** Adds one value at `slot` (a Map that grows past its use is made dense). */
export function addToHist(h: MutableHist, slot: number, v: number, nslots: number): MutableHist {
  if (h.form === 'dense') {
    h.counts[slot]! += 1;
    if ((slot & 1) === 0) h.sums[slot]! += v;
    return h;
  }
  h.table.add(slot, 1, (slot & 1) === 0 ? v : 0);
  return h.table.size > denseFrom(nslots) ? mutableHist(h, nslots, nslots) : h;
}

/** Adds `src` (any form) into `target`, with sign +1 or -1. A Map target must not outgrow its use: see mutableHist. */
export function addHistInto(target: MutableHist, src: FineHist, sign: number, nslots: number): void {
  const add =
    target.form === 'dense'
      ? (s: number, c: number, x: number) => {
          target.counts[s]! += sign * c;
          target.sums[s]! += sign * x;
        }
      : (s: number, c: number, x: number) => target.table.add(s, sign * c, sign * x);
  if (src.form === 'dense') {
    const { counts, sums } = src;
    if (target.form === 'dense') {
      const tc = target.counts;
      const ts = target.sums;
      for (let i = 0; i < nslots; i++) {
        if (counts[i] !== 0) {
          tc[i]! += sign * counts[i]!;
          ts[i]! += sign * sums[i]!;
        }
      }
    } else for (let i = 0; i < nslots; i++) if (counts[i] !== 0) add(i, counts[i]!, sums[i]!);
  } else if (src.form === 'sparse') {
    const { idx, counts, sums } = src;
    if (target.form === 'dense') {
      // the hot loop of every query: plain typed-array adds
      const tc = target.counts;
      const ts = target.sums;
      for (let j = 0; j < idx.length; j++) {
        const s = idx[j]!;
        tc[s]! += sign * counts[j]!;
        ts[s]! += sign * sums[j]!;
      }
    } else for (let j = 0; j < idx.length; j++) add(idx[j]!, counts[j]!, sums[j]!);
  } else src.table.forEach(add);
}

let scratch: DenseHist | null = null;

/**
 * Dense arrays of a histogram, for reading at once: the histogram itself when dense, else
 * a shared scratch buffer overwritten by the next call (no allocation per query).
 */
export function denseView(h: FineHist, nslots: number): DenseHist {
  if (h.form === 'dense') return h;
  if (!scratch || scratch.counts.length < nslots) scratch = emptyDense(nslots);
  else {
    scratch.counts.fill(0, 0, nslots);
    scratch.sums.fill(0, 0, nslots);
  }
  addHistInto(scratch, h, 1, nslots);
  return scratch;
}

/** The sparse form: only slots with a non-zero count, ascending. */
export function sparseHist(h: FineHist): SparseHist {
  if (h.form === 'sparse') return h;
  if (h.form === 'map') {
    // a typed array sorts numerically without a comparator: the hot path of small partials
    const t = h.table;
    const order = new Float64Array(t.size);
    let n = 0;
    // slot * 2^21 + entry: sorting the numbers sorts by slot and keeps where each entry is
    for (let i = 0; i < t.keys.length; i++) if (t.keys[i] !== 0 && t.vals[2 * i] !== 0) order[n++] = (t.keys[i]! - 1) * 2 ** 21 + i;
    const sorted = order.subarray(0, n).sort();
    const idx = new Float64Array(n);
    const counts = new Float64Array(n);
    const sums = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const i = sorted[j]! % 2 ** 21;
      idx[j] = (sorted[j]! - i) / 2 ** 21;
      counts[j] = t.vals[2 * i]!;
      sums[j] = t.vals[2 * i + 1]!;
    }
    return { form: 'sparse', idx, counts, sums };
  }
  const slots: number[] = [];
  for (let i = 0; i < h.counts.length; i++) if (h.counts[i] !== 0) slots.push(i);
  const idx = Float64Array.from(slots);
  const counts = new Float64Array(slots.length);
  const sums = new Float64Array(slots.length);
  for (let j = 0; j < slots.length; j++) {
    counts[j] = h.counts[slots[j]!]!;
    sums[j] = h.sums[slots[j]!]!;
  }
  return { form: 'sparse', idx, counts, sums };
}

/**
 * The fine histogram of a column's exact values (ascending distinct `v` with counts `c`).
 * Each slot's sum is added in value order, so it depends on the values alone, never on
 * the order they came in. A partial that keeps its exact values stores no histogram: this
 * rebuilds it (stats-codec.ts, window-stats.ts dropExactValues).
 */
export function sparseFromSorted(v: ArrayLike<number>, c: ArrayLike<number>, ix: SlotIndex, nslots: number): SparseHist {
  const n = v.length;
  // the slots ascend with the values: count the distinct ones, then fill
  const slots = new Float64Array(n);
  let d = 0;
  for (let i = 0; i < n; i++) {
    slots[i] = slotOfIndexed(ix, v[i]!);
    if (i === 0 || slots[i] !== slots[i - 1]) d++;
  }
  const idx = nslots <= 0x10000 ? new Uint16Array(d) : new Uint32Array(d);
  const counts = new Float64Array(d);
  const sums = new Float64Array(d);
  let j = -1;
  for (let i = 0; i < n; i++) {
    const s = slots[i]!;
    if (i === 0 || s !== slots[i - 1]) idx[++j] = s;
    counts[j]! += c[i]!;
    if ((s & 1) === 0) for (let r = 0; r < c[i]!; r++) sums[j]! += v[i]!;
  }
  return { form: 'sparse', idx, counts, sums };
}
