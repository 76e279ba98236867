// applyConfig over a real server: create, re-apply (nothing), edit (exactly the edits,
// ids, evaluations and alerts kept), dry run, prune, model deletion, and the refusal to
// change a model's features or task.
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
