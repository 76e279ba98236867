// Pure builders: what people read in Slack, and the controls the alert message carries.
import { describe, expect, it } from 'vitest';
import { ACTION, alertMessage, alertText, alertThreadReply, type AlertView } from '../../src/slack/blocks/alert.js';
import { alertListMessage, sortAlertsWorstFirst, type AlertLine } from '../../src/slack/blocks/alert-list.js';
import { digestMessage } from '../../src/slack/blocks/digest.js';
import { driftMessage, psiVerdict } from '../../src/slack/blocks/drift.js';
import {
  formatCount,
  formatDuration,
  formatMetricValue,
  formatPercent,
  sparkline,
} from '../../src/slack/blocks/format.js';
import { parseDuration } from '../../src/domain/windows.js';
import { helpMessage, unknownModelMessage } from '../../src/slack/blocks/help.js';
import { modelsMessage } from '../../src/slack/blocks/models.js';
import { performanceMessage } from '../../src/slack/blocks/performance.js';
import { statusMessage } from '../../src/slack/blocks/status.js';
import { closestNames, editDistance } from '../../src/slack/closest-names.js';
import { parseCommand } from '../../src/slack/parse-command.js';

const T = Date.parse('2024-05-06T08:00:00Z');
const json = (x: unknown) => JSON.stringify(x);

const alert: AlertView = {
  id: '42',
  model: 'credit-risk',
  monitor: 'income-psi',
  metric: 'PSI',
  feature: 'income',
  severity: 'CRITICAL',
  status: 'FIRING',
  value: 0.3123,
  threshold: 0.25,
  message: 'CRITICAL: PSI of income on credit-risk is 0.312 (threshold 0.25) over the last 24h (n=12,408)',
  openedAt: T - 3_600_000,
  resolvedAt: null,
  acknowledgedBy: null,
  snoozedUntil: null,
};

function actionsOf(blocks: any[]): any[] {
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
}

describe('numbers for people', () => {
  it('formats counts, rates and scores', () => {
    expect(formatCount(12408)).toBe('12,408');
    expect(formatPercent(0.912)).toBe('91.2%');
    expect(formatPercent(0.0004)).toBe('0.04%');
    expect(formatMetricValue('PSI', 0.3123)).toBe('0.31');
    expect(formatMetricValue('ACCURACY', 0.912)).toBe('91.2%');
    expect(formatMetricValue('MISSING_RATE', 0.12)).toBe('12.0%');
    expect(formatMetricValue('PREDICTION_COUNT', 12408)).toBe('12,408');
    expect(formatMetricValue('CHI2_P_VALUE', 0.00001)).toBe('<0.001');
    expect(formatMetricValue('RMSE', 0.004567)).toBe('0.0046');
    expect(formatMetricValue('AUC', null)).toBe('n/a');
  });

  it('draws a sparkline from lowest to highest, gaps as spaces', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([1, null, 1])).toBe('▄ ▄');
    expect(sparkline([null, null])).toBe('');
    expect(sparkline([null, 0.5, null])).toBe('');
    expect(sparkline([])).toBe('');
  });

  it('reads and writes durations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('0h')).toBeNull();
    expect(parseDuration('soon')).toBeNull();
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(90_061_000)).toBe('1d 1h');
  });

  it('a Slack window is a monitor window: one duration grammar', () => {
    for (const w of ['30m', '24h', '7d', '2w', '24H', '0h', '024h', '1.5h', '-1h', '24', 'h', '1234567m', '1y']) {
      const accepted = parseCommand(`drift credit ${w}`).kind === 'drift';
      expect(accepted, w).toBe(parseDuration(w.toLowerCase()) !== null);
    }
  });
});

describe('closest names', () => {
  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests near names first and nothing far away', () => {
    const names = ['credit-risk', 'credit-limit', 'fraud', 'house-prices'];
    expect(closestNames('credit-rsik', names)[0]).toBe('credit-risk');
    expect(closestNames('credit', names)).toEqual(['credit-limit', 'credit-risk']);
    expect(closestNames('frud', names)).toEqual(['fraud']);
    expect(closestNames('weather', names)).toEqual([]);
  });
});

