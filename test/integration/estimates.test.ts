// CBPE through a running server (METRICS.md "Estimated performance without labels"): each
// fixture's labelled baseline and its predictions WITHOUT a single actual, then
// Performance.estimated of every window of next.json, whole (from partials, then from hour
// rows and roll-ups), narrowed to each segment, and as ESTIMATED_* series points; to
// METRICS.md's tolerances (1e-9 relative for the rates, 0.001 absolute for auc). Then a
// monitor on ESTIMATED_AUC, run by the scheduler's job, fires on drifted traffic with no
// actual at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as compact } from '../../src/jobs/compact-stats.js';
import { run as evaluateDue } from '../../src/jobs/evaluate-monitors.js';
import { gqlOk, startTestServer, type TestServer } from '../helpers/server.js';
import { estimatePerformance } from '../../src/domain/metrics/cbpe.js';
import { fitIsotonic } from '../../src/domain/metrics/isotonic.js';
import { FIXTURE_NAMES, fixtureJson, fixtureLines } from '../helpers/fixture-files.js';

const BATCH = 1000;
const HOUR = 3_600_000;
const ESTIMATED = 'sampleSize accuracy precision recall f1 auc';
const RATES = ['accuracy', 'precision', 'recall', 'f1'] as const;

type Estimated = { sampleSize: number; accuracy: number | null; precision: number | null; recall: number | null; f1: number | null; auc: number | null };
interface NextWindow {
  from: string;
  to: string;
  estimated: Estimated | null;
}
interface NextJson {
  calibration: { thresholds: number[]; values: number[] };
  windows: NextWindow[];
  segments: Array<{ name: string; conditions: Array<Record<string, unknown>>; windows: NextWindow[] }>;
}

async function logPredictions(s: TestServer, model: string, lines: Array<Record<string, unknown>>): Promise<void> {
  // some fixture lines carry their actual: left out, so that nothing is ever labelled
  const events = lines.map(({ actualLabel: _label, ...e }) => e);
  for (let i = 0; i < events.length; i += BATCH) {
    const d = await gqlOk(s, `mutation($m: String!, $x: [PredictionInput!]!) { logPredictions(model: $m, predictions: $x) { accepted rejected } }`, { m: model, x: events.slice(i, i + BATCH) });
    expect(d.logPredictions).toMatchObject({ accepted: Math.min(BATCH, events.length - i), rejected: 0 });
  }
}

/** The fixture's model, its labelled baseline and its predictions; no actual is ever sent. */
async function load(s: TestServer, fixture: string): Promise<string> {
  const model = fixtureJson(fixture, 'model.json');
  const rows = fixtureLines(fixture, 'baseline.ndjson');
  await gqlOk(s, `mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`, { input: model });
  await gqlOk(s, `mutation($m: String!, $rows: [BaselineRowInput!]!) { setBaseline(model: $m, rows: $rows) { rowCount } }`, { m: model.name, rows });
  await logPredictions(s, model.name, fixtureLines(fixture, 'events.ndjson'));
  return model.name;
}

const worst = { rate: 0, auc: 0, compared: 0 };

function mismatches(where: string, exp: Estimated | null, got: Estimated | null): string[] {
  if (exp === null || got === null) return exp === got ? [] : [`${where}: expected ${JSON.stringify(exp)}, got ${JSON.stringify(got)}`];
  const out: string[] = [];
  if (got.sampleSize !== exp.sampleSize) out.push(`${where}.sampleSize: expected ${exp.sampleSize}, got ${got.sampleSize}`);
  for (const k of RATES) {
    const e = exp[k];
    const g = got[k];
    if (e === null || g === null) {
      if (e !== g) out.push(`${where}.${k}: expected ${e}, got ${g}`);
      continue;
    }
    const rel = Math.abs(g - e) / Math.abs(e || 1);
    worst.rate = Math.max(worst.rate, rel);
    if (rel > 1e-9) out.push(`${where}.${k}: expected ${e}, got ${g}`);
  }
  if (exp.auc === null || got.auc === null) {
    if (exp.auc !== got.auc) out.push(`${where}.auc: expected ${exp.auc}, got ${got.auc}`);
  } else {
    worst.auc = Math.max(worst.auc, Math.abs(got.auc - exp.auc));
    if (Math.abs(got.auc - exp.auc) > 0.001) out.push(`${where}.auc: expected ${exp.auc}, got ${got.auc}`);
  }
  worst.compared++;
  return out;
}

