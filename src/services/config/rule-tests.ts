// `glassbox test FILE`: unit tests for alert rules, in the manner of `promtool test rules`.
// Each test gives a monitor (inline, or MODEL/NAME from the configuration file it names),
// evaluated values and operator actions at given times, and the alert states expected at
// given times. They run on the server's own pure state machine (severityOf,
// applyEvaluation, acknowledge, snooze, resolve, expireSnooze), without a server.
import { parseDocument } from 'yaml';
import { ConfigIssues, issueLine } from '../../domain/config/issues.js';
import { parseConfig } from '../../domain/config/parse.js';
import { DAY, HOUR, MINUTE, parseDuration } from '../../domain/windows.js';
import {
  acknowledge,
  applyEvaluation,
  expireSnooze,
  resolve,
  severityOf,
  snooze,
  type NotificationType,
  type RuleState,
  type Transition,
} from '../../domain/alerts/state-machine.js';
import { checkAlerting, checkMonitor, type AlertingSpec, type MonitorFields } from '../monitor-validation.js';
import { validateModelInput, type CreateModelArgs } from '../models.js';
import { issueFrom } from './issue-from.js';

export interface RuleTestResult {
  name: string;
  expectations: number;
  failures: string[];
}

export interface RuleTestReport {
  /** problems with the file itself (nothing ran when there are any) */
  errors: string[];
  tests: RuleTestResult[];
}

