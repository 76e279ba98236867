// A monitor whose thresholds are learned says so in Slack as its alert message does: the
// headline, the plain text, the thread replies and /glassbox alerts name the band
// ("above its usual 10 ± 4σ band: 16.3"), never a bare "(threshold …)".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, T0, iso, startSlackWorld, type SlackWorld } from './support.js';

let w: SlackWorld;
let seq = 0;

/** `n` predictions in the hour that ends at `end`. */
async function traffic(end: number, n: number) {
  const p = Array.from({ length: n }, (_, i) => ({ eventId: `l${++seq}`, timestamp: iso(end - HOUR + i * 1000), features: { amount: i }, score: 0.5 }));
  await w.gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "orders", predictions: $p) { accepted } }`, { p });
}

async function evaluate(id: string, at: number) {
  return (await w.gqlOk(`mutation($id: ID!, $at: DateTime) { evaluateMonitor(id: $id, at: $at) { severity value warningThreshold criticalThreshold } }`, { id, at: iso(at) })).evaluateMonitor;
}

// six past hours of 8, 12, 10, 9, 11, 10 predictions: mean 10, population σ = sqrt(5/3)
const HISTORY = [8, 12, 10, 9, 11, 10];
const MEAN = 10;
const STD = Math.sqrt(HISTORY.reduce((s, v) => s + (v - MEAN) ** 2, 0) / HISTORY.length);
const show = (v: number) => String(Number(v.toPrecision(3)));

beforeAll(async () => {
  w = await startSlackWorld(T0);
});
afterAll(async () => {
  await w?.stop();
});

describe('a learned-threshold alert in Slack', () => {
  let monitorId: string;
  let original: { channel: string; ts: string };
  // judged at `at`: its hour [at - 1h, at) holds 25 predictions; the six hours before, HISTORY
  const at = T0 + (HISTORY.length + 1) * HOUR;
  const critical = MEAN + 4 * STD;
  const phrase = `above its usual ${show(MEAN)} ± 4σ band: ${show(critical)}`;

  it('posts the band it learned, as the alert message words it', async () => {
    w.s.clock.set(at);
    await w.gqlOk(`mutation { createModel(input: { name: "orders", task: BINARY_CLASSIFICATION, positiveClass: "fraud", features: [{ name: "amount", type: NUMERIC }] }) { name } }`);
    await w.gqlOk(`mutation { createChannel(input: { name: "orders-slack", kind: SLACK, slackChannel: "#orders" }) { name } }`);
    const m = await w.gqlOk(`mutation($i: CreateMonitorInput!) { createMonitor(input: $i) { id } }`, {
      i: {
        model: 'orders',
        name: 'orders volume',
        metric: 'PREDICTION_COUNT',
        window: '1h',
        schedule: '0 * * * *',
        comparator: 'GT',
        autoThreshold: { lookback: '6h', warningSigmas: 2, criticalSigmas: 4 },
        channels: ['orders-slack'],
      },
    });
    monitorId = m.createMonitor.id;
    for (const [i, n] of HISTORY.entries()) await traffic(T0 + (i + 1) * HOUR, n);
    await traffic(at, 25);
    const ev = await evaluate(monitorId, at);
    expect(ev.severity).toBe('CRITICAL');
    expect(ev.value).toBe(25);
    expect(ev.criticalThreshold).toBeCloseTo(critical, 9);
    expect(ev.warningThreshold).toBeCloseTo(MEAN + 2 * STD, 9);

    const alert = (await w.gqlOk(`query($id: ID!) { monitor(id: $id) { openAlert { message } } }`, { id: monitorId })).monitor.openAlert;
    expect(alert.message).toContain(`(${phrase})`);

    await w.drain();
    const post = await w.fake.waitFor('chat.postMessage', (c) => c.args.channel === '#orders');
    expect(post.args.text).toContain(`is 25, ${phrase}`);
    expect(post.args.text).not.toContain('threshold');
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain(`(${phrase})`);
    expect(blocks).not.toContain('(threshold');
    original = { channel: post.response.channel, ts: post.response.ts };
  });

  it('/glassbox alerts lists it with its band', async () => {
    const { body, respond } = await w.command('alerts orders');
    const text = body.includes('orders volume') ? body : JSON.stringify((await respond()).args);
    expect(text).toContain(phrase);
    expect(text).not.toContain('(threshold');
  });

  it('the resolution in the thread says the value is back within the band', async () => {
    const later = at + HOUR;
    w.s.clock.set(later);
    await traffic(later, 10);
    expect((await evaluate(monitorId, later)).severity).toBe('OK');
    await w.drain();
    const reply = await w.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === original.ts);
    const text = JSON.stringify(reply.args.blocks);
    expect(text).toContain('Resolved');
    expect(text).toMatch(/within its usual [\d.]+ ± 2σ band: [\d.]+/);
    expect(text).not.toContain('(threshold');
  });
});
