// /glassbox compare and /glassbox why through signed requests to a real server, on models
// whose versions and attributions arrive through GraphQL as users send them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_MODEL, creditRiskModel } from '../helpers/factories.js';
import { HOUR, iso, startSlackWorld, type SlackWorld } from './support.js';

let w: SlackWorld;
const blocksText = (c: { args: Record<string, any> }) => `${c.args.text}\n${JSON.stringify(c.args.blocks ?? [])}`;

beforeAll(async () => {
  w = await startSlackWorld();
  const now = w.s.clock.now();
  await w.gqlOk(CREATE_MODEL, { input: creditRiskModel() });
  // income matters to the model (large attributions), region hardly at all
  const rows = Array.from({ length: 200 }, (_, i) => ({
    features: { income: (i % 100) + 0.5, region: ['north', 'south'][i % 2] },
    score: ((i * 37) % 100) / 100,
    attributions: { income: i % 2 ? 0.8 : -0.8, region: 0.01 },
  }));
  await w.gqlOk(`mutation($rows: [BaselineRowInput!]!) { setBaseline(model: "credit-risk", rows: $rows) { rowCount } }`, { rows });
  for (const name of ['v1', 'v2']) {
    await w.gqlOk(`mutation($n: String!) { createModelVersion(input: { model: "credit-risk", name: $n }) { name } }`, { n: name });
  }
  // v1 right on every event, v2 wrong on half; region shifts entirely (a new value) in both, income only a little
  const predictions = Array.from({ length: 80 }, (_, i) => {
    const v = i % 2 ? 'v2' : 'v1';
    const actualLabel = i % 4 < 2 ? 'default' : 'ok';
    const right = v === 'v1' || i % 4 === 1;
    const score = (actualLabel === 'default') === right ? 0.9 : 0.1;
    return { eventId: `e${i}`, timestamp: iso(now - HOUR + i * 1000), modelVersion: v, features: { income: (i % 100) + 10, region: 'west' }, score, actualLabel, attributions: { income: 0.5, region: 0.02 } };
  });
  await w.gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted } }`, { p: predictions });
});
afterAll(async () => {
  await w?.stop();
});

describe('/glassbox compare', () => {
  it('shows two versions side by side, each on its own traffic', async () => {
    const { respond } = await w.command('compare credit-risk v1 v2 24h');
    const t = blocksText(await respond());
    expect(t).toContain('credit-risk: v1 vs v2, last 24h');
    expect(t).toContain('Events: v1 40 (40 labelled) · v2 40 (40 labelled)');
    expect(t).toContain('*accuracy* v1 100.0% · v2 50.0% (−50.0%)');
  });

  it('names an unknown version', async () => {
    const res = await w.command('compare credit-risk v1 v9');
    const t = res.body + (res.status === 200 && !res.body.includes('v9') ? blocksText(await res.respond()) : '');
    expect(t).toContain('v9');
  });
});

describe('/glassbox why', () => {
  it('puts the feature the model relies on first, with its share of the attribution', async () => {
    const { respond } = await w.command('why credit-risk 24h');
    const t = blocksText(await respond());
    expect(t).toContain('Why credit-risk moves, last 24h');
    // region's PSI is larger, but income carries ~99% of the baseline's attribution
    const income = t.indexOf('income* drifts');
    const region = t.indexOf('region* drifts');
    expect(income).toBeGreaterThan(-1);
    expect(region).toBeGreaterThan(income);
    expect(t).toMatch(/income\* drifts, PSI [\d.]+, 99% of the model's attribution/);
  });
});