/** Mismatches of one window's estimate, read with `args` (a segment): Performance.estimated and an ESTIMATED_AUC series point. */
async function windowMismatches(s: TestServer, model: string, w: NextWindow, args: string): Promise<string[]> {
  const q = `query($m: String!, $from: DateTime!, $to: DateTime!) { model(name: $m) {
    performance(from: $from, to: $to${args}) { labeledCount accuracy estimated { ${ESTIMATED} } } } }`;
  const p = (await gqlOk(s, q, { m: model, from: w.from, to: w.to })).model.performance;
  const where = `${args || 'model'} [${w.from}..${w.to})`;
  // no actual was sent: nothing measured, everything estimated
  expect([p.labeledCount, p.accuracy], where).toEqual([0, null]);
  return mismatches(where, w.estimated, p.estimated);
}

describe('estimated performance through the running server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop(true);
  });

  it.each(FIXTURE_NAMES)('%s: estimated of every window with no actual, from partials, then from hours and roll-ups', async (fixture) => {
    const next = fixtureJson<NextJson>(fixture, 'next.json');
    const model = await load(server, fixture);
    const out: string[] = [];
    for (const w of next.windows) out.push(...(await windowMismatches(server, model, w, '')));
    const report = await compact(server.deps, Date.parse('2026-01-01T00:00:00Z'));
    expect(report.partials).toBeGreaterThan(0);
    expect(report.rollups).toBeGreaterThan(0);
    for (const w of next.windows) out.push(...(await windowMismatches(server, model, w, '')));
    expect(out).toEqual([]);
  }, 180_000);

  it.each(FIXTURE_NAMES)('%s: the same narrowed to each segment (its own calibration, from its baseline rows)', async (fixture) => {
    const next = fixtureJson<NextJson>(fixture, 'next.json');
    const model = fixtureJson(fixture, 'model.json').name;
    const out: string[] = [];
    for (const seg of next.segments) {
      await gqlOk(server, `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { name } }`, { input: { model, name: seg.name, conditions: seg.conditions } });
      for (const w of seg.windows) out.push(...(await windowMismatches(server, model, w, `, segment: ${JSON.stringify(seg.name)}`)));
    }
    expect(out).toEqual([]);
  }, 120_000);

  it.each(FIXTURE_NAMES)('%s: ESTIMATED_* series points are the windows of the day', async (fixture) => {
    const next = fixtureJson<NextJson>(fixture, 'next.json');
    const model = fixtureJson(fixture, 'model.json').name;
    const w = next.windows[0]!;
    const out: string[] = [];
    for (const [metric, k] of [['ESTIMATED_ACCURACY', 'accuracy'], ['ESTIMATED_PRECISION', 'precision'], ['ESTIMATED_RECALL', 'recall'], ['ESTIMATED_F1', 'f1'], ['ESTIMATED_AUC', 'auc']] as const) {
      const q = `query($m: String!, $from: DateTime!, $to: DateTime!) { model(name: $m) { series(metric: ${metric}, from: $from, to: $to, granularity: DAY) { value sampleSize } } }`;
      const points = (await gqlOk(server, q, { m: model, from: w.from, to: w.to })).model.series as Array<{ value: number | null; sampleSize: number }>;
      // a window of whole days gives one point per day; the first window of each fixture is its first day or month
      const days = Math.round((Date.parse(w.to) - Date.parse(w.from)) / (24 * HOUR));
      expect(points).toHaveLength(days);
      if (days === 1) out.push(...mismatches(`series ${metric}`, w.estimated, { ...w.estimated!, [k]: points[0]!.value, sampleSize: points[0]!.sampleSize }));
      else expect(points.reduce((n, p) => n + p.sampleSize, 0)).toBe(w.estimated!.sampleSize);
    }
    expect(out).toEqual([]);
  });

  it('a monitor on ESTIMATED_AUC fires on drifted traffic that has no actual at all', async () => {
    // penguins is loaded: its traffic ends 2024-05-11T23:59; an hour of the same traffic, then an hour of drift
    const model = 'penguins';
    const normal = fixtureLines<Record<string, unknown>>('penguins', 'events.ndjson').slice(0, 40);
    const h1 = Date.parse('2024-05-13T10:00:00Z');
    await logPredictions(server, model, normal.map((e, i) => ({ ...e, eventId: `ok-${i}`, timestamp: new Date(h1 + i * 60_000).toISOString() })));
    // the drift: every score near the decision boundary, where the calibration cannot tell classes apart
    await logPredictions(server, model, normal.map((e, i) => ({ ...e, eventId: `drift-${i}`, score: 0.5 + (i % 5) * 1e-3, timestamp: new Date(h1 + HOUR + i * 60_000).toISOString() })));
    const created = await gqlOk(server, `mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`, {
      input: { model, name: 'estimated-auc', metric: 'ESTIMATED_AUC', window: '1h', schedule: '0 * * * *', comparator: 'LT', warningThreshold: 0.8, criticalThreshold: 0.6, forEvaluations: 1, minSampleSize: 20 },
    });
    const id = created.createMonitor.id;
    server.clock.set(h1 + HOUR);
    await evaluateDue(server.deps, h1 + HOUR);
    server.clock.set(h1 + 2 * HOUR);
    await evaluateDue(server.deps, h1 + 2 * HOUR);
    const m = (await gqlOk(server, `query($id: ID!) { monitor(id: $id) { evaluations { at severity value sampleSize } } }`, { id })).monitor;
    const byAt = new Map((m.evaluations as Array<{ at: string; severity: string; value: number; sampleSize: number }>).map((e) => [Date.parse(e.at), e]));
    expect(byAt.get(h1 + HOUR)).toMatchObject({ severity: 'OK', sampleSize: 40 });
    expect(byAt.get(h1 + HOUR)!.value).toBeGreaterThan(0.9);
    expect(byAt.get(h1 + 2 * HOUR)).toMatchObject({ severity: 'CRITICAL', sampleSize: 40 });
    expect(byAt.get(h1 + 2 * HOUR)!.value).toBeLessThan(0.6);
    const alerts = (await gqlOk(server, `{ model(name: "penguins") { alerts { severity message } } }`)).model.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'CRITICAL' });
    expect(alerts[0].message).toMatch(/^CRITICAL: estimated AUC on penguins is /);
    // and not one actual: the measured performance of those hours has nothing to say
    const p = (await gqlOk(server, `{ model(name: "penguins") { performance(from: "2024-05-13T10:00:00Z", to: "2024-05-13T12:00:00Z") { labeledCount auc } } }`)).model.performance;
    expect(p).toEqual({ labeledCount: 0, auc: null });
    // the health sentence says what the scores alone estimate over its last 24 hours, as such
    const day = { from: new Date(h1 + 2 * HOUR - 24 * HOUR).toISOString(), to: new Date(h1 + 2 * HOUR).toISOString() };
    const e = (await gqlOk(server, `query($from: DateTime!, $to: DateTime!) { model(name: "penguins") { performance(from: $from, to: $to) { labeledCount estimated { sampleSize accuracy auc } } } }`, day)).model.performance;
    expect(e.labeledCount).toBe(0);
    const health = (await gqlOk(server, `{ model(name: "penguins") { health { summary } } }`)).model.health.summary as string;
    expect(health).toContain(`no labelled events yet, estimated accuracy ${(e.estimated.accuracy * 100).toFixed(1)}%, AUC ${e.estimated.auc.toFixed(3)} (CBPE, n=${e.estimated.sampleSize})`);
  });

  it('the calibration is refit with every baseline (the model\'s, a version\'s), and applies to events stored before', async () => {
    await gqlOk(server, `mutation { createModel(input: { name: "bin", task: BINARY_CLASSIFICATION, positiveClass: "y", features: [{ name: "x", type: NUMERIC }] }) { name } }`);
    await gqlOk(server, `mutation { createModelVersion(input: { model: "bin", name: "v2", makeCurrent: false }) { name } }`);
    const t0 = Date.parse('2024-05-06T00:00:00Z');
    const scores = Array.from({ length: 40 }, (_, i) => (i + 0.5) / 40);
    const events = scores.map((score, i) => ({ eventId: `b-${i}`, timestamp: new Date(t0 + i * 60_000).toISOString(), features: { x: i }, score, ...(i % 2 ? { modelVersion: 'v2' } : {}) }));
    await logPredictions(server, 'bin', events);
    const baseScores = Array.from({ length: 30 }, (_, i) => i / 29);
    const baseline = (label: (s: number, i: number) => string) => baseScores.map((score, i) => ({ features: { x: i }, score, actualLabel: label(score, i) }));
    const read = async (args = '') =>
      (await gqlOk(server, `{ model(name: "bin") { performance(from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z"${args}) { estimated { ${ESTIMATED} } } } }`)).model.performance.estimated;
    const expected = (label: (s: number, i: number) => string, which: number[]) =>
      estimatePerformance(fitIsotonic(baseScores, baseScores.map((s, i) => (label(s, i) === 'y' ? 1 : 0)))!, 0.5, which.map((i) => scores[i]!));
    const all = scores.map((_, i) => i);
    const odd = all.filter((i) => i % 2 === 1);
    const setBaseline = (rows: unknown[], version?: string) =>
      version
        ? gqlOk(server, `mutation($rows: [BaselineRowInput!]!) { setVersionBaseline(model: "bin", version: "${version}", rows: $rows) { rowCount } }`, { rows })
        : gqlOk(server, `mutation($rows: [BaselineRowInput!]!) { setBaseline(model: "bin", rows: $rows) { rowCount } }`, { rows });

    // a baseline without actuals: no calibration, no estimate
    await setBaseline(baseScores.map((score, i) => ({ features: { x: i }, score })));
    expect(await read()).toBeNull();
    const sharp = (s: number) => (s > 0.6 ? 'y' : 'n');
    const noisy = (_: number, i: number) => (i % 3 === 0 ? 'y' : 'n');
    await setBaseline(baseline(sharp));
    expect(await read()).toEqual(expected(sharp, all));
    // the version's own baseline calibrates its events; the model keeps its own
    await setBaseline(baseline(noisy), 'v2');
    expect(await read(', version: "v2"')).toEqual(expected(noisy, odd));
    expect(await read()).toEqual(expected(sharp, all));
    // the model's baseline again, other actuals: its stored statistics are rebuilt (even after compaction)
    await compact(server.deps, Date.parse('2026-01-01T00:00:00Z'));
    await setBaseline(baseline(noisy));
    expect(await read()).toEqual(expected(noisy, all));
    await compact(server.deps, Date.parse('2026-01-01T00:00:00Z'));
    expect(await read()).toEqual(expected(noisy, all));
    expect(await read(', version: "v2"')).toEqual(expected(noisy, odd));
    expect(expected(noisy, all)).not.toEqual(expected(sharp, all));
  }, 180_000);

  it('a regression model, and a baseline without actuals, have no estimate', async () => {
    await gqlOk(server, `mutation { createModel(input: { name: "reg", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { name } }`);
    await gqlOk(server, `mutation { setBaseline(model: "reg", rows: [{ features: { x: 1 }, value: 2, actualValue: 2 }]) { rowCount } }`);
    await gqlOk(server, `mutation { createModel(input: { name: "unlabelled", task: BINARY_CLASSIFICATION, positiveClass: "y", features: [{ name: "x", type: NUMERIC }] }) { name } }`);
    await gqlOk(server, `mutation { setBaseline(model: "unlabelled", rows: [{ features: { x: 1 }, score: 0.7 }]) { rowCount } }`);
    for (const m of ['reg', 'unlabelled']) {
      const r = await gqlOk(server, `{ model(name: "${m}") { performance(from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z") { estimated { sampleSize } } } }`);
      expect(r.model.performance.estimated, m).toBeNull();
    }
    const bad = await server.gql(`{ model(name: "reg") { series(metric: ESTIMATED_AUC, from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z", granularity: DAY) { value } } }`);
    expect([bad.errors?.[0]?.extensions?.code, bad.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'metric']);
  });

  it('every estimate within METRICS.md tolerances of next.json', () => {
    console.log(`${worst.compared} estimates compared; worst relative rate difference ${worst.rate.toExponential(2)}, worst auc difference ${worst.auc.toExponential(2)}`);
    expect(worst.compared).toBeGreaterThan(40);
    expect(worst.rate).toBeLessThanOrEqual(1e-9);
    expect(worst.auc).toBeLessThanOrEqual(0.001);
  });
});
