// Binary form of WindowStats, as stored per (model, hour), in two parts: `core` (every
// counter, performance and fairness: small) and `hists` (the fine histograms and exact
// values of numeric columns: what drift alone reads, and most of the bytes). Each holds
// numeric arrays in the narrowest of float64 / uint32 / uint16 that keeps them exact,
// read back as views with no per-number parsing; core starts with a JSON header.
// Measured against JSON text in bench/metrics.ts. Version 4 added the attribution sums
// (header `a`); version 3 rows, written before events could carry attributions, read as
// having none, which they had. The CBPE sums (header `e`, JSON: doubles kept exactly) are
// optional: a row without them has no scored event under a calibration. Version 5 lets a
// partial leave out the fine histogram of a column whose exact values it keeps (`h` = -2):
// the reader rebuilds it from the values (sparseFromSorted), which is what ingest built.
// Those are most of a small partial's bytes, and most partials are small.
import { sparseFromSorted, sparseHist } from './fine-hist.js';
import { sortedValues, type SortedValues } from './exact-values.js';
import type { ColumnContext, StatsContext } from './context.js';
import { EXACT_LIMIT, SCORE_BINS, type ScoreHist } from './score-hist.js';
import type { ColumnStats, PerfStats, WindowStats } from './window-stats.js';
import type { AttributionStats } from './attributions.js';
import { cbpeStatsFromJson, cbpeStatsToJson, type CbpeStatsJson } from './cbpe.js';

const VERSION = 5;
const READABLE = new Set([3, 4, VERSION]);
/** `h` of a column whose histogram is rebuilt from its exact values */
const FROM_VALUES = -2;
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('stats codec assumes a little-endian host');

export type NumArray = Float64Array | Uint32Array | Uint16Array;
type Block = NumArray[];
type Layout = Array<[number, string]>;

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
  if (a instanceof Uint16Array) return a;
  const k = kindOf(a);
  return k === 's' ? Uint16Array.from(a) : k === 'u' ? Uint32Array.from(a) : a instanceof Float64Array ? a : Float64Array.from(a);
}

const kindOfArray = (a: NumArray): Kind => (a instanceof Uint16Array ? 's' : a instanceof Uint32Array ? 'u' : 'd');

function addBlock(blocks: Block[], arrays: Array<ArrayLike<number>>): number {
  blocks.push(arrays.map(narrow));
  return blocks.length - 1;
}

function layoutOf(blocks: Block[]): Layout {
  return blocks.map((b) => [b[0]!.length, b.map(kindOfArray).join('')]);
}

function sizes(layout: Layout): Record<Kind, number> {
  const bytes = { d: 0, u: 0, s: 0 };
  for (const [nnz, kinds] of layout) for (const k of kinds as Iterable<Kind>) bytes[k] += nnz * BYTES[k];
  return bytes;
}

/** Writes the arrays at `start` (8-aligned): float64 first, then uint32, then uint16, so each stays aligned. */
function writeArrays(out: Uint8Array, start: number, blocks: Block[], bytes: Record<Kind, number>): void {
  const at = { d: start, u: start + bytes.d, s: start + bytes.d + bytes.u };
  for (const b of blocks)
    for (const a of b) {
      const k = kindOfArray(a);
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at[k]);
      at[k] += a.byteLength;
    }
}

function readArrays(buf: Uint8Array, start: number, layout: Layout): Block[] {
  const bytes = sizes(layout);
  const o = buf.byteOffset + start;
  const at = { d: o, u: o + bytes.d, s: o + bytes.d + bytes.u };
  return layout.map(([nnz, kinds]) =>
    Array.from(kinds as Iterable<Kind>, (k) => {
      const a = k === 'd' ? new Float64Array(buf.buffer, at.d, nnz) : k === 'u' ? new Uint32Array(buf.buffer, at.u, nnz) : new Uint16Array(buf.buffer, at.s, nnz);
      at[k] += nnz * BYTES[k];
      return a;
    }),
  );
}

