// Backoff after failed deliveries, and the sentence an operator reads.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, retryDelay } from '../../../src/domain/alerts/retry.js';
import { alertMessage, attributionShareText, formatNumber, learnedPhraseOf } from '../../../src/domain/alerts/message.js';

describe('retryDelay', () => {
  const p = DEFAULT_RETRY;
  it.each([
    [1, 0, 5_000],
    [1, 0.999999, 10_000],
    [2, 0.5, 15_000],
    [3, 0, 20_000],
    [7, 1, 640_000],
  ])('after attempt %i with random %f waits %i ms', (attempt, random, ms) => {
    expect(retryDelay(p, attempt, random)).toBeCloseTo(ms, -1);
  });
  it('never exceeds the cap', () => {
    expect(retryDelay({ ...p, maxAttempts: 100 }, 40, 1)).toBe(p.capMs);
  });
  it('Retry-After wins over the backoff, floored at 1 s and capped', () => {
    expect(retryDelay(p, 1, 0.5, 30_000)).toBe(30_000);
    expect(retryDelay(p, 1, 0.5, 0)).toBe(1_000);
    expect(retryDelay(p, 1, 0.5, 10 * p.capMs)).toBe(p.capMs);
  });
  it('gives up at the last attempt, Retry-After or not', () => {
    expect(retryDelay(p, 8, 0.5)).toBeNull();
    expect(retryDelay(p, 8, 0.5, 1000)).toBeNull();
  });
});

describe('alertMessage', () => {
  const parts = { metric: 'PSI', feature: 'income', attribute: null, model: 'credit-risk', window: '24h' };
  it('says what, where, how bad, against what, over which window and how many', () => {
    expect(alertMessage({ ...parts, state: 'CRITICAL', value: 0.3123, threshold: 0.2, sampleSize: 12_408 })).toBe(
      'CRITICAL: PSI of income on credit-risk is 0.312 (threshold 0.2) over the last 24h (n=12,408)',
    );
  });
  it('names the output, the attribute or the model when there is no feature', () => {
    const m = (metric: string, attribute: string | null = null) =>
      alertMessage({ ...parts, feature: null, attribute, metric, state: 'WARNING', value: 0.7, threshold: 0.8, sampleSize: 10 });
    expect(m('JS_DISTANCE')).toMatch(/^WARNING: JS distance of the output of credit-risk is 0.7/);
    expect(m('DISPARATE_IMPACT_RATIO', 'gender')).toMatch(/^WARNING: disparate impact ratio by gender on credit-risk/);
    expect(m('AUC')).toMatch(/^WARNING: AUC on credit-risk is 0.7 \(threshold 0.8\)/);
  });
  it('a drifting feature says how much of the model\'s attribution it carries (its baseline share)', () => {
    expect(alertMessage({ ...parts, state: 'CRITICAL', value: 0.37, threshold: 0.2, sampleSize: 12_408, importance: 0.4149 })).toBe(
      "CRITICAL: PSI of income on credit-risk is 0.37 (threshold 0.2) over the last 24h (n=12,408); income carries 41% of the model's attribution",
    );
    const m = (over: object) => alertMessage({ ...parts, state: 'WARNING', value: 0.3, threshold: 0.2, sampleSize: 10, ...over });
    expect(m({ importance: 0.004 })).toMatch(/; income carries <1% of the model's attribution$/);
    expect(m({ importance: 0 })).toMatch(/; income carries 0% of the model's attribution$/);
    // unknown share, a metric that is not drift, or the output: no clause
    expect(m({ importance: null })).toMatch(/\(n=10\)$/);
    expect(m({})).toMatch(/\(n=10\)$/);
    expect(m({ importance: 0.5, metric: 'MISSING_RATE' })).toMatch(/\(n=10\)$/);
    expect(m({ importance: 0.5, feature: null })).toMatch(/\(n=10\)$/);
    expect(m({ importance: 0.5, state: 'RESOLVED' })).toMatch(/^RESOLVED: .*\(n=10\)$/);
  });
  it('a resolution says who resolved it', () => {
    expect(alertMessage({ ...parts, state: 'RESOLVED', value: 0.05, threshold: 0.1, sampleSize: 900, resolvedBy: 'slack:U123' })).toBe(
      'RESOLVED by slack:U123: PSI of income on credit-risk is 0.05 (threshold 0.1) over the last 24h (n=900)',
    );
  });
  it('a learned band reads back from the message it wrote, for every side and state; a fixed threshold has none', () => {
    const band = (side: 'above' | 'below') => ({ mean: 1234.5, sigmas: 3, side });
    const m = (over: object) => alertMessage({ ...parts, metric: 'PREDICTION_COUNT', feature: null, state: 'WARNING', value: 2000, threshold: 1900.25, sampleSize: 2000, ...over });
    expect(learnedPhraseOf(m({ band: band('above') }))).toBe('above its usual 1,235 ± 3σ band: 1,900');
    expect(learnedPhraseOf(m({ band: band('below'), value: -0.5, threshold: -0.25 }))).toBe('below its usual 1,235 ± 3σ band: -0.25');
    expect(learnedPhraseOf(m({ band: band('above'), state: 'RESOLVED', resolvedBy: 'alice' }))).toBe('within its usual 1,235 ± 3σ band: 1,900');
    expect(learnedPhraseOf(m({}))).toBeNull();
    expect(learnedPhraseOf(m({ value: null }))).toBeNull();
  });
  it.each([
    [12408, '12,408'],
    [0.31, '0.31'],
    [0.000123456, '0.000123'],
    [1e-9, '1e-9'],
    [-2.5, '-2.5'],
    [999.95, '1000'],
  ])('formatNumber(%f) = %s', (v, s) => expect(formatNumber(v)).toBe(s));
  it.each([
    [1, '100%'],
    [0.4149, '41%'],
    [0.995, '100%'],
    [0.01, '1%'],
    [0.0099, '<1%'],
    [0, '0%'],
  ])('attributionShareText(%f) says %s', (v, s) => expect(attributionShareText(v)).toBe(`${s} of the model's attribution`));
});
