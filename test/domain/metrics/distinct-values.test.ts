// addDistinct (exact-values.ts): the in-place union the ingest hints keep per hour and
// column, against a Set, across any sequence of additions and limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDistinct, type DistinctValues } from '../../../src/domain/metrics/exact-values.js';

const ascendingDistinct = (xs: number[]) => Float64Array.from(new Set(xs.map((x) => (x === 0 ? 0 : x)))).sort();

describe('addDistinct', () => {
  it('keeps the ascending union, or refuses (unchanged) past the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ noNaN: true, noDefaultInfinity: true })), { maxLength: 30 }), { maxLength: 12 }), fc.integer({ min: 1, max: 80 }), (parts, limit) => {
        const seen: DistinctValues = { v: new Float64Array(0), n: 0 };
        let union = new Set<number>();
        for (const part of parts) {
          const mine = ascendingDistinct(part);
          const next = new Set([...union, ...mine]);
          const before = Array.from(seen.v.subarray(0, seen.n));
          const ok = addDistinct(seen, mine, limit);
          expect(ok).toBe(next.size <= limit);
          if (ok) union = next;
          else expect(Array.from(seen.v.subarray(0, seen.n))).toEqual(before);
          expect(Array.from(seen.v.subarray(0, seen.n))).toEqual(Array.from(ascendingDistinct([...union])));
          expect(seen.v.length).toBeLessThanOrEqual(Math.max(16, limit));
        }
      }),
      { numRuns: 500 },
    );
  });
});
