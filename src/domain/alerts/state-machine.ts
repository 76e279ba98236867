// The alert lifecycle as one pure function per input (an evaluation, a snooze running out,
// an operator's action), in the manner of Prometheus' rules: given the rule, the state and
// the input, it returns the next state and the steps to record, each with the
// notification it sends. No clock, no I/O: the caller passes the time and writes the result.

export type Severity = 'OK' | 'WARNING' | 'CRITICAL' | 'NO_DATA';
export type BreachSeverity = 'WARNING' | 'CRITICAL';
export type AlertStatus = 'FIRING' | 'ACKNOWLEDGED' | 'SNOOZED' | 'RESOLVED';
export type OpenStatus = Exclude<AlertStatus, 'RESOLVED'>;
export type AlertEventKind = 'opened' | 'escalated' | 'reminded' | 'acknowledged' | 'snoozed' | 'unsnoozed' | 'resolved';
export type NotificationType =
  | 'alert.firing'
  | 'alert.escalated'
  | 'alert.reminder'
  | 'alert.acknowledged'
  | 'alert.snoozed'
  | 'alert.resolved'
  | 'test';

export interface OpenAlert {
  status: OpenStatus;
  severity: BreachSeverity;
  snoozedUntil: number | null;
  acknowledgedBy: string | null;
  /** when the alert last told its channels it is firing (opened, escalated, reminded, unsnoozed) */
  lastNotifiedAt: number;
}

export interface RuleState {
  /** breaching evaluations in a row since the last OK, NO_DATA or manual resolution */
  streak: number;
  alert: OpenAlert | null;
}

export interface Rule {
  forEvaluations: number;
  repeatIntervalMs: number;
}

export interface Step {
  kind: AlertEventKind;
  notify: NotificationType | null;
  actor?: string;
  note?: string;
}

export interface Transition {
  state: RuleState;
  /** a new alert opened; `state.alert` is it */
  opened: boolean;
  /** the alert that was open is now RESOLVED */
  resolved: boolean;
  /** steps to record on the alert (the new one when `opened`), oldest first */
  steps: Step[];
}

const RANK: Record<BreachSeverity, number> = { WARNING: 1, CRITICAL: 2 };

/** The severity of a value against the monitor's thresholds, as the contract defines it. */
export function severityOf(
  value: number | null,
  sampleSize: number,
  t: { comparator: 'GT' | 'GTE' | 'LT' | 'LTE'; warning: number | null; critical: number | null; minSampleSize: number },
): Severity {
  if (value === null || !Number.isFinite(value) || sampleSize < t.minSampleSize) return 'NO_DATA';
  const breaches = (th: number | null) => {
    if (th === null) return false;
    switch (t.comparator) {
      case 'GT':
        return value > th;
      case 'GTE':
        return value >= th;
      case 'LT':
        return value < th;
      case 'LTE':
        return value <= th;
    }
  };
  if (breaches(t.critical)) return 'CRITICAL';
  if (breaches(t.warning)) return 'WARNING';
  return 'OK';
}

const none = (state: RuleState): Transition => ({ state, opened: false, resolved: false, steps: [] });

/**
 * Applies one evaluation at `at`. A snooze that ran out ends first (FIRING again, notified);
 * then OK resolves, NO_DATA leaves the alert alone, a breach counts toward opening,
 * escalates (severity only rises while open) or reminds an unacknowledged FIRING alert
 * every `repeatIntervalMs`. Nothing is notified while the alert is snoozed.
 */
