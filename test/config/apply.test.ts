// applyConfig over a real server: create, re-apply (nothing), edit (exactly the edits,
// ids, evaluations and alerts kept), dry run, prune, model deletion, the refusal to
// change a model's features or task; versions (the current one moved) and segments
// (redefined with their statistics rebuilt, pruned with the monitors narrowed to them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import { apply, baseConfig, exported, lines } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop(true);
});

const monitorIds = async () => {
  const r = await s.gql(`{ monitors(model: "credit-risk") { id name evaluations { at } openAlert { id } channels { name } } }`);
  return Object.fromEntries(r.data.monitors.map((m: any) => [m.name, m]));
};

describe('applyConfig', () => {
  it('creates everything a file names, in one go', async () => {
    const { result, errors } = await apply(s, baseConfig());
    expect(errors).toEqual([]);
    expect(lines(result!)).toEqual(['+ model credit-risk', '+ channel ml-team', '+ channel oncall', '+ monitor credit-risk/income-psi', '+ monitor credit-risk/traffic']);
    expect(result!.summary).toBe('5 to create, 0 to update, 0 to delete');
    const m = await monitorIds();
    expect(m['income-psi'].channels).toEqual([{ name: 'oncall' }]);
    const audit = await s.gql(`{ auditLog(limit: 10) { action target } }`);
    expect(audit.data.auditLog.map((e: any) => e.action)).toEqual(expect.arrayContaining(['applyConfig', 'createModel', 'createChannel', 'createMonitor']));
    expect(JSON.stringify(audit.body)).not.toContain('hook-token-123');
    expect(JSON.stringify(audit.body)).not.toContain('signing-secret-4242');
  });

  it('applying the same file again changes nothing', async () => {
    const before = await s.gql(`{ auditLog(limit: 1) { at action } }`);
    const { result } = await apply(s, baseConfig());
    expect(result).toEqual({ dryRun: false, summary: '0 to create, 0 to update, 0 to delete', changes: [] });
    expect((await s.gql(`{ auditLog(limit: 1) { at action } }`)).data).toEqual(before.data);
  });

  it('an edit plans exactly the edits, and keeps the monitor, its evaluations and its open alert', async () => {
    const before = await monitorIds();
    // no traffic: 0 predictions < 10 is CRITICAL, an alert opens
    await s.gql(`mutation($id: ID!) { evaluateMonitor(id: $id, at: "${new Date(T0).toISOString()}") { severity } }`, { id: before.traffic.id });
    const open = (await monitorIds()).traffic.openAlert;
    expect(open).not.toBeNull();
    const edited = baseConfig().replace('criticalThreshold: 10', 'criticalThreshold: 5').replace('channels: [ml-team]', 'channels: [ml-team, oncall]').replace('description: scores loan applicants', 'description: scores applicants');
    const dry = await apply(s, edited, { dryRun: true });
    expect(lines(dry.result!)).toEqual(['~ model credit-risk  description: "scores loan applicants" -> "scores applicants"', '~ monitor credit-risk/traffic  criticalThreshold: 10 -> 5; channels: [ml-team] -> [ml-team, oncall]']);
    expect(dry.result!.dryRun).toBe(true);
    expect((await monitorIds()).traffic.channels).toEqual([{ name: 'ml-team' }]);
    const { result } = await apply(s, edited);
    expect(result!.summary).toBe('0 to create, 2 to update, 0 to delete');
    const after = await monitorIds();
    expect(after.traffic.id).toBe(before.traffic.id);
    expect(after.traffic.openAlert).toEqual(open);
    expect(after.traffic.evaluations).toHaveLength(1);
    expect(after.traffic.channels).toEqual([{ name: 'ml-team' }, { name: 'oncall' }]);
    expect((await apply(s, edited)).result!.changes).toEqual([]);
    // and back: the file is the truth
    expect((await apply(s, baseConfig())).result!.summary).toBe('0 to create, 2 to update, 0 to delete');
  });

  it('sets and clears a model\'s own retention; left out, it stays', async () => {
    const withRetention = baseConfig().replace('    description: scores loan applicants\n', '    description: scores loan applicants\n    retentionDays: 90\n');
    expect(lines((await apply(s, withRetention)).result!)).toEqual(['~ model credit-risk  retentionDays: (none) -> 90']);
    expect((await s.gql(`{ model(name: "credit-risk") { storage { retentionDays } } }`)).data.model.storage.retentionDays).toBe(90);
    expect((await apply(s, baseConfig())).result!.changes).toEqual([]);
    const cleared = baseConfig().replace('    description: scores loan applicants\n', '    description: scores loan applicants\n    retentionDays: null\n');
    expect(lines((await apply(s, cleared)).result!)).toEqual(['~ model credit-risk  retentionDays: 90 -> (none)']);
    const bad = await apply(s, baseConfig().replace('    description: scores loan applicants\n', '    retentionDays: -1\n'));
    expect(bad.errors[1]).toMatch(/^models\[0\]\.retentionDays: must be a whole number of days from 0 \(keep forever\) to \d+, got -1$/);
  });

  it('a changed webhook URL or secret is planned without showing either', async () => {
    const edited = baseConfig().replace('token=hook-token-123', 'token=other-token-999');
    const { result } = await apply(s, edited, { dryRun: true });
    expect(lines(result!)).toContain('~ channel oncall  webhookUrl: (changed)');
    expect(JSON.stringify(result)).not.toMatch(/token/);
  });

  it('without --prune nothing the file leaves out is deleted; with it, monitors and channels go', async () => {
    const smaller = baseConfig({ auc: '', channels: `  - { name: oncall, kind: WEBHOOK, webhookUrl: "https://hooks.example.com/glassbox/T0?token=hook-token-123", webhookSecret: "signing-secret-4242" }` });
    expect((await apply(s, smaller)).result!.changes).toEqual([]);
    const dry = await apply(s, smaller, { prune: true, dryRun: true });
    expect(lines(dry.result!)).toEqual(['- channel ml-team', '- monitor credit-risk/traffic']);
    const { result } = await apply(s, smaller, { prune: true });
    expect(result!.summary).toBe('0 to create, 0 to update, 2 to delete');
    expect(Object.keys(await monitorIds())).toEqual(['income-psi']);
    expect((await s.gql(`{ channels { name } }`)).data.channels).toEqual([{ name: 'oncall' }]);
    expect((await apply(s, smaller, { prune: true })).result!.changes).toEqual([]);
  });

  it('prune keeps what monitors of models outside the file use', async () => {
    await s.gql(`mutation { createModel(input: { name: "other", task: REGRESSION, features: [{ name: "x", type: NUMERIC }] }) { id } }`);
    await s.gql(`mutation { createChannel(input: { name: "other-team", kind: SLACK, slackChannel: "#other" }) { id } }`);
    await s.gql(`mutation { createMonitor(input: { model: "other", name: "volume", metric: PREDICTION_COUNT, window: "1h", schedule: "0 * * * *", comparator: LT, warningThreshold: 1, channels: ["other-team"] }) { id } }`);
    const file = baseConfig({ auc: '', channels: `  - { name: oncall, kind: WEBHOOK, webhookUrl: "https://hooks.example.com/glassbox/T0?token=hook-token-123", webhookSecret: "signing-secret-4242" }` });
    expect((await apply(s, file, { prune: true })).result!.changes).toEqual([]);
    expect((await s.gql(`{ monitors(model: "other") { name } }`)).data.monitors).toEqual([{ name: 'volume' }]);
  });

  it('refuses to change a model\'s features or task, naming the model, and changes nothing', async () => {
    const before = await exported(s);
    const features = baseConfig({ model: `    features:\n      - { name: income, type: NUMERIC, min: 0 }\n      - { name: gender, type: CATEGORICAL, protected: true }\n      - { name: age, type: NUMERIC }` });
    const r = await apply(s, features);
    expect(r.result).toBeNull();
    expect(r.errors[0]).toBe('the configuration has 1 error; nothing was changed');
    expect(r.errors[1]).toMatch(/^models\[0\]: model credit-risk cannot change its features added: age/);
    const task = baseConfig().replace('task: BINARY_CLASSIFICATION', 'task: REGRESSION').replace('    positiveClass: default\n', '');
    const t = await apply(s, task);
    expect(t.errors[1]).toMatch(/^models\[0\]: model credit-risk cannot change its task BINARY_CLASSIFICATION -> REGRESSION; positiveClass default -> \(none\)/);
    expect(await exported(s)).toBe(before);
  });

  it('deletes a model the file marks delete: true, with its monitors', async () => {
    const r = await apply(s, `models:\n  - { name: other, delete: true }\n`, { dryRun: true });
    expect(lines(r.result!)).toEqual(['- model other  with its 1 monitor, events, baseline, statistics and alerts']);
    await apply(s, `models:\n  - { name: other, delete: true }\n`);
    expect((await s.gql(`{ model(name: "other") { name } }`)).data.model).toBeNull();
    expect((await apply(s, `models:\n  - { name: other, delete: true }\n`)).result!.changes).toEqual([]);
  });

  it('deletes a model and, with --prune, the channel only its monitors used, in one go', async () => {
    await apply(s, `models:\n  - { name: tmp, task: REGRESSION, features: [{ name: x, type: NUMERIC }] }\nchannels:\n  - { name: tmp-team, kind: SLACK, slackChannel: "#tmp" }\nmonitors:\n  - { model: tmp, name: v, metric: PREDICTION_COUNT, window: 1h, schedule: "0 * * * *", comparator: LT, warningThreshold: 1, channels: [tmp-team] }\n`);
    const file = baseConfig({ auc: '', channels: `  - { name: oncall, kind: WEBHOOK, webhookUrl: "https://hooks.example.com/glassbox/T0?token=hook-token-123", webhookSecret: "signing-secret-4242" }` }).replace('models:\n', 'models:\n  - { name: tmp, delete: true }\n');
    const r = await apply(s, file, { prune: true });
    expect(r.errors).toEqual([]);
    expect(lines(r.result!)).toEqual(['- model tmp  with its 1 monitor, events, baseline, statistics and alerts', '- channel other-team', '- channel tmp-team']);
    expect((await s.gql(`{ channels { name } }`)).data.channels).toEqual([{ name: 'oncall' }]);
  });
});