describe('parseCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['models', { kind: 'models' }],
    ['MODELS', { kind: 'models' }],
    ['status credit-risk', { kind: 'status', model: 'credit-risk' }],
    ['alerts', { kind: 'alerts' }],
    ['alerts credit-risk', { kind: 'alerts', model: 'credit-risk' }],
    ['drift credit-risk', { kind: 'drift', model: 'credit-risk', window: '24h', windowMs: 86_400_000 }],
    ['drift credit-risk 7d', { kind: 'drift', model: 'credit-risk', window: '7d', windowMs: 7 * 86_400_000 }],
    ['performance credit-risk', { kind: 'performance', model: 'credit-risk', window: '7d', windowMs: 7 * 86_400_000 }],
    ['performance credit-risk 24h', { kind: 'performance', model: 'credit-risk', window: '24h', windowMs: 86_400_000 }],
    ['how is credit-risk doing?', { kind: 'status', model: 'credit-risk' }],
    ["how's `credit-risk` doing", { kind: 'status', model: 'credit-risk' }],
    ['<@UBOT0001> status fraud', { kind: 'status', model: 'fraud' }],
    ['compare credit-risk v1 v2', { kind: 'compare', model: 'credit-risk', versions: ['v1', 'v2'], window: '7d', windowMs: 7 * 86_400_000 }],
    ['compare credit-risk v1 2026-11-30 24h', { kind: 'compare', model: 'credit-risk', versions: ['v1', '2026-11-30'], window: '24h', windowMs: 86_400_000 }],
    ['why credit-risk', { kind: 'why', model: 'credit-risk', window: '24h', windowMs: 86_400_000 }],
    ['why credit-risk 7d', { kind: 'why', model: 'credit-risk', window: '7d', windowMs: 7 * 86_400_000 }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('turns what it cannot read into help with a note', () => {
    expect(parseCommand('dance')).toMatchObject({ kind: 'help', note: expect.stringContaining('dance') });
    expect(parseCommand('status')).toMatchObject({ kind: 'help', note: expect.stringContaining('needs a model') });
    expect(parseCommand('drift credit-risk soon')).toMatchObject({ kind: 'help', note: expect.stringContaining('not a window') });
    expect(parseCommand('compare credit-risk v1')).toMatchObject({ kind: 'help', note: expect.stringContaining('two versions') });
    expect(parseCommand('compare credit-risk v1 v2 soon')).toMatchObject({ kind: 'help', note: expect.stringContaining('not a window') });
    expect(parseCommand('why')).toMatchObject({ kind: 'help', note: expect.stringContaining('needs a model') });
  });
});

describe('alert message', () => {
  it('names severity, monitor, model, metric, value and threshold in its text', () => {
    const t = alertText(alert);
    for (const part of ['CRITICAL', 'income-psi', 'credit-risk', 'PSI', 'income', '0.31', '0.25']) expect(t).toContain(part);
  });

  it('carries the three buttons with the alert id and a 1h/4h/24h snooze choice', () => {
    const els = actionsOf(alertMessage(alert).blocks);
    const byId = Object.fromEntries(els.map((e) => [e.action_id, e]));
    for (const id of [ACTION.acknowledge, ACTION.snooze, ACTION.resolve]) {
      expect(byId[id]).toMatchObject({ type: 'button', value: '42' });
    }
    expect(byId[ACTION.snoozeFor].options.map((o: any) => o.value)).toEqual(['42:1h', '42:4h', '42:24h']);
    expect(new Set(els.map((e) => e.action_id)).size).toBe(els.length);
  });

  it('shows who acknowledged and drops that button; a resolved alert has no controls', () => {
    const acked = alertMessage({ ...alert, status: 'ACKNOWLEDGED', acknowledgedBy: 'slack:U0ALICE' });
    expect(json(acked.blocks)).toContain('<@U0ALICE>');
    expect(actionsOf(acked.blocks).map((e) => e.action_id)).not.toContain(ACTION.acknowledge);
    const resolved = alertMessage({ ...alert, status: 'RESOLVED', resolvedAt: T, lastActor: 'slack:U0BOB' });
    expect(actionsOf(resolved.blocks)).toEqual([]);
    expect(json(resolved.blocks)).toContain('Resolved');
    expect(json(resolved.blocks)).toContain('<@U0BOB>');
  });

  it('writes thread replies for escalation and resolution', () => {
    expect(json(alertThreadReply('escalated', alert).blocks)).toContain('Escalated to *CRITICAL*');
    const r = alertThreadReply('resolved', { ...alert, status: 'RESOLVED', resolvedAt: T, value: 0.05 });
    expect(json(r.blocks)).toContain('Resolved');
    expect(r.text).toContain('RESOLVED');
  });

  it('escapes user text for mrkdwn', () => {
    const m = alertMessage({ ...alert, message: 'a <b> & c' });
    expect(json(m.blocks)).toContain('a &lt;b&gt; &amp; c');
  });
});

