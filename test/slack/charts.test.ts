// Charts in Slack: drift, performance and status answers are followed by a PNG of the metric
// over time, uploaded with the external upload flow into the conversation. Signed requests to
// the real server; the fake Slack serves the upload URL and keeps the bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngSize } from '../../src/charts/png.js';
import { formatDecimal } from '../../src/slack/blocks/format.js';
import { CREATE_MODEL, creditRiskModel } from '../helpers/factories.js';
import type { SlackCall } from '../helpers/fake-slack.js';
import { HOUR, iso, seedCreditRisk, startSlackWorld, type SlackWorld } from './support.js';
import { writeSlackAnswerImage } from './slack-answer-image.js';

let w: SlackWorld;
const DAY = 24 * HOUR;

beforeAll(async () => {
  w = await startSlackWorld();
  await seedCreditRisk(w);
  // a week of traffic before the seed's last hour, income sliding away from the baseline
  const now = w.s.clock.now();
  const week = Array.from({ length: 7 * 24 }, (_, h) =>
    Array.from({ length: 4 }, (_, k) => ({
      eventId: `w${h}-${k}`,
      timestamp: iso(now - 7 * DAY + h * HOUR + k * 60_000),
      features: { income: ((h * 4 + k) % 100) * (1 + h / 120) + 0.5, region: ['north', 'south', 'east', 'west'][k] },
      score: ((h + k) % 10) / 10,
      actualLabel: (h + k) % 3 === 0 ? 'default' : 'ok',
    })),
  ).flat();
  await w.gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted } }`, { p: week });
  await w.gqlOk(`mutation { createMonitor(input: { model: "credit-risk", name: "income drift", metric: PSI, feature: "income", window: "24h", schedule: "0 * * * *", comparator: GT, warningThreshold: 0.1, criticalThreshold: 0.25 }) { id } }`);
});
afterAll(async () => {
  await w?.stop();
});

/** The three upload calls that share one file id, waiting for the `n`-th upload of `filename`. */
async function uploadOf(filename: RegExp, n = 1): Promise<{ slot: SlackCall; bytes: SlackCall; done: SlackCall }> {
  const slot = await w.fake.waitFor('files.getUploadURLExternal', (c) => filename.test(String(c.args.filename)), n);
  const id = slot.response.file_id as string;
  const bytes = await w.fake.waitFor('file_upload', (c) => c.args.fileId === id);
  const done = await w.fake.waitFor('files.completeUploadExternal', (c) => c.args.files?.[0]?.id === id);
  return { slot, bytes, done };
}

function expectPng(u: { slot: SlackCall; bytes: SlackCall }): void {
  const png = u.bytes.bytes!;
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.length).toBe(Number(u.slot.args.length));
  expect(png.length).toBeGreaterThan(5_000);
  expect(pngSize(png)).toEqual({ width: 1280, height: 480 });
}

describe('charts after the text', () => {
  it('drift: the text within three seconds, then the PNG into the channel', async () => {
    // the store's first read of a fresh week takes seconds on a busy machine, chart or not: done once before timing
    const now = w.s.clock.now();
    await w.gqlOk(`{ model(name: "credit-risk") { drift(from: "${iso(now - 7 * DAY)}", to: "${iso(now)}") { psi } } }`);
    const sent = Date.now();
    const r = await w.command('drift credit-risk 7d');
    const text = await r.respond();
    expect(Date.now() - sent).toBeLessThan(3_000);
    expect(text.args.text).toContain('Drift of credit-risk, last 7d');
    const u = await uploadOf(/^credit-risk-psi-income\.png$/);
    expectPng(u);
    expect(u.slot.args.alt_text).toContain('PSI of income for credit-risk over the last 7d with the thresholds of monitor "income drift"');
    expect(u.done.args.channel_id).toBe('C0ONCALL');
    expect(u.done.args.files[0].title).toBe('credit-risk: PSI of income, last 7d');
    // the text went first
    expect(w.fake.calls.indexOf(text)).toBeLessThan(w.fake.calls.indexOf(u.slot));
    await writeSlackAnswerImage(text, u.bytes.bytes!);
  });

  it('performance and status carry theirs', async () => {
    await (await w.command('performance credit-risk 7d')).respond();
    const perf = await uploadOf(/^credit-risk-accuracy\.png$/);
    expectPng(perf);
    expect(perf.done.args.files[0].title).toBe('credit-risk: accuracy, last 7d');
    await (await w.command('status credit-risk')).respond();
    const status = await uploadOf(/^credit-risk-psi-income\.png$/, 2);
    expectPng(status);
    expect(status.done.args.files[0].title).toBe('credit-risk: PSI of income, last 24h');
  });

  it('a mention gets its chart in the thread', async () => {
    const c = await w.mention('drift credit-risk 24h');
    const u = await uploadOf(/^credit-risk-psi-income\.png$/, 3);
    expect(u.done.args.channel_id).toBe('C0ONCALL');
    expect(u.done.args.thread_ts).toBe(c.args.thread_ts);
  });

  it('answers without a chart have no upload: a model without a baseline, an unknown model', async () => {
    const before = w.fake.callsTo('files.getUploadURLExternal').length;
    expect((await (await w.command('drift house-prices')).respond()).args.text).toContain('no baseline');
    expect((await (await w.command('status nope')).respond()).args.response_type).toBe('ephemeral');
    // a later chart proves the earlier answers had their chance to upload
    await (await w.command('performance credit-risk 24h')).respond();
    await uploadOf(/^credit-risk-accuracy\.png$/, 2);
    expect(w.fake.callsTo('files.getUploadURLExternal').length).toBe(before + 1);
  });
});

describe('a chart that cannot be uploaded', () => {
  it('leaves the text answer as it was, whichever step fails', async () => {
    for (const [method, failure] of [
      ['files.getUploadURLExternal', { error: 'internal_error' }],
      ['file_upload', { status: 500 }],
      ['files.completeUploadExternal', { error: 'not_in_channel' }],
    ] as const) {
      const completed = w.fake.callsTo('files.completeUploadExternal').filter((c) => c.response.ok).length;
      w.fake.fail(method, failure);
      const text = await (await w.command('drift credit-risk 7d')).respond();
      expect(text.args.text).toContain('Drift of credit-risk');
      await w.fake.waitFor(method, (c) => c.response.ok === false || c.response.status === 500);
      // the next chart goes through: exactly one more upload completed for the two answers
      await (await w.command('performance credit-risk 7d')).respond();
      await w.fake.waitFor('files.completeUploadExternal', (c) => c.response.ok === true, completed + 1);
      expect(w.fake.callsTo('files.completeUploadExternal').filter((c) => c.response.ok).length).toBe(completed + 1);
    }
  });
});

describe('labels that have not come yet', () => {
  it('performance gives the estimate without labels, said to be one, and charts the estimated AUC', async () => {
    await w.gqlOk(CREATE_MODEL, { input: { ...creditRiskModel(), name: 'late-risk' } });
    // a labelled, scored baseline: what the calibration is fitted on
    const base = Array.from({ length: 300 }, (_, i) => {
      const score = ((i * 37) % 100) / 100 + 0.005;
      return { features: { income: i % 100, region: 'north' }, score, actualLabel: (i * 7919) % 100 < score * 100 ? 'default' : 'ok' };
    });
    await w.gqlOk(`mutation($rows: [BaselineRowInput!]!) { setBaseline(model: "late-risk", rows: $rows) { rowCount } }`, { rows: base });
    const now = w.s.clock.now();
    // a day of predictions and not one actual
    const p = Array.from({ length: 96 }, (_, i) => ({ eventId: `late-${i}`, timestamp: iso(now - DAY + i * 15 * 60_000), features: { income: i % 100, region: 'north' }, score: ((i * 53) % 100) / 100 + 0.005 }));
    await w.gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "late-risk", predictions: $p) { accepted } }`, { p });
    const api = (await w.gqlOk(`query($from: DateTime!, $to: DateTime!) { model(name: "late-risk") { performance(from: $from, to: $to) { labeledCount estimated { sampleSize accuracy auc } } } }`, { from: iso(now - DAY), to: iso(now) })).model.performance;
    expect(api.labeledCount).toBe(0);
    expect(api.estimated.sampleSize).toBe(96);
    const text = (await (await w.command('performance late-risk 24h')).respond()).args.text as string;
    expect(text).toContain('No actuals yet for late-risk in the last 24h');
    expect(text).toContain(`Estimated without labels: estimated accuracy ${(api.estimated.accuracy * 100).toFixed(1)}%`);
    expect(text).toContain(`estimated AUC ${formatDecimal(api.estimated.auc)}`);
    const u = await uploadOf(/^late-risk-estimated_auc\.png$/);
    expectPng(u);
    expect(u.done.args.files[0].title).toBe('late-risk: estimated AUC, last 24h');
  });
});