// the base file with versions, segments and a monitor narrowed to both
const scoped = (o: { versions?: string; segments?: string; monitor?: boolean } = {}) =>
  baseConfig({ auc: '', channels: `  - { name: oncall, kind: WEBHOOK, webhookUrl: "https://hooks.example.com/glassbox/T0?token=hook-token-123", webhookSecret: "signing-secret-4242" }` }) +
  `${o.monitor === false ? '' : `  - { model: credit-risk, name: rich-traffic, metric: PREDICTION_COUNT, window: 1h, schedule: "0 * * * *", comparator: LT, warningThreshold: 1, version: v1, segment: high-income }\n`}` +
  `versions:\n${o.versions ?? '  - { model: credit-risk, name: v1, description: as trained }\n  - { model: credit-risk, name: v2 }\n'}` +
  `segments:\n${o.segments ?? '  - { model: credit-risk, name: high-income, conditions: [{ feature: income, gte: 100000 }] }\n'}`;

const scopeState = async () => {
  const r = await s.gql(`{ model(name: "credit-risk") { currentVersion versions { name description } segments { name conditions { feature gte } } } }`);
  return r.data.model;
};
const richCount = async () => {
  const r = await s.gql(`{ model(name: "credit-risk") { traffic(from: "${new Date(T0 - 3_600_000).toISOString()}", to: "${new Date(T0 + 3_600_000).toISOString()}", segment: "high-income") { predictionCount } } }`);
  return r.data.model.traffic.predictionCount as number;
};

