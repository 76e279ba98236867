// The alert lifecycle as a table, one row per rule of the contract's "Monitors and alerts".
import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  applyEvaluation,
  expireSnooze,
  resolve,
  severityOf,
  snooze,
  type OpenAlert,
  type RuleState,
  type Severity,
  type Transition,
} from '../../../src/domain/alerts/state-machine.js';

const H = 3_600_000;
const rule = { forEvaluations: 1, repeatIntervalMs: 4 * H };
const T0 = Date.UTC(2024, 4, 6);

const firing = (over: Partial<OpenAlert> = {}): OpenAlert => ({
  status: 'FIRING',
  severity: 'WARNING',
  snoozedUntil: null,
  acknowledgedBy: null,
  lastNotifiedAt: T0,
  ...over,
});
const st = (alert: OpenAlert | null, streak = alert ? 1 : 0): RuleState => ({ streak, alert });
const kinds = (t: Transition) => t.steps.map((s) => `${s.kind}${s.notify ? `>${s.notify}` : ''}`);

describe('severityOf', () => {
  type Th = { comparator: 'GT' | 'GTE' | 'LT' | 'LTE'; warning: number | null; critical: number | null; minSampleSize: number };
  const th: Th = { comparator: 'GT', warning: 0.1, critical: 0.2, minSampleSize: 10 };
  it.each<[string, number | null, number, Partial<Th>, Severity]>([
    ['above critical', 0.31, 100, {}, 'CRITICAL'],
    ['between', 0.15, 100, {}, 'WARNING'],
    ['equal to warning with GT is OK', 0.1, 100, {}, 'OK'],
    ['equal to warning with GTE breaches', 0.1, 100, { comparator: 'GTE' }, 'WARNING'],
    ['below', 0.05, 100, {}, 'OK'],
    ['too few events', 0.5, 9, {}, 'NO_DATA'],
    ['null value', null, 100, {}, 'NO_DATA'],
    ['NaN value', Number.NaN, 100, {}, 'NO_DATA'],
    ['LT: below critical', 0.5, 100, { comparator: 'LT', warning: 0.8, critical: 0.7 }, 'CRITICAL'],
    ['LT: between', 0.75, 100, { comparator: 'LT', warning: 0.8, critical: 0.7 }, 'WARNING'],
    ['LTE: at warning', 0.8, 100, { comparator: 'LTE', warning: 0.8, critical: 0.7 }, 'WARNING'],
    ['critical only', 0.15, 100, { warning: null }, 'OK'],
    ['warning only', 0.9, 100, { critical: null }, 'WARNING'],
    ['minSampleSize 0 with empty window', 0, 0, { minSampleSize: 0, comparator: 'LT', warning: 1, critical: null }, 'WARNING'],
  ])('%s', (_name, value, n, over, want) => {
    expect(severityOf(value, n, { ...th, ...over })).toBe(want);
  });
});