const STATES = ['NONE', 'FIRING', 'ACKNOWLEDGED', 'SNOOZED', 'RESOLVED'] as const;
const ACTIONS = ['acknowledge', 'snooze', 'resolve'] as const;
const DEFAULT_START = Date.parse('2024-01-01T00:00:00Z');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "12:00" (on the start day), "day 2 06:30" (day 1 is the start day) or an ISO date-time. */
export function parseTestTime(text: unknown, start: number): number | null {
  if (typeof text !== 'string') return null;
  const hm = /^(?:day (\d{1,3}) )?(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (hm) {
    const day = hm[1] === undefined ? 1 : Number(hm[1]);
    const h = Number(hm[2]);
    const m = Number(hm[3]);
    if (day < 1 || h > 23 || m > 59) return null;
    return start + (day - 1) * DAY + h * HOUR + m * MINUTE;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const t = Date.parse(text);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

interface Event {
  at: number;
  order: number;
  apply(s: RuleState): Transition;
}

/** Reads one test's monitor: inline fields, or MODEL/NAME from the configuration. */
function monitorOf(spec: unknown, path: string, config: ConfigLookup | null, configGiven: boolean, issues: ConfigIssues): AlertingSpec | null {
  try {
    if (typeof spec === 'string') {
      // a configuration that could not be read or checked is reported once, already
      if (!config && configGiven) return null;
      if (!config) {
        issues.add(path, `"${spec}" names a monitor, but the file has no config: to read it from`);
        return null;
      }
      const found = config.monitor(spec);
      if (!found) {
        issues.add(path, `no monitor "${spec}" in ${config.file} (write MODEL/NAME)`);
        return null;
      }
      return found;
    }
    if (!isObj(spec)) {
      issues.add(path, 'must be MODEL/NAME of a monitor in the config file, or a map (comparator, warningThreshold, criticalThreshold, forEvaluations, minSampleSize, repeatInterval)');
      return null;
    }
    return checkAlerting(spec as unknown as MonitorFields, path);
  } catch (err) {
    issueFrom(err, issues, path);
    return null;
  }
}

interface ConfigLookup {
  file: string;
  monitor(ref: string): AlertingSpec | null;
}

/** The configuration's monitors, checked as the server would (against the file's models where it has them). */
function lookupIn(file: string, text: string, schema: object, issues: ConfigIssues): ConfigLookup | null {
  const own = new ConfigIssues();
  // references are left as they are: a test needs no secrets
  const anything = new Proxy({}, { get: (_t, k) => `\${${String(k)}}` }) as Record<string, string>;
  const cfg = parseConfig(text, schema, anything, own);
  const models = new Map<string, CreateModelArgs>();
  for (const m of cfg?.models ?? []) models.set(String(m.name), m as unknown as CreateModelArgs);
  const monitors = new Map<string, AlertingSpec>();
  (cfg?.monitors ?? []).forEach((m, i) => {
    const ref = `${String(m.model)}/${String(m.name)}`;
    const path = `monitors[${i}]`;
    try {
      const model = models.get(String(m.model));
      if (model) {
        const features = validateModelInput(model, 'model');
        monitors.set(ref, checkMonitor({ ...model, id: 0, features, description: null, positiveClass: model.positiveClass ?? null, decisionThreshold: model.decisionThreshold ?? null, createdAt: 0, updatedAt: 0 }, m as unknown as MonitorFields, path));
      } else monitors.set(ref, checkAlerting(m as unknown as MonitorFields, path));
    } catch (err) {
      issueFrom(err, own, path);
    }
  });
  for (const i of own.list) issues.add(`config (${file})`, issueLine(i));
  return own.empty ? { file, monitor: (ref) => monitors.get(ref) ?? null } : null;
}

/** A test's expectations against what the state machine did. */
function runOne(t: Obj, path: string, monitor: AlertingSpec, issues: ConfigIssues): RuleTestResult | null {
  const before = issues.list.length;
  // learned thresholds depend on a history a test does not have: refuse rather than pass vacuously
  if (monitor.autoThreshold) {
    issues.add(`${path}.monitor`, 'learns its thresholds from history (autoThreshold), which a rule test cannot replay; give a map of fixed thresholds instead');
    return null;
  }
  const start = t.start === undefined ? DEFAULT_START : Date.parse(String(t.start));
  if (!Number.isFinite(start)) issues.add(`${path}.start`, `"${String(t.start)}" is not a date (2024-05-06 or 2024-05-06T00:00:00Z)`);
  const time = (v: unknown, p: string): number => {
    const at = parseTestTime(v, start);
    if (at === null) issues.add(p, `${JSON.stringify(v)} is not a time: write "12:00", "day 2 06:30" or an ISO date-time`);
    return at ?? 0;
  };
  const list = (k: string): Obj[] => {
    const v = t[k] ?? [];
    if (!Array.isArray(v)) {
      issues.add(`${path}.${k}`, 'must be a list');
      return [];
    }
    return v.map((item, i) => (isObj(item) ? item : (issues.add(`${path}.${k}[${i}]`, 'must be a map'), {})));
  };
  const rule = { forEvaluations: monitor.forEvaluations, repeatIntervalMs: monitor.repeatIntervalMs };
  const events: Event[] = [];
  list('evaluations').forEach((e, i) => {
    const p = `${path}.evaluations[${i}]`;
    const at = time(e.at, `${p}.at`);
    const value = e.value === null || e.value === undefined ? null : Number(e.value);
    if (e.value !== null && e.value !== undefined && typeof e.value !== 'number') issues.add(`${p}.value`, 'must be a number or null (no data)');
    const n = e.sampleSize === undefined ? monitor.minSampleSize : Number(e.sampleSize);
    if (!Number.isInteger(n) || n < 0) issues.add(`${p}.sampleSize`, 'must be a whole number');
    const sev = severityOf(value, n, { comparator: monitor.comparator, warning: monitor.warningThreshold, critical: monitor.criticalThreshold, minSampleSize: monitor.minSampleSize });
    events.push({ at, order: i, apply: (s) => applyEvaluation(rule, s, at, sev) });
  });
  list('actions').forEach((a, i) => {
    const p = `${path}.actions[${i}]`;
    const at = time(a.at, `${p}.at`);
    const by = typeof a.by === 'string' ? a.by : 'test';
    const kind = a.action as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(kind)) return issues.add(`${p}.action`, `must be one of ${ACTIONS.join(', ')}`);
    if (kind === 'acknowledge') events.push({ at, order: 1e6 + i, apply: (s) => acknowledge(s, by) });
    else if (kind === 'resolve') events.push({ at, order: 1e6 + i, apply: (s) => resolve(s, by) });
    else {
      const ms = typeof a.for === 'string' ? parseDuration(a.for) : null;
      const until = ms !== null ? at + ms : a.until !== undefined ? time(a.until, `${p}.until`) : null;
      if (until === null) return issues.add(`${p}.for`, 'a snooze needs for: (a duration, 2h) or until: (a time)');
      events.push({ at, order: 1e6 + i, apply: (s) => snooze(s, until, by) });
    }
  });
  const expects = list('expect').map((x, i) => {
    const p = `${path}.expect[${i}]`;
    const at = time(x.at, `${p}.at`);
    if (!STATES.includes(x.alert as never)) issues.add(`${p}.alert`, `must be one of ${STATES.join(', ')}`);
    if (x.severity !== undefined && x.severity !== 'WARNING' && x.severity !== 'CRITICAL') issues.add(`${p}.severity`, 'must be WARNING or CRITICAL');
    if (x.notified !== undefined && !Array.isArray(x.notified)) issues.add(`${p}.notified`, 'must be a list of notification types (alert.firing, alert.reminder...), [] for none');
    return { at, text: String(x.at), alert: String(x.alert), severity: x.severity as string | undefined, notified: x.notified as string[] | undefined };
  });
  if (!expects.length) issues.add(`${path}.expect`, 'a test needs at least one expectation');
  if (issues.list.length > before) return null;

  // replay: events in time order (evaluations before actions at the same instant), snoozes
  // ending at their time as the server's delivery loop ends them
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  let state: RuleState = { streak: 0, alert: null };
  let opened = false;
  const sent = new Map<number, NotificationType[]>();
  const record = (at: number, tr: Transition) => {
    state = tr.state;
    opened ||= tr.opened;
    for (const s of tr.steps) if (s.notify) sent.set(at, [...(sent.get(at) ?? []), s.notify]);
  };
  const expireUpTo = (t: number) => {
    const a = state.alert;
    if (a?.status === 'SNOOZED' && a.snoozedUntil !== null && a.snoozedUntil <= t) record(a.snoozedUntil, expireSnooze(state, a.snoozedUntil));
  };
  let next = 0;
  const advance = (t: number) => {
    while (next < events.length && events[next]!.at <= t) {
      const e = events[next++]!;
      expireUpTo(e.at);
      record(e.at, e.apply(state));
    }
    expireUpTo(t);
  };
  const failures: string[] = [];
  for (const x of [...expects].sort((a, b) => a.at - b.at)) {
    advance(x.at);
    const got = state.alert ? state.alert.status : opened ? 'RESOLVED' : 'NONE';
    if (got !== x.alert) failures.push(`expected ${x.alert} at ${x.text}, got ${got}`);
    else if (x.severity && state.alert && state.alert.severity !== x.severity) failures.push(`expected ${x.severity} at ${x.text}, got ${state.alert.severity}`);
    if (x.notified) {
      const got = sent.get(x.at) ?? [];
      if (JSON.stringify(got) !== JSON.stringify(x.notified)) failures.push(`expected notifications [${x.notified.join(', ')}] at ${x.text}, got [${got.join(', ')}]`);
    }
  }
  return { name: String(t.name), expectations: expects.length, failures };
}

/**
 * Runs a test file. `readConfig` reads the configuration the file names (config: PATH);
 * `schema` is the configuration's JSON Schema.
 */
export function runRuleTests(text: string, schema: object, readConfig: (path: string) => string): RuleTestReport {
  const issues = new ConfigIssues();
  const doc = parseDocument(text, { uniqueKeys: true });
  for (const e of doc.errors) issues.add('', `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  const data = doc.errors.length ? null : (doc.toJS({ maxAliasCount: 100 }) as unknown);
  if (!issues.empty || !isObj(data)) return { errors: issues.empty ? ['the file must be a map with tests: (and optionally config:)'] : issues.list.map(issueLine), tests: [] };
  let config: ConfigLookup | null = null;
  if (data.config !== undefined) {
    let cfgText: string | null = null;
    try {
      cfgText = readConfig(String(data.config));
    } catch (err) {
      issues.add('config', `cannot read ${String(data.config)}: ${(err as Error).message}`);
    }
    if (cfgText !== null) config = lookupIn(String(data.config), cfgText, schema, issues);
  }
  const tests = Array.isArray(data.tests) ? data.tests : [];
  if (!tests.length) issues.add('tests', 'must be a non-empty list of tests');
  const results: RuleTestResult[] = [];
  tests.forEach((t, i) => {
    const path = `tests[${i}]`;
    if (!isObj(t) || typeof t.name !== 'string') return issues.add(`${path}.name`, 'each test needs a name');
    const monitor = monitorOf(t.monitor, `${path}.monitor`, config, data.config !== undefined, issues);
    if (!monitor) return;
    const r = runOne(t, path, monitor, issues);
    if (r) results.push(r);
  });
  return issues.empty ? { errors: [], tests: results } : { errors: issues.list.map(issueLine), tests: [] };
}
