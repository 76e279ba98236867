// The pure retention rules: where a run cuts, which window is read over purged time.
import { describe, expect, it } from 'vitest';
import { alignToKept, effectiveRetentionDays, retentionCut } from '../../src/domain/retention.js';

const t = (s: string) => Date.parse(s);

describe('retentionCut', () => {
  it('falls on the UTC hour at or before now - days, and nowhere for 0 days', () => {
    expect(retentionCut(t('2024-05-10T12:34:56Z'), 2)).toBe(t('2024-05-08T12:00:00Z'));
    expect(retentionCut(t('2024-05-10T12:00:00Z'), 1)).toBe(t('2024-05-09T12:00:00Z'));
    expect(retentionCut(t('2024-05-10T12:00:00Z'), 0)).toBeNull();
  });

  it("takes the model's own setting over the default, 0 included", () => {
    expect(effectiveRetentionDays(null, 30)).toBe(30);
    expect(effectiveRetentionDays(0, 30)).toBe(0);
    expect(effectiveRetentionDays(7, 0)).toBe(7);
  });
});

describe('alignToKept', () => {
  const purged = t('2024-05-08T12:00:00Z');
  it('moves edges inside purged time out to the hour, and leaves kept time exact', () => {
    expect(alignToKept(t('2024-05-07T03:20:00Z'), t('2024-05-07T05:10:00Z'), purged)).toEqual({ from: t('2024-05-07T03:00:00Z'), to: t('2024-05-07T06:00:00Z') });
    expect(alignToKept(t('2024-05-07T03:20:00Z'), t('2024-05-09T05:10:00Z'), purged)).toEqual({ from: t('2024-05-07T03:00:00Z'), to: t('2024-05-09T05:10:00Z') });
    expect(alignToKept(t('2024-05-08T12:00:00.001Z'), t('2024-05-09T05:10:00Z'), purged)).toEqual({ from: t('2024-05-08T12:00:00.001Z'), to: t('2024-05-09T05:10:00Z') });
    expect(alignToKept(t('2024-05-08T11:20:00Z'), t('2024-05-08T11:40:00Z'), purged)).toEqual({ from: t('2024-05-08T11:00:00Z'), to: purged });
    expect(alignToKept(1, 2, null)).toEqual({ from: 1, to: 2 });
  });
});
