// Binary form of WindowStats, as stored per (model, hour). A small JSON header carries the
// counters; the bulky parts (fine histograms, exact values, AUC score histograms) follow as
// numeric arrays, each in the narrowest of float64 / uint32 / uint16 that holds it exactly
// (slot numbers and counts are small integers), read back as views with no per-number
// parsing. Measured against JSON text in bench/metrics.ts.
import { sparseHist } from './fine-hist.js';
import { sortedValues, type SortedValues } from './exact-values.js';
import type { StatsContext } from './context.js';
import { EXACT_LIMIT, SCORE_BINS, type ScoreHist } from './score-hist.js';
import type { ColumnStats, PerfStats, WindowStats } from './window-stats.js';

const VERSION = 2;
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('stats codec assumes a little-endian host');

export type NumArray = Float64Array | Uint32Array | Uint16Array;
type Block = NumArray[];

interface Writer {
  blocks: Block[];
}

const BYTES = { d: 8, u: 4, s: 2 } as const;
type Kind = keyof typeof BYTES;

function kindOf(a: ArrayLike<number>): Kind {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (!(x >= 0 && Number.isInteger(x))) return 'd';
    if (x > max) max = x;
  }
  return max <= 0xffff ? 's' : max <= 0xffffffff ? 'u' : 'd';
}

function narrow(a: ArrayLike<number>): NumArray {
  const k = kindOf(a);
  return k === 's' ? Uint16Array.from(a) : k === 'u' ? Uint32Array.from(a) : a instanceof Float64Array ? a : Float64Array.from(a);
}

function addBlock(w: Writer, arrays: Array<ArrayLike<number>>): number {
  w.blocks.push(arrays.map(narrow));
  return w.blocks.length - 1;
}

const kindOfArray = (a: NumArray): Kind => (a instanceof Uint16Array ? 's' : a instanceof Uint32Array ? 'u' : 'd');

function encodeColumn(w: Writer, c: ColumnStats): unknown {
  if (c.kind === 'categorical') return { k: 'c', m: c.missing, x: c.mismatch, c: Array.from(c.counts) };
  let h = -1;
  if (c.hist) {
    const s = sparseHist(c.hist);
    h = addBlock(w, [s.idx, s.counts, s.sums]);
  }
  let v = -1;
  if (c.values) {
    const sv = sortedValues(c.values);
    v = addBlock(w, [sv.v, sv.c]);
  }
  return { k: 'n', m: c.missing, x: c.mismatch, u: c.usable, lo: c.belowMin, hi: c.aboveMax, h, v };
}

function encodeScores(w: Writer, s: ScoreHist): number {
  if (s.binPos) {
    const idx: number[] = [];
    for (let i = 0; i <= SCORE_BINS; i++) if (s.binPos[i] !== 0 || s.binNeg![i] !== 0) idx.push(i);
    return addBlock(w, [idx, idx.map((i) => s.binPos![i]!), idx.map((i) => s.binNeg![i]!)]);
  }
  const keys = Float64Array.from(new Set([...s.pos!.keys(), ...s.neg!.keys()]));
  return addBlock(w, [keys, Array.from(keys, (k) => s.pos!.get(k) ?? 0), Array.from(keys, (k) => s.neg!.get(k) ?? 0)]);
}

function encodePerf(w: Writer, p: PerfStats): unknown {
  if (p.kind === 'binary')
    return { k: 'b', tp: p.tp, fp: p.fp, tn: p.tn, fn: p.fn, un: p.unscored, ll: p.logLossSum, br: p.brierSum, s: encodeScores(w, p.scores), bin: p.scores.binPos !== null };
  if (p.kind === 'multiclass') return { k: 'm', c: Array.from(p.confusion) };
  return { k: 'r', n: p.n, a: p.absSum, s: p.sqSum, p: p.apeSum, pc: p.apeCount, ym: p.yMean, y2: p.yM2 };
}

/** The stored bytes of a WindowStats. */
export function serializeStats(s: WindowStats): Uint8Array {
  const w: Writer = { blocks: [] };
  const header = {
    v: VERSION,
    k: s.key,
    n: s.count,
    l: s.labeled,
    ss: s.scoreSum,
    sc: s.scoreCount,
    vs: s.valueSum,
    vc: s.valueCount,
    f: s.features.map((c) => encodeColumn(w, c)),
    o: encodeColumn(w, s.output),
    p: encodePerf(w, s.perf),
    g: s.fairness.map((m) => Array.from(m)),
    b: [] as Array<[number, string]>,
  };
  const bytes = { d: 0, u: 0, s: 0 };
  for (const b of w.blocks) {
    const kinds = b.map(kindOfArray).join('');
    header.b.push([b[0]!.length, kinds]);
    for (const k of kinds as Iterable<Kind>) bytes[k] += b[0]!.length * BYTES[k];
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = (4 + json.length + 7) & ~7;
  const out = new Uint8Array(start + bytes.d + bytes.u + bytes.s);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  // float64 first, then uint32, then uint16: every array stays naturally aligned
  const at = { d: start, u: start + bytes.d, s: start + bytes.d + bytes.u };
  for (const b of w.blocks)
    for (const a of b) {
      const k = kindOfArray(a);
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at[k]);
      at[k] += a.byteLength;
    }
  return out;
}

