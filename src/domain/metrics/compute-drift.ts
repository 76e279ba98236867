// Drift of one column of a window against the baseline (METRICS.md "Drift"), from the
// window's statistics and the baseline profile. PSI/JS/chi-square are exact; KS is exact
// when the fine edges are the baseline's distinct values (else within 1/FINE_EDGES);
// Wasserstein is exact except inside an interval where F_w - F_b changes sign (docs/metrics.md).
import { chi2Contingency, jsDistance, psi } from './binned-drift.js';
import type { ColumnContext } from './context.js';
import { denseView } from './fine-hist.js';
import { sortedValues, type SortedValues } from './exact-values.js';
import { ksTwoSamplePValue } from './kolmogorov.js';
import type { ColumnStats } from './window-stats.js';

export interface DriftResult {
  feature: string;
  type: 'NUMERIC' | 'CATEGORICAL';
  sampleSize: number;
  baselineSize: number;
  psi: number | null;
  jsDistance: number | null;
  ksStatistic: number | null;
  ksPValue: number | null;
  wasserstein: number | null;
  chi2Statistic: number | null;
  chi2PValue: number | null;
  /** psi x the feature's baseline attribution share (METRICS.md "Explanations"); null for the output */
  impact: number | null;
}

function emptyDrift(c: ColumnContext, sampleSize: number, baselineSize: number): DriftResult {
  return {
    feature: c.name,
    type: c.numeric ? 'NUMERIC' : 'CATEGORICAL',
    sampleSize,
    baselineSize,
    psi: null,
    jsDistance: null,
    ksStatistic: null,
    ksPValue: null,
    wasserstein: null,
    chi2Statistic: null,
    chi2PValue: null,
    impact: null,
  };
}

function numericDrift(col: ColumnStats & { kind: 'numeric' }, c: ColumnContext): DriftResult {
  const p = c.profile?.kind === 'numeric' ? c.profile : null;
  const nw = col.usable;
  const out = emptyDrift(c, nw, p?.n ?? 0);
  if (!p || nw === 0 || p.n === 0 || !c.edges || !col.hist) return out;
  const nb = p.n;
  const h = denseView(col.hist, c.nslots);
  const wc = h.counts;
  const bc = p.counts;
  const bs = p.openSums;
  const e = c.edges;
  const slotBin = c.slotBin!;

  const nbins = p.deciles.length + 1;
  const wBins = new Float64Array(nbins);
  const bBins = new Float64Array(nbins);
  for (let s = 0; s < c.nslots; s++) {
    wBins[slotBin[s]!]! += wc[s]!;
    bBins[slotBin[s]!]! += bc[s]!;
  }
  out.psi = psi(wBins, bBins);
  out.jsDistance = jsDistance(wBins, bBins);

  const [d, w] = col.values && p.exact ? exactKsW(sortedValues(col.values), nw, e, bc, nb) : fineKsW(h.counts, h.sums, nw, e, bc, bs, nb);
  out.ksStatistic = d;
  out.ksPValue = ksTwoSamplePValue(d, nw, nb);
  out.wasserstein = p.std === 0 ? null : w / p.std;
  return out;
}

function categoricalDrift(col: ColumnStats & { kind: 'categorical' }, c: ColumnContext): DriftResult {
  const p = c.profile?.kind === 'categorical' ? c.profile : null;
  const bm = c.baseCounts;
  let nw = 0;
  for (const v of col.counts.values()) nw += v;
  const out = emptyDrift(c, nw, p?.n ?? 0);
  if (!p || !bm || nw === 0 || p.n === 0) return out;
  const cats = Array.from(new Set([...bm.keys(), ...col.counts.keys()])).sort();
  const win = cats.map((k) => col.counts.get(k) ?? 0);
  const base = cats.map((k) => bm.get(k) ?? 0);
  out.psi = psi(win, base);
  out.jsDistance = jsDistance(win, base);
  const chi = chi2Contingency(base, win);
  out.chi2Statistic = chi?.statistic ?? null;
  out.chi2PValue = chi?.pValue ?? null;
  return out;
}

/** Drift of one column; every metric null (sampleSize 0) when the window has no usable value. */
export function columnDrift(col: ColumnStats, c: ColumnContext): DriftResult {
  return col.kind === 'numeric' ? numericDrift(col, c) : categoricalDrift(col, c);
}

/**
 * KS statistic and Wasserstein-1 from the window's fine histogram: F_w and F_b are known
 * exactly at every edge and its left limit; ∫(F_w - F_b) over an open interval follows
 * from the counts and sums inside it, and equals ∫|F_w - F_b| unless the sign changes there.
 */
function fineKsW(wc: Float64Array, ws: Float64Array, nw: number, e: Float64Array, bc: readonly number[], bs: readonly number[], nb: number): [number, number] {
  const K = e.length;
  let cw = 0;
  let cb = 0;
  let d = 0;
  let w = 0;
  for (let i = 0; i <= K; i++) {
    const kw = wc[2 * i]!;
    const kb = bc[2 * i]!;
    const sw = kw === 0 ? 0 : ws[2 * i]!;
    const sb = kb === 0 ? 0 : bs[i]!;
    const left = Math.abs(cw / nw - cb / nb);
    if (left > d) d = left;
    // ∫ (F_w - F_b) over the open interval, from the counts and sums inside it
    let integral: number;
    if (i === 0) integral = (kw * e[0]! - sw) / nw - (kb * e[0]! - sb) / nb;
    else if (i === K) integral = (sb - kb * e[K - 1]!) / nb - (sw - kw * e[K - 1]!) / nw;
    else {
      const len = e[i]! - e[i - 1]!;
      integral = (cw * len + kw * e[i]! - sw) / nw - (cb * len + kb * e[i]! - sb) / nb;
    }
    w += Math.abs(integral);
    cw += kw;
    cb += kb;
    const right = Math.abs(cw / nw - cb / nb);
    if (right > d) d = right;
    if (i < K) {
      cw += wc[2 * i + 1]!;
      cb += bc[2 * i + 1]!;
      const at = Math.abs(cw / nw - cb / nb);
      if (at > d) d = at;
    }
  }
  return [d, w];
}

/**
 * KS statistic and Wasserstein-1 from the window's exact values and a baseline whose
 * distinct values are all edges: a merge walk over both step functions, as scipy does.
 */
function exactKsW(values: SortedValues, nw: number, e: Float64Array, bc: readonly number[], nb: number): [number, number] {
  const xs = values.v;
  let i = 0;
  let j = 0;
  let cw = 0;
  let cb = 0;
  let d = 0;
  let w = 0;
  let prev = NaN;
  let fdiff = 0;
  while (i < xs.length || j < e.length) {
    const x = j >= e.length || (i < xs.length && xs[i]! <= e[j]!) ? xs[i]! : e[j]!;
    if (prev === prev) w += fdiff * (x - prev);
    if (i < xs.length && xs[i] === x) cw += values.c[i++]!;
    if (j < e.length && e[j] === x) cb += bc[2 * j++ + 1]!;
    fdiff = Math.abs(cw / nw - cb / nb);
    if (fdiff > d) d = fdiff;
    prev = x;
  }
  return [d, w];
}
