// Explanations through a running server (METRICS.md "Explanations"): each fixture's baseline
// and predictions sent with their attributions, then featureImportance and FeatureDrift.impact
// of every window of next.json, whole and narrowed to each of its segments, within 1e-9
// relative; and the health summary and a drift alert naming the feature's share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionShareText } from '../../src/domain/alerts/message.js';
import { run as compact } from '../../src/jobs/compact-stats.js';
import { gqlOk, startTestServer, type TestServer } from '../helpers/server.js';
import { FIXTURE_NAMES, fixtureJson, fixtureLines } from '../helpers/fixture-files.js';

const BATCH = 1000;
/** loading a fixture and compacting it: seconds alone, more on a machine shared with other suites */
const LOADING_MS = 180_000;
const IMPORTANCE = 'feature meanAbsAttribution share rank baselineMeanAbsAttribution baselineShare sampleSize';

type Importance = Record<string, number | null> & { feature: string };
interface NextWindow {
  from: string;
  to: string;
  featureImportance: Record<string, Record<string, number | null>>;
  impact: Record<string, number | null>;
}
interface NextJson {
  windows: NextWindow[];
  segments: Array<{ name: string; conditions: Array<Record<string, unknown>>; windows: NextWindow[] }>;
}

/** The fixture's model, baseline and predictions, each line with its attributions. */
async function loadWithAttributions(s: TestServer, fixture: string): Promise<string> {
  const model = fixtureJson(fixture, 'model.json');
  const baseAttrs = fixtureLines<{ attributions: Record<string, number> }>(fixture, 'baseline-attributions.ndjson');
  const rows = fixtureLines(fixture, 'baseline.ndjson').map((r, i) => ({ ...r, attributions: baseAttrs[i]!.attributions }));
  await gqlOk(s, `mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`, { input: model });
  const b = await gqlOk(s, `mutation($m: String!, $rows: [BaselineRowInput!]!) { setBaseline(model: $m, rows: $rows) { rowCount } }`, { m: model.name, rows });
  expect(b.setBaseline.rowCount).toBe(rows.length);
  const attrs = new Map(fixtureLines<{ eventId: string; attributions: Record<string, number> }>(fixture, 'attributions.ndjson').map((a) => [a.eventId, a.attributions]));
  const events = fixtureLines(fixture, 'events.ndjson').map((e) => ({ ...e, attributions: attrs.get(e.eventId)! }));
  for (let i = 0; i < events.length; i += BATCH) {
    const d = await gqlOk(s, `mutation($m: String!, $x: [PredictionInput!]!) { logPredictions(model: $m, predictions: $x) { accepted rejected errors { message } } }`, {
      m: model.name,
      x: events.slice(i, i + BATCH),
    });
    expect(d.logPredictions).toMatchObject({ accepted: Math.min(BATCH, events.length - i), rejected: 0 });
  }
  return model.name;
}

const worst = { relative: 0, compared: 0 };

function near(where: string, exp: number | null | undefined, got: number | null | undefined): string[] {
  if (exp === null || exp === undefined || got === null || got === undefined) return exp === got ? [] : [`${where}: expected ${exp}, got ${got}`];
  const rel = Math.abs(got - exp) / Math.abs(exp || 1);
  worst.relative = Math.max(worst.relative, rel);
  worst.compared++;
  return rel <= 1e-9 ? [] : [`${where}: expected ${exp}, got ${got}`];
}

/** Mismatches of one window's featureImportance and drift impact, read with `args` (segment). */
async function windowMismatches(s: TestServer, model: string, w: NextWindow, args: string): Promise<string[]> {
  const q = `query($m: String!, $from: DateTime!, $to: DateTime!) { model(name: $m) {
    featureImportance(from: $from, to: $to${args}) { ${IMPORTANCE} }
    drift(from: $from, to: $to${args}) { feature psi impact } } }`;
  const m = (await gqlOk(s, q, { m: model, from: w.from, to: w.to })).model;
  const where = `${args || 'model'} [${w.from}..${w.to})`;
  const out: string[] = [];
  // every feature of the model, in its order
  expect((m.featureImportance as Importance[]).map((f) => f.feature), where).toEqual(Object.keys(w.featureImportance));
  for (const f of m.featureImportance as Importance[]) {
    const exp = w.featureImportance[f.feature]!;
    for (const k of ['rank', 'sampleSize']) if (exp[k] !== f[k]) out.push(`${where} ${f.feature}.${k}: expected ${exp[k]}, got ${f[k]}`);
    for (const k of ['meanAbsAttribution', 'share', 'baselineMeanAbsAttribution', 'baselineShare']) out.push(...near(`${where} ${f.feature}.${k}`, exp[k], f[k]));
  }
  for (const d of m.drift as Array<{ feature: string; psi: number | null; impact: number | null }>) out.push(...near(`${where} impact.${d.feature}`, w.impact[d.feature], d.impact));
  return out;
}

