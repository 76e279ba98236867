// Export from one server, apply to an empty one, export again: the same text. Secrets
// travel as ${VAR} references, filled by `glassbox apply` from its environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { applyFile, exportTo, type Io } from '../../src/cli/config.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apply, baseConfig, exported, HOOK_SECRET, HOOK_URL } from './support.js';

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestServer(), startTestServer()]);
  const extra = `  - model: credit-risk
    name: fairness
    metric: DISPARATE_IMPACT_RATIO
    attribute: gender
    window: 7d
    schedule: "30 6 * * 1"
    comparator: LT
    criticalThreshold: 0.8
    forEvaluations: 3
    repeatInterval: 2d
    enabled: false
  - model: credit-risk
    name: traffic-band
    metric: PREDICTION_COUNT
    window: 1h
    schedule: "0 * * * *"
    comparator: LT
    autoThreshold:
      lookback: 42d
      warningSigmas: 2
      criticalSigmas: 3.5
      seasonality: WEEKLY
  - { model: credit-risk, name: rich-women, metric: PREDICTION_COUNT, window: 1h, schedule: "0 * * * *", comparator: LT, warningThreshold: 1, version: v9, segment: rich-women }
versions:
  - { model: credit-risk, name: v9, description: "the first: v9 < v10 by age, not by name" }
  - { model: credit-risk, name: v10, makeCurrent: false }
  - { model: eta, name: "2026-11-30" }
segments:
  - { model: credit-risk, name: rich-women, conditions: [{ feature: income, gt: 100000, lte: 1e6 }, { feature: gender, in: [f, "x y"] }] }
  - { model: credit-risk, name: no-income, conditions: [{ feature: income, isMissing: true }] }
  - { model: eta, name: near, conditions: [{ feature: distance_km, lt: 2.5 }, { feature: "city name", isMissing: false }] }`;
  const more = `${baseConfig({ extraMonitor: extra })}`.replace(
    'models:\n',
    `models:\n  - name: eta\n    task: REGRESSION\n    retentionDays: 30\n    features:\n      - { name: distance_km, type: NUMERIC, min: 0, max: 500 }\n      - { name: "city name", type: CATEGORICAL }\n`,
  );
  const r = await apply(a, more);
  expect(r.errors).toEqual([]);
});
afterAll(async () => {
  await Promise.all([a.stop(true), b.stop(true)]);
});

function capture(): Io & { text: () => string } {
  let out = '';
  return { out: (t) => (out += t), err: (t) => (out += t), text: () => out };
}

describe('round trip', () => {
  it('export, apply to an empty server, export again: the same text', async () => {
    const first = await exported(a);
    expect(first).not.toContain(HOOK_SECRET);
    expect(first).not.toContain('hook-token-123');
    expect(first).toContain('webhookSecret: ${GLASSBOX_SECRET_ONCALL}');
    expect(first).toContain('webhookUrl: ${GLASSBOX_WEBHOOK_URL_ONCALL}');
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-rt-'));
    const file = join(dir, 'exported.yaml');
    writeFileSync(file, first);
    const env = { GLASSBOX_URL: b.url, GLASSBOX_WEBHOOK_URL_ONCALL: HOOK_URL, GLASSBOX_SECRET_ONCALL: HOOK_SECRET };
    const io = capture();
    await applyFile(env, io, file, {});
    expect(io.text()).toContain('Applied: 15 to create, 0 to update, 0 to delete.');
    expect(await exported(b)).toBe(first);
    // versions in the order they were made (not by name), each model's current one marked
    expect(first).toContain(
      '  - { model: credit-risk, name: v9, description: "the first: v9 < v10 by age, not by name", makeCurrent: true }\n  - { model: credit-risk, name: v10, makeCurrent: false }\n',
    );
    expect(first).toContain('    conditions:\n      - { feature: income, gt: 100000, lte: 1000000 }\n      - { feature: gender, in: [ f, x y ] }\n');
    const current = async (srv: TestServer) => (await srv.gql(`{ models { name currentVersion versions { name } segments { name } } }`)).data.models;
    expect(await current(b)).toEqual(await current(a));
    expect(first).toMatch(/autoThreshold:\n\s+lookback: 42d\n\s+warningSigmas: 2\n\s+criticalSigmas: 3.5\n\s+seasonality: WEEKLY/);
    const band = (await b.deps.store.monitors.list({ modelName: 'credit-risk' })).find((m) => m.name === 'traffic-band')!;
    expect(band).toMatchObject({ warningThreshold: null, criticalThreshold: null, autoThreshold: { lookback: '42d', lookbackMs: 42 * 86_400_000, warningSigmas: 2, criticalSigmas: 3.5, seasonality: 'WEEKLY' } });
    // the secret arrived as it was: the same channel on both servers
    const rows = async (srv: TestServer) => (await srv.deps.store.channels.list()).map(({ id: _id, createdAt: _at, ...values }) => values);
    expect(await rows(b)).toEqual(await rows(a));
    // and the exported file changes nothing where it came from
    const again = capture();
    await applyFile({ ...env, GLASSBOX_URL: a.url }, again, file, {});
    expect(again.text()).toBe('No changes: 0 to create, 0 to update, 0 to delete.\n');
  });

  it('exports one model with the channels its monitors use', async () => {
    const io = capture();
    await exportTo({ GLASSBOX_URL: a.url }, io, ['eta']);
    expect(io.text()).toContain('  - name: eta\n    task: REGRESSION\n    retentionDays: 30\n');
    expect(io.text()).not.toContain('credit-risk');
    expect(io.text()).toContain('channels: []');
    const r = await a.gql(`{ exportConfig(models: ["nope"]) }`);
    expect(r.errors![0].message).toBe('models[0]: no model named "nope"');
  });
});