describe('applyEvaluation', () => {
  const rows: Array<{
    rule: string;
    r?: Partial<typeof rule>;
    prev: RuleState;
    at?: number;
    sev: Severity;
    steps: string[];
    alert: Partial<OpenAlert> | null;
    streak: number;
    opened?: boolean;
    resolved?: boolean;
  }> = [
    { rule: 'OK with no alert does nothing', prev: st(null), sev: 'OK', steps: [], alert: null, streak: 0 },
    { rule: 'a breach opens a FIRING alert at its severity (forEvaluations 1)', prev: st(null), sev: 'CRITICAL', steps: ['opened>alert.firing'], alert: { status: 'FIRING', severity: 'CRITICAL', lastNotifiedAt: T0 }, streak: 1, opened: true },
    { rule: 'forEvaluations 3: the first breaches only count', r: { forEvaluations: 3 }, prev: st(null, 1), sev: 'WARNING', steps: [], alert: null, streak: 2 },
    { rule: 'forEvaluations 3: the third breach in a row opens', r: { forEvaluations: 3 }, prev: st(null, 2), sev: 'WARNING', steps: ['opened>alert.firing'], alert: { status: 'FIRING', severity: 'WARNING' }, streak: 3, opened: true },
    { rule: 'OK breaks the streak', r: { forEvaluations: 3 }, prev: st(null, 2), sev: 'OK', steps: [], alert: null, streak: 0 },
    { rule: 'NO_DATA breaks the streak (the last N were not all breaches)', r: { forEvaluations: 3 }, prev: st(null, 2), sev: 'NO_DATA', steps: [], alert: null, streak: 0 },
    { rule: 'a higher severity escalates, notified', prev: st(firing()), at: T0 + H, sev: 'CRITICAL', steps: ['escalated>alert.escalated'], alert: { status: 'FIRING', severity: 'CRITICAL', lastNotifiedAt: T0 + H }, streak: 2 },
    { rule: 'the same severity says nothing before repeatInterval', prev: st(firing()), at: T0 + H, sev: 'WARNING', steps: [], alert: { severity: 'WARNING', lastNotifiedAt: T0 }, streak: 2 },
    { rule: 'a lower severity never de-escalates', prev: st(firing({ severity: 'CRITICAL' })), at: T0 + H, sev: 'WARNING', steps: [], alert: { severity: 'CRITICAL' }, streak: 2 },
    { rule: 'an unacknowledged FIRING alert is reminded every repeatInterval', prev: st(firing()), at: T0 + 4 * H, sev: 'WARNING', steps: ['reminded>alert.reminder'], alert: { lastNotifiedAt: T0 + 4 * H }, streak: 2 },
    { rule: 'an acknowledged alert is not reminded', prev: st(firing({ status: 'ACKNOWLEDGED', acknowledgedBy: 'ann' })), at: T0 + 8 * H, sev: 'WARNING', steps: [], alert: { status: 'ACKNOWLEDGED' }, streak: 2 },
    { rule: 'an acknowledged alert still escalates, notified, and stays acknowledged', prev: st(firing({ status: 'ACKNOWLEDGED', acknowledgedBy: 'ann' })), at: T0 + H, sev: 'CRITICAL', steps: ['escalated>alert.escalated'], alert: { status: 'ACKNOWLEDGED', severity: 'CRITICAL', acknowledgedBy: 'ann' }, streak: 2 },
    { rule: 'OK resolves a FIRING alert, notified', prev: st(firing()), at: T0 + H, sev: 'OK', steps: ['resolved>alert.resolved'], alert: null, streak: 0, resolved: true },
    { rule: 'OK resolves an acknowledged alert, still notified', prev: st(firing({ status: 'ACKNOWLEDGED', acknowledgedBy: 'ann' })), at: T0 + H, sev: 'OK', steps: ['resolved>alert.resolved'], alert: null, streak: 0, resolved: true },
    { rule: 'NO_DATA leaves an open alert as it is', prev: st(firing({ severity: 'CRITICAL' })), at: T0 + 9 * H, sev: 'NO_DATA', steps: [], alert: { status: 'FIRING', severity: 'CRITICAL', lastNotifiedAt: T0 }, streak: 0 },
    { rule: 'snoozed: a breach notifies nothing', prev: st(firing({ status: 'SNOOZED', snoozedUntil: T0 + 10 * H })), at: T0 + 5 * H, sev: 'WARNING', steps: [], alert: { status: 'SNOOZED' }, streak: 2 },
    { rule: 'snoozed: escalation is recorded, not notified', prev: st(firing({ status: 'SNOOZED', snoozedUntil: T0 + 10 * H })), at: T0 + 5 * H, sev: 'CRITICAL', steps: ['escalated'], alert: { status: 'SNOOZED', severity: 'CRITICAL', lastNotifiedAt: T0 }, streak: 2 },
    { rule: 'snoozed: OK resolves silently', prev: st(firing({ status: 'SNOOZED', snoozedUntil: T0 + 10 * H })), at: T0 + 5 * H, sev: 'OK', steps: ['resolved'], alert: null, streak: 0, resolved: true },
    { rule: 'snooze over: a breach makes it FIRING again, notified', prev: st(firing({ status: 'SNOOZED', snoozedUntil: T0 + 10 * H })), at: T0 + 10 * H, sev: 'WARNING', steps: ['unsnoozed>alert.firing'], alert: { status: 'FIRING', snoozedUntil: null, lastNotifiedAt: T0 + 10 * H }, streak: 2 },
    { rule: 'snooze over at a higher severity: one notification, not two', prev: st(firing({ status: 'SNOOZED', snoozedUntil: T0 + 10 * H })), at: T0 + 11 * H, sev: 'CRITICAL', steps: ['unsnoozed>alert.firing', 'escalated'], alert: { status: 'FIRING', severity: 'CRITICAL' }, streak: 2 },
    { rule: 'snooze over with NO_DATA: FIRING again, notified', prev: st(firing({ status: 'SNOOZED', snoozedUntil: T0 + 10 * H })), at: T0 + 11 * H, sev: 'NO_DATA', steps: ['unsnoozed>alert.firing'], alert: { status: 'FIRING' }, streak: 0 },
    { rule: 'snooze over with OK: resolved, notified', prev: st(firing({ status: 'SNOOZED', snoozedUntil: T0 + 10 * H })), at: T0 + 11 * H, sev: 'OK', steps: ['resolved>alert.resolved'], alert: null, streak: 0, resolved: true },
    { rule: 'after an unsnooze, the next reminder waits a full repeatInterval', prev: st(firing({ lastNotifiedAt: T0 + 10 * H })), at: T0 + 13 * H, sev: 'WARNING', steps: [], alert: { lastNotifiedAt: T0 + 10 * H }, streak: 2 },
    { rule: 'a backfilled evaluation earlier than the last notification never reminds', prev: st(firing({ lastNotifiedAt: T0 + 10 * H })), at: T0, sev: 'WARNING', steps: [], alert: { lastNotifiedAt: T0 + 10 * H }, streak: 2 },
  ];

  it.each(rows)('$rule', (row) => {
    const t = applyEvaluation({ ...rule, ...row.r }, row.prev, row.at ?? T0, row.sev);
    expect(kinds(t)).toEqual(row.steps);
    expect(t.state.streak).toBe(row.streak);
    expect(t.opened).toBe(row.opened ?? false);
    expect(t.resolved).toBe(row.resolved ?? false);
    if (row.alert === null) expect(t.state.alert).toBeNull();
    else expect(t.state.alert).toMatchObject(row.alert);
  });
});