describe('explanations through the running server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop(true);
  });

  it.each(FIXTURE_NAMES)('%s: featureImportance and impact of every window, from partials, then from hours and roll-ups', async (fixture) => {
    const next = fixtureJson<NextJson>(fixture, 'next.json');
    const model = await loadWithAttributions(server, fixture);
    const mismatches: string[] = [];
    for (const w of next.windows) mismatches.push(...(await windowMismatches(server, model, w, '')));
    // compacted long after: partials folded into hour rows, ended days and months rolled up
    const report = await compact(server.deps, Date.parse('2026-01-01T00:00:00Z'));
    expect(report.partials).toBeGreaterThan(0);
    expect(report.rollups).toBeGreaterThan(0);
    for (const w of next.windows) mismatches.push(...(await windowMismatches(server, model, w, '')));
    expect(mismatches).toEqual([]);
  }, LOADING_MS);

  it.each(FIXTURE_NAMES)('%s: the same narrowed to each segment of next.json (created after the events)', async (fixture) => {
    const next = fixtureJson<NextJson>(fixture, 'next.json');
    const model = fixtureJson(fixture, 'model.json').name;
    const mismatches: string[] = [];
    for (const seg of next.segments) {
      await gqlOk(server, `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { name } }`, { input: { model, name: seg.name, conditions: seg.conditions } });
      for (const w of seg.windows) mismatches.push(...(await windowMismatches(server, model, w, `, segment: ${JSON.stringify(seg.name)}`)));
    }
    expect(mismatches).toEqual([]);
  }, LOADING_MS);

  it('an unknown segment or version, or an empty window, is BAD_USER_INPUT naming the argument', async () => {
    const ask = async (args: string) => {
      const r = await server.gql(`{ model(name: "penguins") { featureImportance(${args}) { feature } } }`);
      return [r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.field];
    };
    const w = 'from: "2024-05-06T00:00:00Z", to: "2024-05-13T00:00:00Z"';
    expect(await ask(`${w}, segment: "nope"`)).toEqual(['BAD_USER_INPUT', 'segment']);
    expect(await ask(`${w}, version: "v9"`)).toEqual(['BAD_USER_INPUT', 'version']);
    expect(await ask('from: "2024-05-07T00:00:00Z", to: "2024-05-06T00:00:00Z"')).toEqual(['BAD_USER_INPUT', 'to']);
  });

  it('the health summary and a drift alert name the drifting feature with its share of the attribution', async () => {
    const to = Date.parse('2024-05-12T00:00:00Z');
    server.clock.set(to);
    const from = new Date(to - 24 * 3_600_000).toISOString();
    const q = `query($from: DateTime!, $to: DateTime!) { model(name: "penguins") { health { summary }
      drift(from: $from, to: $to) { feature psi } outputDrift(from: $from, to: $to) { psi }
      featureImportance(from: $from, to: $to) { feature baselineShare } } }`;
    const m = (await gqlOk(server, q, { from, to: new Date(to).toISOString() })).model;
    const share = new Map<string, number>((m.featureImportance as Importance[]).map((f) => [f.feature, f.baselineShare!]));
    const top = [...(m.drift as Array<{ feature: string; psi: number }>)].sort((a, b) => b.psi - a.psi)[0]!;
    // the fixture's window drifts most on a feature (not the output): the clause must be there
    expect(top.psi).toBeGreaterThan(m.outputDrift.psi);
    expect(m.health.summary).toContain(`worst drift: ${top.feature} (PSI ${top.psi.toFixed(2)}, ${attributionShareText(share.get(top.feature)!)})`);

    const mon = await gqlOk(
      server,
      `mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`,
      { input: { model: 'penguins', name: 'psi-top', metric: 'PSI', feature: top.feature, window: '24h', schedule: '0 * * * *', comparator: 'GT', warningThreshold: top.psi / 2, forEvaluations: 1 } },
    );
    await gqlOk(server, `mutation($id: ID!, $at: DateTime!) { evaluateMonitor(id: $id, at: $at) { severity } }`, { id: mon.createMonitor.id, at: new Date(to).toISOString() });
    const alerts = (await gqlOk(server, `{ model(name: "penguins") { alerts { message } } }`)).model.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toMatch(new RegExp(`^WARNING: PSI of ${top.feature} on penguins is .*; ${top.feature} carries ${attributionShareText(share.get(top.feature)!)}$`));
  });

  it('every float within 1e-9 relative of next.json', () => {
    console.log(`${worst.compared} floats compared; worst relative difference ${worst.relative.toExponential(2)}`);
    expect(worst.compared).toBeGreaterThan(300);
    expect(worst.relative).toBeLessThanOrEqual(1e-9);
  });
});
