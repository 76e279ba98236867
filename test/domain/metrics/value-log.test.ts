// The ingest head's value rows and logs (value-log.ts): statistics accumulated through a log and
// settled, at once or by replay, are stored as partials bit for bit as plain accumulation
// stores them (exact values, fine histograms and their arrival-order sums where no exact
// values are kept, out-of-range counts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeStatsContext, type StatsContext } from '../../../src/domain/metrics/context.js';
import { buildBaselineProfile } from '../../../src/domain/metrics/profile.js';
import { serializeStats } from '../../../src/domain/metrics/stats-codec.js';
import { LOG_MAX_EVENTS, RowLog, sortedOf, sortNumbers } from '../../../src/domain/metrics/value-log.js';
import { EXACT_VALUES_ACCUMULATED } from '../../../src/domain/metrics/exact-values.js';
import { accumulate, accumulateRow, emptyStats, readRow, settleLog, valueRowsFor, type StatsEvent, type WindowStats } from '../../../src/domain/metrics/window-stats.js';
import { modelRecord, XYG_FEATURES, xygEvent } from '../../helpers/model-record.js';

const model = modelRecord(XYG_FEATURES, { name: 'log' });

const event = xygEvent;

// as a partial stores them: a column keeping exact values leaves its histogram to them (stats-codec.ts)
const bytes = (s: WindowStats) => {
  const { core, hists } = serializeStats(s, true);
  return [Buffer.from(core).toString('hex'), hists ? Buffer.from(hists).toString('hex') : null];
};

function plain(events: StatsEvent[], ctx: StatsContext, noValues: boolean): WindowStats {
  const s = emptyStats(ctx);
  if (noValues) for (const c of s.features) if (c.kind === 'numeric') c.values = null;
  for (const e of events) accumulate(s, e, ctx);
  return s;
}

/** Through a log as the head uses it: replayed into the tables when full, settled at the end. */
function logged(events: StatsEvent[], ctx: StatsContext, noValues: boolean, replayAt: number): WindowStats {
  const s = emptyStats(ctx);
  if (noValues) for (const c of s.features) if (c.kind === 'numeric') c.values = null;
  const rows = valueRowsFor(ctx);
  // rows of other events in between, as a head's rows hold every slice's
  const row = (e: StatsEvent) => (readRow(rows, { ...e, features: { x: 1, y: 'z' } }, ctx), readRow(rows, e, ctx));
  let log: RowLog | null = new RowLog();
  events.forEach((e, i) => {
    if (log && (i === replayAt || log.full)) {
      settleLog(s, ctx, rows, log, true);
      log = null;
    }
    if (log) accumulateRow(s, e, ctx, log, row(e));
    else accumulate(s, e, ctx);
  });
  if (log) settleLog(s, ctx, rows, log);
  return s;
}

describe('value logs', () => {
  it('store bit for bit what accumulating stores, with or without a baseline, settled at once or replayed', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.array(event, { maxLength: 300 }), fc.boolean(), fc.nat({ max: 400 }), (base, events, noValues, replayAt) => {
        for (const profile of [null, base.length ? buildBaselineProfile(model, base) : null]) {
          const ctx = makeStatsContext(model, profile);
          expect(bytes(logged(events, ctx, noValues, replayAt))).toEqual(bytes(plain(events, ctx, noValues)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('past LOG_MAX_EVENTS events an hour goes on in its tables, the same again', () => {
    let seed = 5;
    const r = () => ((seed = (seed * 48271) % 2147483647), seed / 2147483647);
    const base = Array.from({ length: 500 }, () => ({ features: { x: r() * 10, y: r() * 10 - 5, g: 'a' }, score: r(), predictedLabel: null, value: null, actualLabel: 'yes', actualValue: null }));
    const ctx = makeStatsContext(model, buildBaselineProfile(model, base));
    const events = Array.from({ length: LOG_MAX_EVENTS + 300 }, (_, i) => ({ ...base[i % 500]!, features: { x: i % 7 === 0 ? Math.round(r() * 10) : r() * 12, y: r() * 12 - 6, g: 'b' } }));
    expect(bytes(logged(events, ctx, false, -1))).toEqual(bytes(plain(events, ctx, false)));
  });

  it('sortedOf gives the distinct values with their counts, or null past EXACT_VALUES_ACCUMULATED', () => {
    const value = fc.oneof(fc.integer({ min: -200, max: 200 }), fc.constantFrom(-0, 0), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 700 }), (xs) => {
        const vals = Float64Array.from(xs);
        const got = sortedOf(vals, vals.length, new Float64Array(vals.length));
        const counts = new Map<number, number>();
        for (const x of xs) counts.set(x === 0 ? 0 : x, (counts.get(x === 0 ? 0 : x) ?? 0) + 1);
        if (counts.size > EXACT_VALUES_ACCUMULATED) return expect(got).toBeNull();
        const keys = Float64Array.from(counts.keys()).sort();
        expect(Array.from(got!.v)).toEqual(Array.from(keys));
        expect(Array.from(got!.c)).toEqual(Array.from(keys, (k) => counts.get(k)));
      }),
      { numRuns: 300 },
    );
  });

  it('sortNumbers sorts like the built-in sort (-0 and 0 being equal, in either order)', () => {
    // the built-in sort puts -0 first; sortedOf counts -0 as 0, so their order does not matter
    const zero = (x: number) => (x === 0 ? 0 : x);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(-0), fc.double({ noNaN: true })), { maxLength: 200 }), (xs) => {
        const a = Float64Array.from(xs);
        sortNumbers(a);
        expect(Array.from(a, zero)).toEqual(Array.from(Float64Array.from(xs).sort(), zero));
      }),
    );
  });
});