describe('operator actions', () => {
  it('acknowledge: ACKNOWLEDGED with its actor and note, notified', () => {
    const t = acknowledge(st(firing()), 'ann', 'looking');
    expect(t.state.alert).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedBy: 'ann' });
    expect(t.steps).toEqual([{ kind: 'acknowledged', notify: 'alert.acknowledged', actor: 'ann', note: 'looking' }]);
  });
  it('acknowledge twice is one acknowledgement', () => {
    const once = acknowledge(st(firing()), 'ann').state;
    expect(acknowledge(once, 'bob').steps).toEqual([]);
    expect(acknowledge(once, 'bob').state.alert?.acknowledgedBy).toBe('ann');
  });
  it('acknowledging a snoozed alert ends the snooze', () => {
    const t = acknowledge(st(firing({ status: 'SNOOZED', snoozedUntil: T0 + H })), 'ann');
    expect(t.state.alert).toMatchObject({ status: 'ACKNOWLEDGED', snoozedUntil: null });
  });
  it('snooze: SNOOZED until, this change notified', () => {
    const t = snooze(st(firing()), T0 + H, 'ann');
    expect(t.state.alert).toMatchObject({ status: 'SNOOZED', snoozedUntil: T0 + H });
    expect(kinds(t)).toEqual(['snoozed>alert.snoozed']);
  });
  it('the same snooze twice is one snooze; another time moves it', () => {
    const once = snooze(st(firing()), T0 + H, 'ann').state;
    expect(snooze(once, T0 + H, 'ann').steps).toEqual([]);
    expect(snooze(once, T0 + H, 'ann').state).toBe(once);
    expect(kinds(snooze(once, T0 + 2 * H, 'ann'))).toEqual(['snoozed>alert.snoozed']);
  });
  it('expireSnooze before the time changes nothing', () => {
    const prev = snooze(st(firing()), T0 + H, 'ann').state;
    expect(expireSnooze(prev, T0 + H - 1).steps).toEqual([]);
    expect(expireSnooze(prev, T0 + H - 1).state).toBe(prev);
  });
  it('expireSnooze at the time: FIRING again (unsnoozed), notified, acknowledgement cleared', () => {
    const prev = snooze(acknowledge(st(firing()), 'ann').state, T0 + H, 'ann').state;
    const t = expireSnooze(prev, T0 + H);
    expect(kinds(t)).toEqual(['unsnoozed>alert.firing']);
    expect(t.state.alert).toMatchObject({ status: 'FIRING', snoozedUntil: null, acknowledgedBy: null, lastNotifiedAt: T0 + H });
  });
  it('expireSnooze on a FIRING alert does nothing', () => {
    expect(expireSnooze(st(firing()), T0 + 100 * H).steps).toEqual([]);
  });
  it('resolve: RESOLVED at once, notified, and a new alert needs forEvaluations new breaches', () => {
    const r3 = { ...rule, forEvaluations: 3 };
    const t = resolve(st(firing(), 7), 'ann', 'fixed the feed');
    expect(t.resolved).toBe(true);
    expect(t.steps).toEqual([{ kind: 'resolved', notify: 'alert.resolved', actor: 'ann', note: 'fixed the feed' }]);
    expect(t.state).toEqual({ streak: 0, alert: null });
    let s = t.state;
    for (const want of [false, false, true]) {
      const e = applyEvaluation(r3, s, T0 + H, 'CRITICAL');
      expect(e.opened).toBe(want);
      s = e.state;
    }
  });
  it('actions on no open alert do nothing', () => {
    for (const t of [acknowledge(st(null), 'a'), snooze(st(null), T0, 'a'), resolve(st(null), 'a')]) {
      expect(t.steps).toEqual([]);
      expect(t.resolved).toBe(false);
    }
  });
});
