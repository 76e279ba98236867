// The demo's late-labels story, over GraphQL on the demo's database: credit-risk's loan
// outcomes come a month late, so when the partner channel degrades the model on day 10 the
// estimated AUC (CBPE, from the scores alone) falls and its monitor fires, while the
// measured AUC has no outcome to judge and its monitor never fires; and the daily traffic
// monitor judges each day against a band learned from the same weekday of past weeks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { silentLogger } from '../../src/log.js';
import { gqlOk, startTestServer, type TestServer } from '../helpers/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-store.js';

// a present that is not on a six-hour tick (a Monday: the last week holds a whole weekend)
const NOW = Date.parse('2024-05-20T10:37:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Math.floor(NOW / HOUR) * HOUR - 14 * DAY;
const iso = (t: number) => new Date(t).toISOString();

interface Evaluation {
  at: string;
  value: number | null;
  severity: string;
  warningThreshold: number | null;
  criticalThreshold: number | null;
}
interface MonitorRow {
  name: string;
  metric: string;
  autoThreshold: { lookback: string; seasonality: string; warningSigmas: number; criticalSigmas: number } | null;
  evaluations: Evaluation[];
}
interface AlertRow {
  severity: string;
  status: string;
  message: string;
  openedAt: string;
  monitor: { name: string; metric: string };
}

let dir: string;
let database: TestDatabase;
let server: TestServer;
let monitors: Record<string, MonitorRow>;
let alerts: AlertRow[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-demo-labels-'));
  database = await createTestDatabase(dir);
  await runDemo({ dbPath: database.db, reset: false, out: new PassThrough(), now: NOW, progress: false, log: silentLogger() });
  server = await startTestServer({ dir, database, now: NOW });
  const r = await gqlOk(server, `{
    monitors(model: "credit-risk") { name metric autoThreshold { lookback seasonality warningSigmas criticalSigmas }
      evaluations(limit: 1000) { at value severity warningThreshold criticalThreshold } }
    alerts(model: "credit-risk") { severity status message openedAt monitor { name metric } } }`);
  monitors = Object.fromEntries((r.monitors as MonitorRow[]).map((m) => [m.metric === 'PREDICTION_COUNT' ? 'traffic' : m.metric, m]));
  alerts = r.alerts;
}, 180_000); // a demo run: some 20 s alone, on PostgreSQL and a loaded machine several times that

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const byTime = (es: Evaluation[]) => [...es].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

describe('the demo: outcomes a month late', () => {
  it('the estimated-AUC monitor fires after the drift, days before any outcome of it arrives; the measured-AUC monitor never fires', () => {
    const estimated = alerts.filter((a) => a.monitor.metric === 'ESTIMATED_AUC');
    expect(estimated).toHaveLength(1);
    const firedAt = Date.parse(estimated[0]!.openedAt);
    // the partner channel opens on day 10: the estimate sees it within two days
    expect(firedAt).toBeGreaterThan(START + 10 * DAY);
    expect(firedAt).toBeLessThan(START + 12.5 * DAY);
    expect(estimated[0]).toMatchObject({ status: 'FIRING', severity: 'CRITICAL', message: expect.stringMatching(/^CRITICAL: estimated AUC on credit-risk is 0\.\d+ \(threshold 0\.7\)/) });
    // the measured AUC had nothing to judge: no outcome of the last 3 days has arrived
    expect(alerts.filter((a) => a.monitor.metric === 'AUC')).toEqual([]);
    const measured = monitors.AUC!.evaluations;
    expect(measured.length).toBeGreaterThan(50);
    expect(measured.every((e) => e.severity === 'NO_DATA')).toBe(true);
    // before the drift the estimate was calm, well above its warning threshold
    const calm = byTime(monitors.ESTIMATED_AUC!.evaluations).filter((e) => Date.parse(e.at) <= START + 10 * DAY);
    expect(calm.length).toBeGreaterThan(35);
    expect(calm.every((e) => e.severity === 'OK' && e.value! > 0.76)).toBe(true);
  });

  it('the estimate agrees with the measured AUC where outcomes exist, and drops alone where they do not', async () => {
    const q = `query($a: DateTime!, $b: DateTime!, $c: DateTime!, $d: DateTime!) { model(name: "credit-risk") {
      old: performance(from: $a, to: $b) { labeledCount auc estimated { sampleSize auc } }
      recent: performance(from: $c, to: $d) { labeledCount auc estimated { sampleSize auc } } } }`;
    // a week of the calm weeks before the story (outcomes in), and the last day (none yet)
    const to = Math.floor(NOW / HOUR) * HOUR;
    const r = await gqlOk(server, q, { a: iso(START - 27 * DAY), b: iso(START - 20 * DAY), c: iso(to - DAY), d: iso(to) });
    const { old, recent } = r.model;
    expect(old.labeledCount).toBeGreaterThan(10_000);
    expect(Math.abs(old.estimated.auc - old.auc)).toBeLessThan(0.03);
    expect(recent.labeledCount).toBe(0);
    expect(recent.auc).toBeNull();
    expect(recent.estimated.sampleSize).toBeGreaterThan(1000);
    expect(recent.estimated.auc).toBeLessThan(old.estimated.auc - 0.08);
  });

  it('the traffic monitor learns a weekly band: each day against the same weekday of past weeks', () => {
    const t = monitors.traffic!;
    expect(t.autoThreshold).toEqual({ lookback: '35d', seasonality: 'WEEKLY', warningSigmas: 6, criticalSigmas: 9 });
    const evs = byTime(t.evaluations);
    expect(evs).toHaveLength(14);
    // until five past weeks of the same weekday exist, it is NO_DATA, thresholds unset
    const learned = evs.filter((e) => e.severity !== 'NO_DATA');
    expect(learned.length).toBeGreaterThanOrEqual(6);
    for (const e of evs.filter((x) => x.severity === 'NO_DATA')) expect([e.warningThreshold, e.criticalThreshold]).toEqual([null, null]);
    // a calm week: nothing fires, and a day judging a Saturday or Sunday has a far lower band than a weekday's
    expect(learned.every((e) => e.severity === 'OK' && e.criticalThreshold! < e.warningThreshold! && e.warningThreshold! < e.value!)).toBe(true);
    const judgedDay = (e: Evaluation) => new Date(Date.parse(e.at) - DAY).getUTCDay();
    const weekend = learned.filter((e) => [0, 6].includes(judgedDay(e)));
    const weekday = learned.filter((e) => ![0, 6].includes(judgedDay(e)));
    expect(weekend.length).toBeGreaterThan(0);
    expect(weekday.length).toBeGreaterThan(0);
    expect(Math.max(...weekend.map((e) => e.warningThreshold!))).toBeLessThan(0.8 * Math.min(...weekday.map((e) => e.warningThreshold!)));
    // a weekday's band would page on every weekend: the weekends' values sit below it
    expect(Math.max(...weekend.map((e) => e.value!))).toBeLessThan(Math.min(...weekday.map((e) => e.criticalThreshold!)));
  });
});
