// A file with problems changes nothing, and says every problem at its path in the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { apply, baseConfig, exported } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  expect((await apply(s, baseConfig())).errors).toEqual([]);
});
afterAll(async () => {
  await s.stop(true);
});

const BAD = `
models:
  - name: Bad Name
    task: REGRESSION
    features: [{ name: x, type: NUMERIC }]
  - name: m2
    task: NOPE
    features: [{ name: x, type: NUMERIC, bogus: 1 }]
  - { name: gone, delete: true, task: REGRESSION }
channels:
  - { name: hook, kind: WEBHOOK, webhookUrl: "\${HOOK_URL}" }
  - { name: new-team, kind: SLACK, slackChannel: "#new-team" }
monitors:
  - { model: credit-risk, name: a, metric: PSI, feature: income, window: 7x, schedule: "0 * * * *", comparator: GT, warningThreshold: 0.1, channels: [new-team] }
  - { model: credit-risk, name: b, metric: PSI, feature: nope, window: 1h, schedule: "0 * * * *", comparator: GT, warningThreshold: 0.1, channels: [ghost] }
  - { model: credit-risk, name: c, metric: PSI, feature: income, window: 1h, schedule: "bad cron", comparator: GT, warningThreshold: 0.1 }
  - { model: credit-risk, name: a, metric: PSI, feature: income, window: 1h, schedule: "0 * * * *", comparator: GT, warningThreshold: 0.1 }
  - { model: ghost, name: d, metric: PSI, window: 1h, schedule: "0 * * * *", comparator: GT }
  - { model: credit-risk, name: e, metric: PSI, feature: income, window: 1h, schedule: "0 * * * *", comparator: GT, warningThreshold: 0.5, criticalThreshold: 0.2 }
  - { model: credit-risk, name: income-psi, metric: KS_STATISTIC, feature: income, window: 1h, schedule: "0 * * * *", comparator: GT, warningThreshold: 0.5 }
  - { model: credit-risk, name: f, metric: PSI, feature: income, schedule: "0 * * * *", comparator: SOMETIMES, warningThreshold: "high" }
  - just a string
  - { model: credit-risk, name: g, metric: PREDICTION_COUNT, window: 1h, schedule: "0 * * * *", comparator: LT, warningThreshold: 1, segment: nowhere, version: v9 }
segments:
  - { model: credit-risk, name: high-income, conditions: [{ feature: income, gte: 100000 }] }
  - { model: credit-risk, name: bad, conditions: [{ feature: income, gte: "high" }] }
  - { model: credit-risk, name: women, conditions: [{ feature: gender, gte: 1 }] }
  - { model: credit-risk, name: high-income, conditions: [{ feature: income, gte: 1 }] }
  - { model: ghost, name: x, conditions: [{ feature: x, in: [a] }] }
  - { model: credit-risk, name: empty, conditions: [] }
versions:
  - { model: credit-risk, name: v2 }
  - { model: credit-risk, name: "V 3" }
  - { model: credit-risk, name: v4, color: red }
`;