/**
 * The bytes at an 8-aligned offset: `data` itself when it is (better-sqlite3 hands each
 * blob over in a Buffer of its own, so views into it stay valid; a year row's histograms
 * are megabytes, not worth copying), else an aligned copy.
 */
function aligned(data: Uint8Array): Uint8Array {
  if (data.byteOffset % 8 === 0) return data;
  const buf = new Uint8Array(data.length);
  buf.set(data);
  return buf;
}

function encodeColumn(core: Block[], hists: Block[], c: ColumnStats, partial: boolean): unknown {
  if (c.kind === 'categorical') return { k: 'c', m: c.missing, x: c.mismatch, c: Array.from(c.counts) };
  let h = -1;
  // a partial's exact values rebuild its histogram (none is built for them at settle: window-stats.ts)
  if (partial && c.values) h = FROM_VALUES;
  else if (c.hist) {
    const s = sparseHist(c.hist);
    h = addBlock(hists, [s.idx, s.counts, s.sums]);
  }
  let v = -1;
  if (c.values) {
    const sv = sortedValues(c.values);
    v = addBlock(hists, [sv.v, sv.c]);
  }
  // an array, not an object: a partial row of a few events is mostly this header
  return [c.missing, c.mismatch, c.usable, c.belowMin, c.aboveMax, c.outOfRange, h, v];
}

function encodeScores(blocks: Block[], s: ScoreHist): number {
  if (s.binPos) {
    const idx: number[] = [];
    for (let i = 0; i <= SCORE_BINS; i++) if (s.binPos[i] !== 0 || s.binNeg![i] !== 0) idx.push(i);
    return addBlock(blocks, [idx, idx.map((i) => s.binPos![i]!), idx.map((i) => s.binNeg![i]!)]);
  }
  const keys = Float64Array.from(new Set([...s.pos!.keys(), ...s.neg!.keys()]));
  return addBlock(blocks, [keys, Array.from(keys, (k) => s.pos!.get(k) ?? 0), Array.from(keys, (k) => s.neg!.get(k) ?? 0)]);
}

function encodePerf(blocks: Block[], p: PerfStats): unknown {
  if (p.kind === 'binary')
    return { k: 'b', tp: p.tp, fp: p.fp, tn: p.tn, fn: p.fn, un: p.unscored, ll: p.logLossSum, br: p.brierSum, s: encodeScores(blocks, p.scores), bin: p.scores.binPos !== null };
  if (p.kind === 'multiclass') return { k: 'm', c: Array.from(p.confusion) };
  return { k: 'r', n: p.n, a: p.absSum, s: p.sqSum, p: p.apeSum, pc: p.apeCount, ym: p.yMean, y2: p.yM2, ...(p.rmN > 0 ? { rn: p.rmN, rm: p.rmMean, r2: p.rmM2 } : {}) };
}

// per feature [n, lo partials] or [n, lo, hi] (exact-sum.ts); JSON keeps every double exactly
type StoredAttribution = [number, number[]] | [number, number[], number[]];

function encodeAttributions(a: AttributionStats): StoredAttribution[] {
  return a.features.map((f) => (f.sum.hi.length ? [f.n, f.sum.lo, f.sum.hi] : [f.n, f.sum.lo]));
}

function decodeAttributions(a: StoredAttribution[] | undefined): AttributionStats | null {
  return a ? { features: a.map(([n, lo, hi]) => ({ n, sum: { lo, hi: hi ?? [] } })) } : null;
}

export interface StoredStats {
  core: Uint8Array;
  /** null when no numeric column has a histogram or exact values */
  hists: Uint8Array | null;
}

/**
 * The stored parts of a full WindowStats. A `partial` (a row merged later, never read
 * on its own for long) leaves out the histograms its exact values rebuild: cheaper to
 * write, paid by whoever merges it (compaction, or a read before it).
 */
