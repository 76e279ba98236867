// The pure builders of `/glassbox compare` and `/glassbox why`.
import { describe, expect, it } from 'vitest';
import { compareMessage, type VersionColumn } from '../../src/slack/blocks/compare.js';
import { rankWhy, whyMessage, type WhyRow } from '../../src/slack/blocks/why.js';

const text = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

function column(version: string, accuracy: number | null, count: number, psi: Record<string, number | null>): VersionColumn {
  return {
    version,
    perf: { count, labeledCount: accuracy === null ? 0 : count, labelCoverage: accuracy === null ? 0 : 1, accuracy, auc: null },
    drift: Object.entries(psi).map(([feature, p]) => ({ feature, type: 'NUMERIC', sampleSize: count, baselineSize: 100, psi: p, jsDistance: null })),
    hasBaseline: true,
  };
}

describe('compareMessage', () => {
  it('puts both versions side by side with the difference, and the features drifting in either', () => {
    const m = compareMessage({
      model: 'credit-risk',
      task: 'BINARY_CLASSIFICATION',
      window: '7d',
      columns: [column('v1', 0.71, 500, { income: 0.42, age: 0.01 }), column('v2', 0.83, 420, { income: 0.03, age: 0.3 })],
    });
    const t = text(m);
    expect(m.text).toContain('credit-risk: v1 vs v2, last 7d');
    expect(t).toContain('*accuracy* v1 71.0% · v2 83.0% (+12.0%)');
    expect(t).toContain('Events: v1 500 (500 labelled) · v2 420 (420 labelled)');
    // income (0.42 in v1) before age (0.3 in v2)
    expect(t.indexOf('*income* PSI v1 0.42')).toBeGreaterThan(-1);
    expect(t.indexOf('*income*')).toBeLessThan(t.indexOf('*age*'));
  });

  it('says when a version has no traffic or no labels', () => {
    const m = compareMessage({ model: 'm', task: 'BINARY_CLASSIFICATION', window: '24h', columns: [column('v1', null, 0, {}), column('v2', null, 10, {})] });
    const t = text(m);
    expect(t).toContain('No labelled events in the window for either version');
    expect(t).toContain('No events for v1 in the last 24h');
  });
});

describe('whyMessage', () => {
  const rows: WhyRow[] = [
    { feature: 'zip', psi: 0.9, baselineShare: 0.01, impact: 0.009 },
    { feature: 'income', psi: 0.37, baselineShare: 0.41, impact: 0.1517 },
    { feature: 'age', psi: 0.05, baselineShare: 0.5, impact: 0.025 },
    { feature: 'empty', psi: null, baselineShare: 0.08, impact: null },
  ];

  it('ranks by impact when the baseline has attributions: a big PSI on an ignored feature is not first', () => {
    expect(rankWhy(rows, true).map((r) => r.feature)).toEqual(['income', 'age', 'zip', 'empty']);
    const m = whyMessage({ model: 'credit-risk', window: '24h', rows, hasBaseline: true, hasAttributions: true, events: 100 });
    expect(m.text).toContain("income drifts, PSI 0.37, 41% of the model's attribution");
    expect(text(m)).not.toContain('*empty*');
  });

  it('falls back to PSI alone, and says so, without attributions', () => {
    expect(rankWhy(rows, false).map((r) => r.feature)).toEqual(['zip', 'income', 'age', 'empty']);
    const m = whyMessage({ model: 'm', window: '24h', rows, hasBaseline: true, hasAttributions: false, events: 100 });
    expect(m.text).toContain('zip drifts, PSI 0.9');
    expect(text(m)).toContain('ranked by PSI alone');
  });

  it('says what is missing: no baseline, no traffic', () => {
    expect(whyMessage({ model: 'm', window: '24h', rows, hasBaseline: false, hasAttributions: false, events: 0 }).text).toContain('no baseline');
    expect(whyMessage({ model: 'm', window: '1h', rows: [], hasBaseline: true, hasAttributions: true, events: 0 }).text).toContain('No events for m in the last 1h');
  });
});
