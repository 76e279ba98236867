// The SLACK delivery against the fake Web API: first post, thread replies with a redraw,
// and every failure classified for the outbox.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { silentLogger } from '../../src/log.js';
import type { AlertView } from '../../src/slack/blocks/alert.js';
import { classifySlackError, deliverToSlack, type SlackDelivery } from '../../src/slack/delivery.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';

let fake: FakeSlack;
let client: webApi.WebClient;
const log = silentLogger();

const alert: AlertView = {
  id: '7',
  model: 'fraud',
  monitor: 'volume',
  metric: 'PREDICTION_COUNT',
  feature: null,
  severity: 'WARNING',
  status: 'FIRING',
  value: 20,
  threshold: 10,
  message: 'WARNING: prediction count on fraud is 20 (threshold 10) over the last 1h',
  openedAt: Date.parse('2024-05-06T00:00:00Z'),
  resolvedAt: null,
  acknowledgedBy: null,
  snoozedUntil: null,
};
const thread = { channel: 'C00000042', ts: '1700000000.000042' };
const d = (over: Partial<SlackDelivery>): SlackDelivery => ({ type: 'alert.firing', slackChannel: '#ops', alert, thread: null, ...over });

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new webApi.WebClient('xoxb-t', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.stop();
});

describe('deliverToSlack', () => {
  it('posts the first notification and returns where the message is', async () => {
    const out = await deliverToSlack(client, d({}), log);
    const post = fake.callsTo('chat.postMessage')[0]!;
    expect(out).toEqual({ ok: true, ref: { channel: post.response.channel, ts: post.response.ts } });
    expect(post.args.channel).toBe('#ops');
  });

  it('a later change redraws the message, then replies in its thread', async () => {
    const out = await deliverToSlack(client, d({ type: 'alert.reminder', thread }), log);
    expect(out).toEqual({ ok: true, ref: thread });
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.update', 'chat.postMessage']);
    expect(fake.calls[0]!.args).toMatchObject({ channel: thread.channel, ts: thread.ts });
    expect(fake.calls[1]!.args).toMatchObject({ channel: thread.channel, thread_ts: thread.ts, reply_broadcast: 'false' });
  });

  it('"firing" again on a threaded alert is the end of a snooze, shown in the channel too', async () => {
    await deliverToSlack(client, d({ type: 'alert.firing', thread }), log);
    const reply = fake.callsTo('chat.postMessage')[0]!;
    expect(reply.args).toMatchObject({ thread_ts: thread.ts, reply_broadcast: 'true' }); // form-encoded
    expect(JSON.stringify(reply.args.blocks)).toContain('Snooze over');
  });

  it('a message that can no longer be edited does not stop the reply', async () => {
    fake.fail('chat.update', { error: 'message_not_found' });
    expect(await deliverToSlack(client, d({ type: 'alert.resolved', thread }), log)).toEqual({ ok: true, ref: thread });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('a rate-limited redraw posts nothing, so the retry cannot reply twice', async () => {
    fake.fail('chat.update', { error: 'ratelimited', retryAfter: 7 });
    expect(await deliverToSlack(client, d({ type: 'alert.escalated', thread }), log)).toEqual({
      ok: false,
      retryable: true,
      reason: 'ratelimited (Retry-After 7 s)',
      retryAfterMs: 7000,
    });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it.each([
    [{ error: 'channel_not_found' }, { retryable: false, reason: 'channel_not_found' }],
    [{ error: 'not_in_channel' }, { retryable: false, reason: 'not_in_channel' }],
    [{ error: 'invalid_auth' }, { retryable: false, reason: 'invalid_auth' }],
    [{ error: 'internal_error' }, { retryable: true, reason: 'internal_error' }],
    [{ status: 502 }, { retryable: true, reason: 'HTTP 502 from Slack' }],
    [{ status: 404 }, { retryable: false, reason: 'HTTP 404 from Slack' }],
  ])('classifies %j', async (failure, expected) => {
    fake.fail('chat.postMessage', failure);
    expect(await deliverToSlack(client, d({}), log)).toEqual({ ok: false, ...expected });
  });

  it('a network error is retryable', async () => {
    const dead = new webApi.WebClient('xoxb-t', { slackApiUrl: 'http://127.0.0.1:1/api/', retryConfig: { retries: 0 } });
    const out = await deliverToSlack(dead, d({}), log);
    expect(out).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('network error') });
    expect(classifySlackError(new Error('boom'))).toEqual({ ok: false, retryable: true, reason: 'boom' });
  });
});