describe('a bad file', () => {
  it('is refused whole, with every problem at its path, in the order of the file', async () => {
    const before = await exported(s);
    const r = await apply(s, BAD);
    expect(r.result).toBeNull();
    expect(r.errors[0]).toBe(`the configuration has ${r.errors.length - 1} errors; nothing was changed`);
    expect(r.errors.slice(1)).toEqual([
      `models[0].name: "Bad Name" is not a valid model name: use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit`,
      'models[1].features[0].bogus: is not a field here (a typo?)',
      'models[1].task: must be one of BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION, REGRESSION',
      'models[2].task: a model with delete: true takes only its name',
      `versions[1].name: "V 3" is not a valid version name: use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit`,
      'versions[2].color: is not a field here (a typo?)',
      'segments[1].conditions[0].gte: must be a number',
      'segments[2].conditions[0].gte: "gender" is CATEGORICAL: numeric bounds apply to NUMERIC features; list its values with in',
      'segments[3].name: segment "credit-risk/high-income" is already defined at segments[0]',
      'segments[4].model: no model named "ghost", neither in this file nor on the server',
      'segments[5].conditions: a segment needs at least one condition',
      'channels[0].webhookUrl: ${HOOK_URL} was not replaced: glassbox apply fills ${VAR} from its own environment (set HOOK_URL there); the server never substitutes',
      'monitors[0].window: "7x" is not a duration; write a whole number and a unit: 30m, 1h, 24h, 7d',
      'monitors[1].channels[0]: no channel named "ghost", neither in this file\'s channels nor on the server',
      'monitors[1].feature: model credit-risk has no feature "nope" (it has income, gender)',
      'monitors[2].schedule: "bad cron" is not a valid cron expression (5 or 6 fields, UTC): expected 5 or 6 fields but got 2',
      'monitors[3].name: monitor "credit-risk/a" is already defined at monitors[0]',
      'monitors[4].model: no model named "ghost", neither in this file nor on the server',
      'monitors[5].warningThreshold: with GT the warning (0.5) must be below the critical threshold (0.2)',
      'monitors[6].metric: monitor credit-risk/income-psi has metric "PSI"; a monitor\'s metric, feature and attribute never change (its evaluations and alert would mean something else): give it another name',
      'monitors[7].comparator: must be one of GT, GTE, LT, LTE',
      'monitors[7].warningThreshold: must be a number',
      'monitors[7].window: is required',
      'monitors[8]: must be a map',
      'monitors[9].version: model credit-risk has no version named "v9", neither in this file\'s versions nor on the server',
    ]);
    expect(r.fields.slice(0, 3)).toEqual(['models[0].name', 'models[1].features[0].bogus', 'models[1].task']);
    expect(await exported(s)).toBe(before);
  });

  it('strings in a file are bounded as the inputs they stand for', async () => {
    const long = 'n'.repeat(65);
    const r = await apply(s, `channels:\n  - { name: ${long}, kind: SLACK, slackChannel: "#x" }\nmonitors:\n  - { model: credit-risk, name: x, metric: PSI, feature: income, window: 1h, schedule: "0 * * * *", comparator: GT, warningThreshold: 1, repeatInterval: "${'1'.repeat(300)}" }\n`);
    expect(r.errors.slice(1)).toEqual(['channels[0].name: must be at most 64 characters, got 65', 'monitors[0].repeatInterval: must be at most 256 characters, got 300']);
  });

  it('a YAML syntax error says where', async () => {
    const r = await apply(s, 'models:\n  - name: x\n    task: [REGRESSION\n');
    expect(r.errors[1]).toMatch(/at line \d+, column \d+$/);
  });

  it('anything but a map of lists is refused', async () => {
    expect((await apply(s, '- a\n- b\n')).errors[1]).toBe('the file must be a map of models, versions, segments, channels and monitors');
    expect((await apply(s, 'monitor: []\n')).errors[1]).toBe('monitor: is not a field here (a typo?)');
    expect((await apply(s, 'monitors: {}\n')).errors[1]).toBe('monitors: must be a list');
  });

  it('a monitor of a model this file deletes is refused', async () => {
    const r = await apply(s, `models:\n  - { name: credit-risk, delete: true }\n${baseConfig().slice(baseConfig().indexOf('monitors:'))}`);
    expect(r.errors.slice(1)).toEqual([
      'monitors[0].model: model credit-risk is deleted by this file (delete: true)',
      'monitors[1].model: model credit-risk is deleted by this file (delete: true)',
    ]);
  });

  it('needs an EDITOR', async () => {
    const admin = 'bad-files-admin-key-0123456789';
    const t = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: admin } });
    try {
      const k = await t.gql(`mutation { createApiKey(name: "v", role: VIEWER) { secret } }`, {}, admin);
      const r = await t.gql(`mutation($y: String!) { applyConfig(yaml: $y) { summary } }`, { y: baseConfig() }, k.data.createApiKey.secret);
      expect(r.errors![0].extensions.code).toBe('FORBIDDEN');
      const e = await t.gql(`{ exportConfig }`, {}, k.data.createApiKey.secret);
      expect(e.errors).toBeUndefined();
    } finally {
      await t.stop(true);
    }
  });
});