/** WindowStats from stored bytes (histograms stay sparse views into a private copy). */
export function deserializeStats(data: Uint8Array, ctx: StatsContext): WindowStats {
  // a private, 8-aligned copy: SQLite's buffer may be reused and need not be aligned
  const buf = new Uint8Array(data.length);
  buf.set(data);
  const len = new DataView(buf.buffer).getUint32(0, true);
  const h = JSON.parse(Buffer.from(buf.buffer, 4, len).toString('utf8'));
  if (h.v !== VERSION) throw new Error(`unknown statistics version ${h.v}`);
  const start = (4 + len + 7) & ~7;
  const layout = h.b as Array<[number, string]>;
  const bytes = { d: 0, u: 0, s: 0 };
  for (const [nnz, kinds] of layout) for (const k of kinds as Iterable<Kind>) bytes[k] += nnz * BYTES[k];
  const at = { d: start, u: start + bytes.d, s: start + bytes.d + bytes.u };
  const blocks: Block[] = layout.map(([nnz, kinds]) =>
    Array.from(kinds as Iterable<Kind>, (k) => {
      const a = k === 'd' ? new Float64Array(buf.buffer, at.d, nnz) : k === 'u' ? new Uint32Array(buf.buffer, at.u, nnz) : new Uint16Array(buf.buffer, at.s, nnz);
      at[k] += nnz * BYTES[k];
      return a;
    }),
  );
  const col = (c: any, numeric: boolean): ColumnStats => {
    if (c.k === 'c' || !numeric) return { kind: 'categorical', missing: c.m, mismatch: c.x, counts: new Map(c.c ?? []) };
    const values: SortedValues | null = c.v >= 0 ? { form: 'sorted', v: blocks[c.v]![0]!, c: blocks[c.v]![1]! } : null;
    const hb = c.h >= 0 ? blocks[c.h]! : null;
    return {
      kind: 'numeric',
      missing: c.m,
      mismatch: c.x,
      usable: c.u,
      belowMin: c.lo,
      aboveMax: c.hi,
      hist: hb ? { form: 'sparse', idx: hb[0]!, counts: hb[1]!, sums: hb[2]! } : null,
      values,
    };
  };
  let perf: PerfStats;
  const p = h.p;
  if (p.k === 'b') {
    const [keys, pos, neg] = blocks[p.s]!;
    const scores: ScoreHist = p.bin
      ? { pos: null, neg: null, binPos: new Float64Array(SCORE_BINS + 1), binNeg: new Float64Array(SCORE_BINS + 1) }
      : { pos: new Map(), neg: new Map(), binPos: null, binNeg: null };
    for (let i = 0; i < keys!.length; i++) {
      if (scores.binPos) {
        scores.binPos[keys![i]!] = pos![i]!;
        scores.binNeg![keys![i]!] = neg![i]!;
      } else {
        if (pos![i] !== 0) scores.pos!.set(keys![i]!, pos![i]!);
        if (neg![i] !== 0) scores.neg!.set(keys![i]!, neg![i]!);
      }
    }
    if (scores.pos && scores.pos.size + scores.neg!.size > EXACT_LIMIT) throw new Error('exact score histogram over its limit');
    perf = { kind: 'binary', tp: p.tp, fp: p.fp, tn: p.tn, fn: p.fn, unscored: p.un, logLossSum: p.ll, brierSum: p.br, scores };
  } else if (p.k === 'm') perf = { kind: 'multiclass', confusion: new Map(p.c) };
  else perf = { kind: 'regression', n: p.n, absSum: p.a, sqSum: p.s, apeSum: p.p, apeCount: p.pc, yMean: p.ym, yM2: p.y2 };
  return {
    key: h.k,
    count: h.n,
    labeled: h.l,
    scoreSum: h.ss,
    scoreCount: h.sc,
    valueSum: h.vs,
    valueCount: h.vc,
    features: (h.f as unknown[]).map((c, i) => col(c, ctx.features[i]?.numeric ?? true)),
    output: col(h.o, ctx.output.numeric),
    perf,
    fairness: (h.g as Array<Array<[string, number[]]>>).map((m) => new Map(m)),
  };
}
