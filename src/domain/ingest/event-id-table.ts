// An open-addressing hash table from 53-bit hashes of event ids to row ids, over typed
// arrays: ~12-16 bytes a slot instead of ~100 for a Map of strings. It is an index, not
// a set: a hit is only a candidate, which the caller verifies against the stored row, so
// a hash collision can never make a new event look like a duplicate.

const EMPTY = 0;
const MAX_LOAD = 0.75;
const MAX_U32 = 0xffffffff;

/** A 53-bit, never-zero hash of a string (two murmur3-finalised FNV-1a lanes). */
export function hashEventId(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = fmix(a);
  b = fmix(b ^ a);
  const h = (a & 0x1fffff) * 4294967296 + (b >>> 0);
  return h === EMPTY ? 1 : h;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class EventIdTable {
  private keys: Float64Array;
  /** row ids fit 32 bits in practice; widened on the first that does not */
  private rows: Uint32Array | Float64Array;
  private mask: number;
  private count = 0;

  constructor(expected = 0) {
    let cap = 1024;
    while (cap * MAX_LOAD < expected) cap *= 2;
    this.keys = new Float64Array(cap);
    this.rows = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the arrays. */
  get bytes(): number {
    return this.keys.byteLength + this.rows.byteLength;
  }

  /**
   * The row id of the first entry with hash `h` that `verify` confirms, or -1. Each
   * candidate is checked in insertion-probe order, so colliding ids are all reachable.
   */
  find(h: number, verify: (rowId: number) => boolean): number {
    const keys = this.keys;
    let i = (h >>> 0) & this.mask;
    for (;;) {
      const k = keys[i]!;
      if (k === EMPTY) return -1;
      if (k === h && verify(this.rows[i]!)) return this.rows[i]!;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds an entry (the caller has checked it is not already there). */
  add(h: number, rowId: number): void {
    if ((this.count + 1) > (this.mask + 1) * MAX_LOAD) this.grow();
    if (rowId > MAX_U32 && this.rows instanceof Uint32Array) this.rows = Float64Array.from(this.rows);
    this.put(h, rowId);
    this.count++;
  }

  private put(h: number, rowId: number): void {
    const keys = this.keys;
    let i = (h >>> 0) & this.mask;
    while (keys[i] !== EMPTY) i = (i + 1) & this.mask;
    keys[i] = h;
    this.rows[i] = rowId;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldRows = this.rows;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap);
    this.rows = oldRows instanceof Uint32Array ? new Uint32Array(cap) : new Float64Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k !== EMPTY) this.put(k, oldRows[i]!);
    }
  }
}
