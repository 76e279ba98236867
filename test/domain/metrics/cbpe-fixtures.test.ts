// CBPE against the fixtures' next.json (`estimated`, per window and per segment; computed
// there with scikit-learn's IsotonicRegression), to METRICS.md's tolerances: 1e-9 relative
// for accuracy, precision, recall, f1; 0.001 absolute for auc (we hold the exact form to
// 1e-12 and the binned form to its proven 2^-13).
import { describe, expect, it } from 'vitest';
import { addCbpeEvent, emptyCbpeStats, estimatedPerformance, mergeCbpeInto, type CbpeStats } from '../../../src/domain/metrics/cbpe.js';
import { fitIsotonic, type IsotonicCalibration } from '../../../src/domain/metrics/isotonic.js';
import { toBinned } from '../../../src/domain/metrics/prob-hist.js';
import { inSegment, loadNext, NEXT_FIXTURES, type Estimated, type NextFixture, type NextWindow, type Row } from './load-next.js';

const RATES = ['accuracy', 'precision', 'recall', 'f1'] as const;

function calibrate(fx: NextFixture, baseline: Row[]): IsotonicCalibration | null {
  const rows = baseline.filter((r) => typeof r.score === 'number' && Number.isFinite(r.score) && r.actualLabel != null);
  return fitIsotonic(
    rows.map((r) => r.score as number),
    rows.map((r) => (r.actualLabel === fx.model.positiveClass ? 1 : 0)),
  );
}

/** The window's statistics kept per UTC hour and merged, as ingest and a query would. */
function windowStats(fx: NextFixture, cal: IsotonicCalibration, events: Row[], w: NextWindow): CbpeStats {
  const from = Date.parse(w.from);
  const to = Date.parse(w.to);
  const hours = new Map<number, CbpeStats>();
  for (const e of events) {
    const t = Date.parse(e.timestamp!);
    if (t < from || t >= to) continue;
    const h = Math.floor(t / 3_600_000);
    if (!hours.has(h)) hours.set(h, emptyCbpeStats());
    addCbpeEvent(hours.get(h)!, cal, fx.model.decisionThreshold ?? 0.5, e.score);
  }
  const out = emptyCbpeStats();
  for (const h of hours.values()) mergeCbpeInto(out, h);
  return out;
}

interface Errors {
  rateAbs: number;
  rateRel: number;
  aucExact: number;
  aucBinned: number;
  compared: number;
}

function compare(where: string, exp: Estimated, got: Estimated, binnedAuc: number | null, err: Errors): string[] {
  const bad: string[] = [];
  if (got.sampleSize !== exp.sampleSize) bad.push(`${where}.sampleSize: ${exp.sampleSize} != ${got.sampleSize}`);
  for (const k of RATES) {
    const e = exp[k];
    const g = got[k];
    if (e === null || g === null) {
      if (e !== g) bad.push(`${where}.${k}: expected ${e}, got ${g}`);
      continue;
    }
    const abs = Math.abs(g - e);
    err.rateAbs = Math.max(err.rateAbs, abs);
    err.rateRel = Math.max(err.rateRel, abs / Math.abs(e));
    if (abs > Math.max(1e-12, 1e-9 * Math.abs(e))) bad.push(`${where}.${k}: expected ${e}, got ${g}`);
  }
  for (const [form, g, tol] of [['auc', got.auc, 1e-12], ['auc(binned)', binnedAuc, 2 ** -13]] as const) {
    if (exp.auc === null || g === null) {
      if (exp.auc !== g) bad.push(`${where}.${form}: expected ${exp.auc}, got ${g}`);
      continue;
    }
    const d = Math.abs(g - exp.auc);
    if (form === 'auc') err.aucExact = Math.max(err.aucExact, d);
    else err.aucBinned = Math.max(err.aucBinned, d);
    if (d > tol) bad.push(`${where}.${form}: expected ${exp.auc}, got ${g}`);
  }
  err.compared++;
  return bad;
}

function checkWindows(fx: NextFixture, label: string, baseline: Row[], events: Row[], windows: NextWindow[], err: Errors): string[] {
  const cal = calibrate(fx, baseline);
  const bad: string[] = [];
  for (const w of windows) {
    const where = `${label} ${w.from}..${w.to}`;
    if (cal === null) {
      if (w.estimated !== null) bad.push(`${where}: no calibration, expected ${JSON.stringify(w.estimated)}`);
      continue;
    }
    const s = windowStats(fx, cal, events, w);
    const got = estimatedPerformance(s);
    toBinned(s.probs);
    bad.push(...compare(where, w.estimated!, got, estimatedPerformance(s).auc, err));
  }
  return bad;
}

describe.each(NEXT_FIXTURES)('CBPE on %s', (name) => {
  const fx = loadNext(name);

  it('the calibration is sklearn X_thresholds_ / y_thresholds_ to the bit', () => {
    const cal = calibrate(fx, fx.baseline)!;
    expect(cal.x).toEqual(fx.next.calibration.thresholds);
    expect(cal.y).toEqual(fx.next.calibration.values);
  });

  it('matches next.json estimated in every window, exact and binned', () => {
    const err: Errors = { rateAbs: 0, rateRel: 0, aucExact: 0, aucBinned: 0, compared: 0 };
    expect(checkWindows(fx, name, fx.baseline, fx.events, fx.next.windows, err)).toEqual([]);
    expect(err.compared).toBe(fx.next.windows.length);
  });

  it.each(fx.next.segments.map((s) => [s.name, s] as const))('matches next.json estimated in segment %s', (_, seg) => {
    const baseline = inSegment(fx.baseline, seg.conditions);
    const events = inSegment(fx.events, seg.conditions);
    expect([baseline.length, events.length]).toEqual([seg.rows.baseline, seg.rows.events]);
    const err: Errors = { rateAbs: 0, rateRel: 0, aucExact: 0, aucBinned: 0, compared: 0 };
    expect(checkWindows(fx, `${name}/${seg.name}`, baseline, events, seg.windows, err)).toEqual([]);
    expect(err.compared).toBe(seg.windows.length);
  });
});