describe('answers', () => {
  const line = (over: Partial<AlertLine>): AlertLine => ({
    id: '1',
    model: 'm',
    monitor: 'mon',
    metric: 'PSI',
    feature: 'f',
    severity: 'WARNING',
    status: 'FIRING',
    value: 0.2,
    threshold: 0.1,
    openedAt: T - 1000,
    acknowledgedBy: null,
    snoozedUntil: null,
    ...over,
  });

  it('help lists every subcommand', () => {
    const h = helpMessage("I don't know \"dance\".");
    for (const s of ['models', 'status MODEL', 'alerts [MODEL]', 'drift MODEL [WINDOW]', 'performance MODEL [WINDOW]', 'compare MODEL V1 V2 [WINDOW]', 'why MODEL [WINDOW]', 'help']) {
      expect(h.text).toContain(s);
    }
    expect(h.text).toContain('dance');
  });

  it('an unknown model suggests names, or lists them', () => {
    expect(unknownModelMessage('credit-rsik', ['credit-risk'], ['credit-risk', 'fraud']).text).toContain('Did you mean credit-risk?');
    expect(unknownModelMessage('zzz', [], ['credit-risk', 'fraud']).text).toContain('Known models: credit-risk, fraud');
    expect(unknownModelMessage('zzz', [], []).text).toContain('No model is registered');
  });

  it('lists models worst first', () => {
    const m = modelsMessage([
      { name: 'a-ok', task: 'REGRESSION', health: 'HEALTHY', openAlerts: 0, events24h: 10 },
      { name: 'b-bad', task: 'BINARY_CLASSIFICATION', health: 'CRITICAL', openAlerts: 2, events24h: 12408 },
      { name: 'c-meh', task: 'REGRESSION', health: 'WARNING', openAlerts: 1, events24h: 5 },
    ]);
    expect(m.text.indexOf('b-bad')).toBeLessThan(m.text.indexOf('c-meh'));
    expect(m.text.indexOf('c-meh')).toBeLessThan(m.text.indexOf('a-ok'));
    expect(json(m.blocks)).toContain('12,408 events');
  });

  it('sorts alerts by severity, then state, then age', () => {
    const sorted = sortAlertsWorstFirst([
      line({ id: 'w', severity: 'WARNING' }),
      line({ id: 'c-ack', severity: 'CRITICAL', status: 'ACKNOWLEDGED' }),
      line({ id: 'c-new', severity: 'CRITICAL', openedAt: T }),
      line({ id: 'c-old', severity: 'CRITICAL', openedAt: T - 5000 }),
    ]);
    expect(sorted.map((a) => a.id)).toEqual(['c-old', 'c-new', 'c-ack', 'w']);
    expect(alertListMessage([], T, 'm').text).toBe('No open alerts for m.');
    expect(json(alertListMessage([line({ severity: 'CRITICAL', value: 0.31 })], T).blocks)).toContain('0.31');
  });

  it('drift puts the largest PSI first with a verdict', () => {
    const d = driftMessage({
      model: 'credit-risk',
      window: '24h',
      hasBaseline: true,
      rows: [
        { feature: 'age', type: 'NUMERIC', sampleSize: 100, baselineSize: 500, psi: 0.02, jsDistance: 0.01, ksPValue: 0.5 },
        { feature: 'income', type: 'NUMERIC', sampleSize: 100, baselineSize: 500, psi: 0.31, jsDistance: 0.2, ksPValue: 0.0001 },
      ],
      output: null,
      trend: { feature: 'income', values: [0.01, 0.1, 0.31] },
    });
    const body = json(d.blocks);
    expect(body.indexOf('income')).toBeLessThan(body.indexOf('age'));
    expect(body).toContain('PSI *0.31*');
    expect(body).toContain('major shift');
    expect(body).toContain('▁');
    expect(psiVerdict(0.15)).toContain('moderate');
    expect(driftMessage({ model: 'x', window: '24h', hasBaseline: false, rows: [], output: null }).text).toContain('no baseline');
  });

  it('performance shows the task metrics and label coverage', () => {
    const p = performanceMessage({
      model: 'credit-risk',
      task: 'BINARY_CLASSIFICATION',
      window: '7d',
      perf: { count: 12408, labeledCount: 6204, labelCoverage: 0.5, accuracy: 0.912, auc: 0.8312, precision: null },
    });
    expect(p.text).toContain('accuracy 91.2%');
    expect(p.text).toContain('AUC 0.83');
    expect(p.text).toContain('6,204 of 12,408 events labelled (50.0%)');
    expect(p.text).not.toContain('precision');
    const none = performanceMessage({ model: 'm', task: 'REGRESSION', window: '7d', perf: { count: 3, labeledCount: 0, labelCoverage: 0 } });
    expect(none.text).toContain('No actuals yet');
    // with labels and an estimate, the estimate is a note beside the measured numbers, said to be one
    const both = performanceMessage({
      model: 'credit-risk',
      task: 'BINARY_CLASSIFICATION',
      window: '7d',
      perf: { count: 100, labeledCount: 40, labelCoverage: 0.4, accuracy: 0.9, auc: null },
      estimated: { sampleSize: 100, accuracy: 0.8512, precision: null, recall: null, f1: null, auc: 0.7123 },
    });
    expect(JSON.stringify(both.blocks)).toContain('Estimated from the scores alone (CBPE, calibrated on the baseline): an expectation, not a measurement: estimated accuracy 85.1%, estimated AUC 0.71');
    expect(both.text).not.toContain('estimated');
  });

  it('status leads with health and the numbers', () => {
    const s = statusMessage({
      model: 'credit-risk',
      task: 'BINARY_CLASSIFICATION',
      health: 'CRITICAL',
      summary: '12,408 events in 24h; worst drift income PSI 0.31; 1 open alert',
      events24h: 12408,
      trafficTrend: [1, 2, 3],
      openAlerts: [line({ severity: 'CRITICAL', model: 'credit-risk' })],
      hasBaseline: true,
      drift: [{ feature: 'income', type: 'NUMERIC', sampleSize: 10, baselineSize: 10, psi: 0.31, jsDistance: 0.2 }],
      performance: { metric: 'ACCURACY', value: 0.912, labeled: 100, trend: [0.95, 0.93, 0.912] },
      now: T,
    });
    expect(s.text).toBe('credit-risk is CRITICAL: 12,408 events in 24h, accuracy 91.2% (7d), worst drift income PSI 0.31, 1 open alert');
    expect(json(s.blocks)).toContain('`▁▅█`');
    expect(json(s.blocks)).toContain('*Accuracy (7d)*');
  });

  it('digest summarises every model, worst first', () => {
    const d = digestMessage(
      [
        { name: 'ok-model', health: 'HEALTHY', summary: 'fine', events24h: 100, openAlerts: 0 },
        { name: 'bad-model', health: 'CRITICAL', summary: 'bad', events24h: 100, openAlerts: 1, worstAlert: { severity: 'CRITICAL', metric: 'PSI', feature: 'income', value: 0.31 } },
      ],
      T,
    );
    expect(d.text).toContain('1 of 2 models need attention');
    expect(d.text.indexOf('bad-model')).toBeLessThan(d.text.indexOf('ok-model'));
    expect(json(d.blocks)).toContain('PSI of income 0.31');
  });
});
