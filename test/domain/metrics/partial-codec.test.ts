// A partial row leaves out the fine histogram of each column whose exact values it keeps
// (stats-codec.ts, version 5); its reader rebuilds it from the values (sparseFromSorted).
// The rebuilt histogram has the slots and counts accumulation gives, and sums equal up to
// the order of addition (value order instead of arrival order); a settled log that never
// built one gets the same when its values are dropped (dropExactValues).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeStatsContext, type StatsContext } from '../../../src/domain/metrics/context.js';
import { sparseHist, type FineHist } from '../../../src/domain/metrics/fine-hist.js';
import { buildBaselineProfile } from '../../../src/domain/metrics/profile.js';
import { deserializeStats, serializeStats } from '../../../src/domain/metrics/stats-codec.js';
import { RowLog } from '../../../src/domain/metrics/value-log.js';
import {
  accumulate,
  accumulateRow,
  dropExactValues,
  emptyStats,
  readRow,
  settleLog,
  valueRowsFor,
  type NumericColumnStats,
  type StatsEvent,
  type WindowStats,
} from '../../../src/domain/metrics/window-stats.js';
import { modelRecord, XYG_FEATURES, xygEvent } from '../../helpers/model-record.js';

const model = modelRecord(XYG_FEATURES, { name: 'partial' });

const event = xygEvent;

function plain(events: StatsEvent[], ctx: StatsContext): WindowStats {
  const s = emptyStats(ctx);
  for (const e of events) accumulate(s, e, ctx);
  return s;
}

function settled(events: StatsEvent[], ctx: StatsContext): WindowStats {
  const s = emptyStats(ctx);
  const rows = valueRowsFor(ctx);
  const log = new RowLog();
  for (const e of events) accumulateRow(s, e, ctx, log, readRow(rows, e, ctx));
  settleLog(s, ctx, rows, log);
  return s;
}

const numeric = (s: WindowStats) => s.features.filter((c): c is NumericColumnStats => c.kind === 'numeric');

/** The histogram's slots and counts exactly, its sums to a relative 1e-12. */
function expectSameHist(got: FineHist | null, want: FineHist | null): void {
  expect(got === null).toBe(want === null);
  if (!got || !want) return;
  const a = sparseHist(got);
  const b = sparseHist(want);
  expect(Array.from(a.idx)).toEqual(Array.from(b.idx));
  expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
  a.sums.forEach((x, j) => expect(Math.abs(x - b.sums[j]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b.sums[j]!))));
}

describe('partials without the histograms their exact values rebuild', () => {
  it('read back with the histogram accumulation builds, and store fewer bytes', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), fc.array(event, { maxLength: 200 }), (base, events) => {
        const ctx = makeStatsContext(model, buildBaselineProfile(model, base));
        const s = plain(events, ctx);
        const full = serializeStats(s);
        const part = serializeStats(s, true);
        const back = deserializeStats(part.core, part.hists, ctx);
        numeric(back).forEach((c, i) => {
          const want = numeric(s)[i]!;
          expect(c.outOfRange).toBe(want.outOfRange);
          expectSameHist(c.hist, want.hist);
        });
        expect(part.hists?.length ?? 0).toBeLessThanOrEqual(full.hists?.length ?? 0);
        // without its histograms the row reads as before
        const light = deserializeStats(part.core, null, ctx, false);
        expect(light.histograms).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('a settled log builds no histogram for kept values, and dropping them builds the same one', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), fc.array(event, { maxLength: 200 }), (base, events) => {
        const ctx = makeStatsContext(model, buildBaselineProfile(model, base));
        const want = plain(events, ctx);
        const got = settled(events, ctx);
        numeric(got).forEach((c, i) => {
          const w = numeric(want)[i]!;
          if (c.values !== null && c.usable > 0 && ctx.features[i]!.index !== null) expect(c.hist).toBeNull();
          dropExactValues(c, ctx.features[i]!);
          expect(c.values).toBeNull();
          expectSameHist(c.hist, w.hist);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('a stale partial (built against other bins) reads without a rebuilt histogram it cannot have', () => {
    const base = Array.from({ length: 50 }, (_, i) => ({ features: { x: i, y: i / 10, g: 'a' }, score: 0.5, predictedLabel: null, value: null, actualLabel: 'yes', actualValue: null }));
    const ctx = makeStatsContext(model, buildBaselineProfile(model, base));
    const none = makeStatsContext(model, null);
    const s = plain(base.slice(0, 10), ctx);
    const part = serializeStats(s, true);
    const back = deserializeStats(part.core, part.hists, none);
    expect(back.key).not.toBe(none.statsKey);
    for (const c of numeric(back)) expect(c.hist).toBeNull();
  });
});