export function serializeStats(s: WindowStats, partial = false): StoredStats {
  if (!s.histograms) throw new Error('cannot store statistics read without their histograms');
  const core: Block[] = [];
  const hists: Block[] = [];
  const header = {
    v: VERSION,
    k: s.key,
    n: s.count,
    l: s.labeled,
    ss: s.scoreSum,
    sc: s.scoreCount,
    vs: s.valueSum,
    vc: s.valueCount,
    f: s.features.map((c) => encodeColumn(core, hists, c, partial)),
    o: encodeColumn(core, hists, s.output, partial),
    p: encodePerf(core, s.perf),
    g: s.fairness.map((m) => Array.from(m)),
    ...(s.attributions ? { a: encodeAttributions(s.attributions) } : {}),
    ...(s.cbpe ? { e: cbpeStatsToJson(s.cbpe) } : {}),
    b: [] as Layout,
    hb: layoutOf(hists),
  };
  header.b = layoutOf(core);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = (4 + json.length + 7) & ~7;
  const cb = sizes(header.b);
  const out = new Uint8Array(start + cb.d + cb.u + cb.s);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  writeArrays(out, start, core, cb);
  let hout: Uint8Array | null = null;
  if (hists.length) {
    const hb = sizes(header.hb);
    hout = new Uint8Array(hb.d + hb.u + hb.s);
    writeArrays(hout, 0, hists, hb);
  }
  return { core: out, hists: hout };
}

/**
 * WindowStats from its stored parts (histograms stay sparse views into a private copy).
 * Without `hists` the result has no histograms (`histograms: false`): enough for
 * everything but drift.
 */
export function deserializeStats(coreData: Uint8Array, histData: Uint8Array | null, ctx: StatsContext, withHists = true): WindowStats {
  const buf = aligned(coreData);
  const len = new DataView(buf.buffer, buf.byteOffset).getUint32(0, true);
  const h = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 4, len).toString('utf8'));
  if (!READABLE.has(h.v)) throw new Error(`unknown statistics version ${h.v}`);
  const blocks = readArrays(buf, (4 + len + 7) & ~7, h.b);
  const hblocks = withHists && histData ? readArrays(aligned(histData), 0, h.hb) : null;
  const col = (c: any, cc: ColumnContext | undefined): ColumnStats => {
    if (Array.isArray(c)) c = { m: c[0], x: c[1], u: c[2], lo: c[3], hi: c[4], r: c[5], h: c[6], v: c[7] };
    if (c.k === 'c' || !(cc?.numeric ?? true)) return { kind: 'categorical', missing: c.m, mismatch: c.x, counts: new Map(c.c ?? []) };
    const values: SortedValues | null = hblocks && c.v >= 0 ? { form: 'sorted', v: hblocks[c.v]![0]!, c: hblocks[c.v]![1]! } : null;
    const hb = hblocks && c.h >= 0 ? hblocks[c.h]! : null;
    // rebuilt against the reader's bins: a row built against other bins has another key and is stale to every reader
    const rebuilt = c.h === FROM_VALUES && values && values.v.length > 0 && cc?.index ? sparseFromSorted(values.v, values.c, cc.index, cc.nslots) : null;
    return {
      kind: 'numeric',
      missing: c.m,
      mismatch: c.x,
      usable: c.u,
      belowMin: c.lo,
      aboveMax: c.hi,
      outOfRange: c.r,
      hist: hb ? { form: 'sparse', idx: hb[0]!, counts: hb[1]!, sums: hb[2]! } : rebuilt,
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
  else perf = { kind: 'regression', n: p.n, absSum: p.a, sqSum: p.s, apeSum: p.p, apeCount: p.pc, yMean: p.ym, yM2: p.y2, rmN: p.rn ?? 0, rmMean: p.rm ?? 0, rmM2: p.r2 ?? 0 };
  return {
    key: h.k,
    histograms: withHists,
    count: h.n,
    labeled: h.l,
    scoreSum: h.ss,
    scoreCount: h.sc,
    valueSum: h.vs,
    valueCount: h.vc,
    features: (h.f as unknown[]).map((c, i) => col(c, ctx.features[i])),
    output: col(h.o, ctx.output),
    perf,
    fairness: (h.g as Array<Array<[string, number[]]>>).map((m) => new Map(m)),
    attributions: decodeAttributions(h.a),
    cbpe: h.e ? cbpeStatsFromJson(h.e as CbpeStatsJson) : null,
  };
}
