// Roll-up spans nest (each inside one span of every level above) and tile windows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverWindow, spanEnd, spanStart, type Level } from '../../../src/domain/metrics/rollup-spans.js';
import { HOUR_MS } from '../../../src/domain/time.js';

const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) });

describe('roll-up spans', () => {
  it('hold their instant and nest in every level above', () => {
    fc.assert(
      fc.property(instant, (t) => {
        for (let l = 0; l <= 5; l++) {
          const s = spanStart(l as Level, t);
          expect(s <= t && t < spanEnd(l as Level, s)).toBe(true);
          if (l < 5) {
            const up = spanStart((l + 1) as Level, s);
            expect(up <= s && spanEnd(l as Level, s) <= spanEnd((l + 1) as Level, up)).toBe(true);
          }
        }
      }),
    );
  });

  it('a cover tiles the window exactly, largest spans first where they exist', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 3 * 366 * 24 }), fc.integer({ min: 0, max: 9 }), (t, hours, seed) => {
        const lo = spanStart(0, t);
        const hi = lo + hours * HOUR_MS;
        const has = (level: number, start: number) => (level * 31 + Math.floor(start / HOUR_MS) + seed) % 3 !== 0;
        let at = lo;
        for (const p of coverWindow(lo, hi, has)) {
          if (p.level === 0) {
            expect(p.lo).toBe(at);
            at = p.hi;
          } else {
            expect(p.start).toBe(at);
            expect(has(p.level, p.start)).toBe(true);
            at = spanEnd(p.level, p.start);
          }
        }
        expect(at).toBe(hi);
      }),
    );
  });
});