export function applyEvaluation(rule: Rule, prev: RuleState, at: number, severity: Severity): Transition {
  const steps: Step[] = [];
  let alert = prev.alert;
  let unsnoozed = false;

  if (alert?.status === 'SNOOZED' && alert.snoozedUntil !== null && at >= alert.snoozedUntil && severity !== 'OK') {
    alert = { ...alert, status: 'FIRING', snoozedUntil: null, acknowledgedBy: null, lastNotifiedAt: at };
    steps.push({ kind: 'unsnoozed', notify: 'alert.firing' });
    unsnoozed = true;
  }
  const snoozed = alert?.status === 'SNOOZED' && (alert.snoozedUntil === null || at < alert.snoozedUntil);

  if (severity === 'NO_DATA') {
    return { state: { streak: 0, alert }, opened: false, resolved: false, steps };
  }
  if (severity === 'OK') {
    if (!alert) return none({ streak: 0, alert: null });
    steps.push({ kind: 'resolved', notify: snoozed ? null : 'alert.resolved' });
    return { state: { streak: 0, alert: null }, opened: false, resolved: true, steps };
  }

  const streak = prev.streak + 1;
  if (!alert) {
    if (streak < rule.forEvaluations) return none({ streak, alert: null });
    const opened: OpenAlert = { status: 'FIRING', severity, snoozedUntil: null, acknowledgedBy: null, lastNotifiedAt: at };
    return { state: { streak, alert: opened }, opened: true, resolved: false, steps: [{ kind: 'opened', notify: 'alert.firing' }] };
  }

  if (RANK[severity] > RANK[alert.severity]) {
    // An unsnooze already told the channels, at the new severity: one message, not two.
    const notify = snoozed || unsnoozed ? null : 'alert.escalated';
    alert = { ...alert, severity, lastNotifiedAt: notify ? at : alert.lastNotifiedAt };
    steps.push({ kind: 'escalated', notify });
  } else if (alert.status === 'FIRING' && !unsnoozed && at - alert.lastNotifiedAt >= rule.repeatIntervalMs) {
    alert = { ...alert, lastNotifiedAt: at };
    steps.push({ kind: 'reminded', notify: 'alert.reminder' });
  }
  return { state: { streak, alert }, opened: false, resolved: false, steps };
}

/** Ends a snooze whose time has come: FIRING again and notified; anything else unchanged. */
export function expireSnooze(prev: RuleState, now: number): Transition {
  const a = prev.alert;
  if (a?.status !== 'SNOOZED' || a.snoozedUntil === null || now < a.snoozedUntil) return none(prev);
  const alert: OpenAlert = { ...a, status: 'FIRING', snoozedUntil: null, acknowledgedBy: null, lastNotifiedAt: now };
  return { state: { ...prev, alert }, opened: false, resolved: false, steps: [{ kind: 'unsnoozed', notify: 'alert.firing' }] };
}

/** ACKNOWLEDGED by `actor` (reminders stop; escalation and resolution are still notified); idempotent. */
export function acknowledge(prev: RuleState, actor: string, note?: string): Transition {
  const a = prev.alert;
  if (!a || a.status === 'ACKNOWLEDGED') return none(prev);
  const alert: OpenAlert = { ...a, status: 'ACKNOWLEDGED', snoozedUntil: null, acknowledgedBy: actor };
  return {
    state: { ...prev, alert },
    opened: false,
    resolved: false,
    steps: [{ kind: 'acknowledged', notify: 'alert.acknowledged', actor, ...(note ? { note } : {}) }],
  };
}

/** SNOOZED until `until`: this change is notified, then nothing until the snooze ends; idempotent. */
export function snooze(prev: RuleState, until: number, actor: string, note?: string): Transition {
  const a = prev.alert;
  if (!a || (a.status === 'SNOOZED' && a.snoozedUntil === until)) return none(prev);
  const alert: OpenAlert = { ...a, status: 'SNOOZED', snoozedUntil: until };
  return {
    state: { ...prev, alert },
    opened: false,
    resolved: false,
    steps: [{ kind: 'snoozed', notify: 'alert.snoozed', actor, ...(note ? { note } : {}) }],
  };
}

/** RESOLVED at once, notified; the breach count restarts, so a new alert needs `forEvaluations` new breaches. */
export function resolve(prev: RuleState, actor: string, note?: string): Transition {
  if (!prev.alert) return none(prev);
  return {
    state: { streak: 0, alert: null },
    opened: false,
    resolved: true,
    steps: [{ kind: 'resolved', notify: 'alert.resolved', actor, ...(note ? { note } : {}) }],
  };
}
