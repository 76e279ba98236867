// PostgreSQL's ingest builds a batch's partials from value logs (batch-partials.ts: each
// event's numeric values read once, each hour's columns settled at once) instead of
// accumulating event by event: the INSERT it sends must be the same text, byte for byte,
// for any events, hours (a busy one past the log's size included) and slices.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeStatsContext } from '../../src/domain/metrics/context.js';
import { LOG_MAX_EVENTS } from '../../src/domain/metrics/value-log.js';
import { accumulate } from '../../src/domain/metrics/window-stats.js';
import { HOUR_MS } from '../../src/domain/time.js';
import { statsBySlice, type SliceSet } from '../../src/store/postgres/data/slice-set.js';
import { partialStatsBySlice } from '../../src/store/postgres/data/batch-partials.js';
import { partialsSql } from '../../src/store/postgres/data/stats-rows.js';
import { modelRecord, XYG_FEATURES, xygEvent } from '../helpers/model-record.js';

const T0 = Date.parse('2024-05-01T00:00:00Z');
const ctx = makeStatsContext(modelRecord(XYG_FEATURES), null);
// slice 5: version 1's events; slice 7: g = 'a' (a segment)
const set: SliceSet = {
  slices: [
    { id: 5, versionId: 1, segment: null, ctx, ready: true },
    { id: 7, versionId: null, segment: null, ctx, ready: true },
  ],
  byId: new Map(),
  route: (versionId, features) => [...(versionId === 1 ? [5] : []), ...(features.g === 'a' ? [7] : [])],
};

const accumulated = (events: Parameters<typeof partialStatsBySlice>[2]) => partialsSql(1, statsBySlice(ctx, set, events, (e) => e.ts, (s, e, c) => accumulate(s, e, c)));
const logged = (events: Parameters<typeof partialStatsBySlice>[2]) => partialsSql(1, partialStatsBySlice(ctx, set, events));

describe('partialStatsBySlice', () => {
  it('sends the same partials as accumulating event by event (property)', () => {
    const event = fc.record({ e: xygEvent, hour: fc.integer({ min: 0, max: 5 }), at: fc.integer({ min: 0, max: HOUR_MS - 1 }), version: fc.constantFrom(null, 1, 2) });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 300 }), (items) => {
        const events = items.map(({ e, hour, at, version }) => ({ ...e, ts: T0 + hour * HOUR_MS + at, versionId: version }));
        expect(logged(events)).toBe(accumulated(events));
      }),
      { numRuns: 150 },
    );
  });

  it('does so for an hour busier than a log holds', () => {
    const events = fc.sample(xygEvent, { numRuns: LOG_MAX_EVENTS + 300, seed: 7 }).map((e, i) => ({ ...e, ts: T0 + (i % 997), versionId: i % 2 === 0 ? 1 : null }));
    expect(logged(events)).toBe(accumulated(events));
  });
});