describe('applyConfig: versions and segments', () => {
  it('creates them before the monitors narrowed to them; the last new version becomes current', async () => {
    const incomes = [20_000, 60_000, 120_000, 150_000];
    const predictions = incomes.map((income, i) => ({ eventId: `e${i}`, timestamp: new Date(T0 - 60_000).toISOString(), features: { income, gender: 'f' }, score: 0.3 }));
    const logged = await s.gql(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted } }`, { p: predictions });
    expect(logged.data.logPredictions.accepted).toBe(4);
    const { result, errors } = await apply(s, scoped());
    expect(errors).toEqual([]);
    expect(lines(result!)).toEqual(['+ version credit-risk/v1', '+ version credit-risk/v2  current version: (none) -> "v2"', '+ segment credit-risk/high-income', '+ monitor credit-risk/rich-traffic']);
    expect(await scopeState()).toEqual({
      currentVersion: 'v2',
      versions: [{ name: 'v1', description: 'as trained' }, { name: 'v2', description: null }],
      segments: [{ name: 'high-income', conditions: [{ feature: 'income', gte: 100000 }] }],
    });
    // the segment's statistics were built from the events stored before it
    expect(await richCount()).toBe(2);
    const audit = await s.gql(`{ auditLog(limit: 6) { action } }`);
    expect(audit.data.auditLog.map((e: any) => e.action)).toEqual(expect.arrayContaining(['createModelVersion', 'createSegment']));
    expect((await apply(s, scoped())).result).toEqual({ dryRun: false, summary: '0 to create, 0 to update, 0 to delete', changes: [] });
  });

  it('an edit moves the current version and redefines a segment in place, its statistics rebuilt', async () => {
    const monitorId = (await monitorIds())['rich-traffic'].id;
    const edited = scoped({
      versions: '  - { model: credit-risk, name: v1, description: as trained, makeCurrent: true }\n  - { model: credit-risk, name: v2 }\n',
      segments: '  - { model: credit-risk, name: high-income, conditions: [{ feature: income, gte: 50000 }] }\n',
    });
    const dry = await apply(s, edited, { dryRun: true });
    expect(lines(dry.result!)).toEqual([
      '~ version credit-risk/v1  current version: "v2" -> "v1"',
      '~ segment credit-risk/high-income  conditions: income >= 100000 -> income >= 50000; its statistics are rebuilt from the stored events',
    ]);
    expect((await scopeState()).currentVersion).toBe('v2');
    expect((await apply(s, edited)).result!.summary).toBe('0 to create, 2 to update, 0 to delete');
    expect(await scopeState()).toMatchObject({ currentVersion: 'v1', segments: [{ name: 'high-income', conditions: [{ feature: 'income', gte: 50000 }] }] });
    expect(await richCount()).toBe(3);
    // the monitor narrowed to it is the same one, still narrowed to it
    const m = await s.gql(`query($id: ID!) { monitor(id: $id) { name segment version } }`, { id: monitorId });
    expect(m.data.monitor).toEqual({ name: 'rich-traffic', segment: 'high-income', version: 'v1' });
    expect((await apply(s, edited)).result!.changes).toEqual([]);
  });

  it('refuses what the API cannot change: a version\'s description, two current versions, the current one made not current', async () => {
    const before = await exported(s);
    const r = await apply(
      s,
      scoped({
        versions: '  - { model: credit-risk, name: v1, description: retrained, makeCurrent: false }\n  - { model: credit-risk, name: v2, makeCurrent: true }\n  - { model: credit-risk, name: v3, makeCurrent: true }\n',
      }),
    );
    expect(r.errors.slice(1)).toEqual([
      'versions[0].description: version credit-risk/v1 has description "as trained"; a version\'s description never changes (no mutation updates it)',
      'versions[2].makeCurrent: only one version of model credit-risk can be current; versions[1] is made current too',
    ]);
    const notCurrent = await apply(s, scoped({ versions: '  - { model: credit-risk, name: v1, makeCurrent: false }\n' }));
    expect(notCurrent.errors.slice(1)).toEqual(['versions[0].makeCurrent: version credit-risk/v1 is the model\'s current version; make another one current (makeCurrent: true) to replace it']);
    expect(await exported(s)).toBe(before);
  });

  it('prunes a segment with the monitor narrowed to it, never a version', async () => {
    const kept = scoped({ segments: '  []\n', versions: '  []\n' });
    const refused = await apply(s, kept, { prune: true });
    expect(refused.errors.slice(1)).toEqual(['monitors[1].segment: segment credit-risk/high-income is deleted by --prune (this file\'s segments do not name it)']);
    const file = scoped({ segments: '  []\n', versions: '  []\n', monitor: false });
    const dry = await apply(s, file, { prune: true, dryRun: true });
    expect(lines(dry.result!)).toEqual(['- segment credit-risk/high-income', '- monitor credit-risk/rich-traffic']);
    expect(dry.result!.summary).toBe('0 to create, 0 to update, 2 to delete; 2 versions not in the file kept (versions are never deleted): credit-risk/v1, credit-risk/v2');
    expect((await apply(s, file, { prune: true })).errors).toEqual([]);
    expect(await scopeState()).toMatchObject({ currentVersion: 'v1', segments: [] });
    expect((await scopeState()).versions).toHaveLength(2);
    expect(Object.keys(await monitorIds())).toEqual(['income-psi']);
    expect((await apply(s, file, { prune: true })).result!.changes).toEqual([]);
  });
});
