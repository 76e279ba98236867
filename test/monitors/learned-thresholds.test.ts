// Learned thresholds (METRICS.md "Learned thresholds") over the real server, with an injected
// clock: the thresholds each evaluation records against a reference computed here from the
// events themselves (numpy-style mean and population std of the metric at the history's
// ticks), for NONE, DAILY and WEEKLY; σ = 0 on a constant history; NO_DATA under 5 values;
// a backtest equal to the evaluations the monitor then makes; the alert's wording, in Slack too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ADMIN_KEY, createModel, ndjson, postNdjson } from '../ingest/support.js';
import { HOUR, T0 } from './helpers.js';
import { formatNumber } from '../../src/domain/alerts/message.js';
import { getAlert } from '../../src/services/alerts.js';
import { alertView } from '../../src/slack/alert-port.js';
import { alertMessage as slackAlertMessage } from '../../src/slack/blocks/alert.js';

const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** The data: every hour from START to END; evaluations at AT and after. */
const START = T0 - 43 * DAY;
const AT = T0 + 12 * HOUR;
/** the hour [SPIKE_AT - 1h, SPIKE_AT) scores 0.99 */
const SPIKE_AT = AT + 6 * HOUR;
const END = T0 + 2 * DAY;
/** the flat model's data starts here, every score 0.5 */
const FLAT_START = T0;

interface Ev {
  eventId: string;
  timestamp: string;
  features: { x: number; c: string };
  score: number;
}

/** Hour h's events: 0 to 3 of them (none every 13th hour), scores in [0.4, 0.6], or the spike. */
function hourEvents(h: number): Ev[] {
  const start = START + h * HOUR;
  const n = h % 13 === 5 ? 0 : 1 + ((h * 7) % 3);
  return Array.from({ length: n }, (_, j) => ({
    eventId: `h${h}-${j}`,
    timestamp: new Date(start + j * 60_000 * 7).toISOString(),
    features: { x: j, c: 'a' },
    score: start === SPIKE_AT - HOUR ? 0.99 : 0.4 + ((h * 37 + j * 11) % 21) / 100,
  }));
}
const HOURS = (END - START) / HOUR;
const events = Array.from({ length: HOURS }, (_, h) => hourEvents(h)).flat();

/** MEAN_SCORE over [from, to) as numpy would: (value, n). */
function meanScore(from: number, to: number): { value: number | null; n: number } {
  const xs = events.filter((e) => Date.parse(e.timestamp) >= from && Date.parse(e.timestamp) < to).map((e) => e.score);
  return { value: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null, n: xs.length };
}

interface Auto {
  lookback: string;
  lookbackMs: number;
  warningSigmas: number | null;
  criticalSigmas: number | null;
  seasonality: 'NONE' | 'DAILY' | 'WEEKLY';
}

/**
 * The reference: ticks every `stepMs` (the schedule), t in [at - lookback, at), DAILY/WEEKLY
 * keeping at minus whole days/weeks; values over [t - window, t) not null with n >= minSample;
 * numpy mean and std (ddof 0).
 */
function reference(at: number, auto: Auto, stepMs: number, windowMs: number, comparator: string, minSample: number, score = meanScore) {
  const period = auto.seasonality === 'DAILY' ? DAY : auto.seasonality === 'WEEKLY' ? WEEK : 0;
  const xs: number[] = [];
  for (let t = at - stepMs; t >= at - auto.lookbackMs; t -= stepMs) {
    if (period && (at - t) % period !== 0) continue;
    const v = score(t - windowMs, t);
    if (v.value !== null && v.n >= minSample) xs.push(v.value);
  }
  if (xs.length < 5) return { n: xs.length, warning: null, critical: null, mean: null };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  const dir = comparator.startsWith('G') ? 1 : -1;
  const th = (k: number | null) => (k === null ? null : mean + dir * k * std);
  return { n: xs.length, warning: th(auto.warningSigmas), critical: th(auto.criticalSigmas), mean, std };
}

const close = (got: number | null, want: number | null) => {
  if (want === null || got === null) return expect(got).toBe(want);
  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(want), 1e-300));
};

let s: TestServer;
const gql = (q: string, v?: Record<string, unknown>) => s.gql(q, v, ADMIN_KEY);
const EVAL = 'at value sampleSize severity warningThreshold criticalThreshold';

async function create(input: Record<string, unknown>): Promise<string> {
  const r = await gql(`mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`, { input });
  expect(r.errors).toBeUndefined();
  return r.data.createMonitor.id;
}
async function evaluate(id: string, at: number) {
  const r = await gql(`mutation { evaluateMonitor(id: ${id}, at: "${new Date(at).toISOString()}") { ${EVAL} } }`);
  expect(r.errors).toBeUndefined();
  return r.data.evaluateMonitor;
}

const auto = (lookback: string, lookbackMs: number, seasonality: Auto['seasonality'], warningSigmas: number | null = 2, criticalSigmas: number | null = 3): Auto => ({
  lookback,
  lookbackMs,
  warningSigmas,
  criticalSigmas,
  seasonality,
});
const gqlAuto = ({ lookbackMs: _, ...a }: Auto) => a;
const base = { model: 'm', metric: 'MEAN_SCORE', window: '1h', schedule: '0 * * * *', comparator: 'GT' };

beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY }, now: END });
  await createModel(s, 'm');
  await createModel(s, 'flat');
  for (let i = 0; i < events.length; i += 2000) {
    const r = await postNdjson(s, 'm', 'predictions', ndjson(events.slice(i, i + 2000)));
    expect(r.json.accepted).toBe(Math.min(2000, events.length - i));
  }
  const flat = Array.from({ length: 24 * 4 }, (_, i) => ({ eventId: `f${i}`, timestamp: new Date(FLAT_START + i * 15 * 60_000).toISOString(), features: { x: 1, c: 'a' }, score: 0.5 }));
  expect((await postNdjson(s, 'flat', 'predictions', ndjson(flat))).json.accepted).toBe(flat.length);
}, 120_000);
afterAll(async () => {
  await s.stop(true);
});

describe('learned thresholds', () => {
  it.each([
    ['NONE, hourly, 2d', auto('2d', 2 * DAY, 'NONE'), '0 * * * *', HOUR, 'GT', 1],
    ['NONE below, minSampleSize 2', auto('3d', 3 * DAY, 'NONE', 1.5, 2.5), '0 * * * *', HOUR, 'LT', 2],
    ['DAILY, hourly, 10d', auto('10d', 10 * DAY, 'DAILY'), '0 * * * *', HOUR, 'GTE', 1],
    ['WEEKLY, every 6h, 6w', auto('6w', 6 * WEEK, 'WEEKLY', null, 2), '0 */6 * * *', 6 * HOUR, 'GT', 1],
  ] as const)('%s: the thresholds match the reference, and the evaluation uses them', async (name, a, schedule, step, comparator, minSampleSize) => {
    const id = await create({ ...base, name, schedule, comparator, minSampleSize, autoThreshold: gqlAuto(a) });
    const r = await gql(`{ monitor(id: ${id}) { warningThreshold criticalThreshold autoThreshold { lookback warningSigmas criticalSigmas seasonality } } }`);
    expect(r.data.monitor).toEqual({ warningThreshold: null, criticalThreshold: null, autoThreshold: gqlAuto(a) });
    for (const at of [AT, SPIKE_AT]) {
      const want = reference(at, a, step, HOUR, comparator, minSampleSize);
      expect(want.n).toBeGreaterThanOrEqual(5);
      const e = await evaluate(id, at);
      close(e.warningThreshold, want.warning);
      close(e.criticalThreshold, want.critical);
      const v = meanScore(at - HOUR, at);
      close(e.value, v.value);
      const breaches = (th: number | null) => th !== null && (comparator === 'GT' ? v.value! > th : comparator === 'GTE' ? v.value! >= th : v.value! < th);
      const severity = v.n < minSampleSize ? 'NO_DATA' : breaches(want.critical) ? 'CRITICAL' : breaches(want.warning) ? 'WARNING' : 'OK';
      expect(e.severity).toBe(severity);
    }
  });

  it('a constant history gives σ = 0: both thresholds at μ exactly (GT stays OK on μ, GTE breaches)', async () => {
    for (const comparator of ['GT', 'GTE']) {
      const id = await create({ ...base, model: 'flat', name: `flat-${comparator}`, comparator, autoThreshold: { lookback: '1d', warningSigmas: 2, criticalSigmas: 3 } });
      const e = await evaluate(id, FLAT_START + 12 * HOUR);
      expect(e).toMatchObject({ value: 0.5, warningThreshold: 0.5, criticalThreshold: 0.5, severity: comparator === 'GT' ? 'OK' : 'CRITICAL' });
    }
  });

  it('fewer than 5 past values evaluates NO_DATA (empty windows left out); the fifth makes it OK', async () => {
    const id = await create({ ...base, model: 'flat', name: 'young', autoThreshold: { lookback: '6h', criticalSigmas: 3 } });
    // ticks FLAT_START .. +4h: the first one's window is before the data
    expect(await evaluate(id, FLAT_START + 5 * HOUR)).toMatchObject({ value: 0.5, severity: 'NO_DATA', warningThreshold: null, criticalThreshold: null });
    expect(await evaluate(id, FLAT_START + 6 * HOUR)).toMatchObject({ value: 0.5, severity: 'OK', warningThreshold: null, criticalThreshold: 0.5 });
  });

  it('a fixed monitor records its own thresholds on each evaluation', async () => {
    const id = await create({ ...base, name: 'fixed', warningThreshold: 0.55, criticalThreshold: 0.9 });
    expect(await evaluate(id, SPIKE_AT)).toMatchObject({ severity: 'CRITICAL', warningThreshold: 0.55, criticalThreshold: 0.9 });
  });

  it('backtestMonitor with autoThreshold equals what evaluating the monitor then records, tick by tick', async () => {
    const a = auto('2d', 2 * DAY, 'NONE');
    const input = { ...base, name: 'bt', autoThreshold: gqlAuto(a) };
    const from = AT;
    const to = SPIKE_AT + 2 * HOUR;
    const bt = await gql(`mutation($input: CreateMonitorInput!) { backtestMonitor(input: $input, from: "${new Date(from).toISOString()}", to: "${new Date(to).toISOString()}") { ${EVAL} } }`, { input });
    expect(bt.errors).toBeUndefined();
    expect(bt.data.backtestMonitor).toHaveLength(8);
    expect(bt.data.backtestMonitor.map((e: { severity: string }) => e.severity)).toContain('CRITICAL');
    const id = await create(input);
    for (const e of bt.data.backtestMonitor) expect(await evaluate(id, Date.parse(e.at))).toEqual(e);
    for (const e of bt.data.backtestMonitor) close(e.criticalThreshold, reference(Date.parse(e.at), a, HOUR, HOUR, 'GT', 1).critical);
  });

  it('the alert says the threshold was learned, and Slack says the same', async () => {
    const a = auto('2d', 2 * DAY, 'NONE');
    const id = await create({ ...base, name: 'alerting', forEvaluations: 1, autoThreshold: gqlAuto(a) });
    const e = await evaluate(id, SPIKE_AT);
    expect(e.severity).toBe('CRITICAL');
    const want = reference(SPIKE_AT, a, HOUR, HOUR, 'GT', 1);
    const r = await gql(`{ monitor(id: ${id}) { openAlert { id message threshold value } } }`);
    const alert = r.data.monitor.openAlert;
    const v = meanScore(SPIKE_AT - HOUR, SPIKE_AT);
    const phrase = `above its usual ${formatNumber(want.mean!)} ± 3σ band: ${formatNumber(want.critical!)}`;
    expect(alert.message).toBe(`CRITICAL: mean score on m is ${formatNumber(v.value!)} (${phrase}) over the last 1h (n=${v.n})`);
    close(alert.threshold, want.critical);
    const slack = slackAlertMessage(alertView((await getAlert(s.deps, Number(alert.id)))!));
    expect(JSON.stringify(slack.blocks)).toContain(phrase);

    // back inside the band: resolved, "within" it
    const later = SPIKE_AT + HOUR;
    expect((await evaluate(id, later)).severity).toBe('OK');
    const resolved = (await getAlert(s.deps, Number(alert.id)))!;
    const band = reference(later, a, HOUR, HOUR, 'GT', 1);
    expect(resolved.message).toContain(`(within its usual ${formatNumber(band.mean!)} ± 2σ band: ${formatNumber(band.warning!)})`);
  });

  it('refuses bad autoThreshold input naming the field; updateMonitor switches between fixed and learned', async () => {
    const bad = async (input: Record<string, unknown>, field: string) => {
      const r = await gql(`mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`, { input: { ...base, name: 'bad', ...input } });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    };
    await bad({ warningThreshold: 0.5, autoThreshold: { lookback: '2d', criticalSigmas: 3 } }, 'input.autoThreshold');
    await bad({ autoThreshold: { lookback: '2 days', criticalSigmas: 3 } }, 'input.autoThreshold.lookback');
    await bad({ autoThreshold: { lookback: '2d' } }, 'input.autoThreshold.criticalSigmas');
    await bad({ autoThreshold: { lookback: '2d', warningSigmas: 3, criticalSigmas: 2 } }, 'input.autoThreshold.warningSigmas');
    await bad({ autoThreshold: { lookback: '2d', criticalSigmas: -1 } }, 'input.autoThreshold.criticalSigmas');
    await bad({ autoThreshold: { lookback: '3d', criticalSigmas: 3, seasonality: 'DAILY' } }, 'input.autoThreshold.lookback');
    await bad({ schedule: '* * * * *', autoThreshold: { lookback: '28d', criticalSigmas: 3 } }, 'input.autoThreshold.lookback');
    expect((await gql(`{ monitors(model: "m") { name } }`)).data.monitors.map((m: { name: string }) => m.name)).not.toContain('bad');

    const id = await create({ ...base, name: 'switch', warningThreshold: 0.55 });
    const UPDATE = `mutation($id: ID!, $input: UpdateMonitorInput!) { updateMonitor(id: $id, input: $input) { warningThreshold criticalThreshold autoThreshold { lookback seasonality criticalSigmas } } }`;
    const learned = await gql(UPDATE, { id, input: { autoThreshold: { lookback: '7d', criticalSigmas: 3 } } });
    expect(learned.data.updateMonitor).toEqual({ warningThreshold: null, criticalThreshold: null, autoThreshold: { lookback: '7d', seasonality: 'NONE', criticalSigmas: 3 } });
    const both = await gql(UPDATE, { id, input: { criticalThreshold: 0.9, autoThreshold: { lookback: '7d', criticalSigmas: 3 } } });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.autoThreshold' });
    const fixed = await gql(UPDATE, { id, input: { criticalThreshold: 0.9 } });
    expect(fixed.data.updateMonitor).toEqual({ warningThreshold: null, criticalThreshold: 0.9, autoThreshold: null });
  });
});
