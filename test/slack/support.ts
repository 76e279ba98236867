// A real Glassbox server with Slack turned on against the fake Slack Web API, and signed
// requests to its /slack/events as Slack would send them.
import { CREATE_MODEL, creditRiskModel } from '../helpers/factories.js';
import { run as deliver } from '../../src/jobs/deliver-notifications.js';
import type { SlackParts } from '../../src/slack/app.js';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../helpers/fake-slack.js';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import {
  appMention,
  blockAction,
  sendToSlackEndpoint,
  slashCommand,
  type ButtonPress,
  type SlackRequest,
} from '../helpers/slack-signer.js';

export { T0 };
export const SECRET = 'test-signing-secret-8f2a';
export const HOUR = 3_600_000;
export const iso = (t: number) => new Date(t).toISOString();

export interface SlackWorld {
  s: TestServer;
  fake: FakeSlack;
  slack: SlackParts;
  /** seconds of the server's clock, for x-slack-request-timestamp */
  ts(): number;
  send(req: SlackRequest): Promise<Response>;
  /** `/glassbox <text>`; resolves with the HTTP answer and the respond() call (when the answer is not in the ack) */
  command(text: string): Promise<{ status: number; body: string; respond: () => Promise<SlackCall> }>;
  /** `@Glassbox <text>`; resolves with the threaded chat.postMessage */
  mention(text: string, opts?: { threadTs?: string }): Promise<SlackCall>;
  press(p: Omit<ButtonPress, 'responseUrl'>): Promise<Response>;
  gqlOk<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** drains the outbox now, through the server's delivery loop when it has one */
  drain(): ReturnType<typeof deliver>;
  stop(): Promise<void>;
}

let seq = 0;

/** Starts the fake Slack and a server pointed at it, with the clock at `now`. */
export async function startSlackWorld(now = T0): Promise<SlackWorld> {
  const fake = await startFakeSlack();
  const s = await startTestServer({
    now,
    env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
  });
  const slack = s.gb.services.slack as SlackParts;
  if (!slack) throw new Error('the server did not start Slack with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set');
  const ts = () => Math.floor(s.clock.now() / 1000);
  const send = (req: SlackRequest) => sendToSlackEndpoint(s.url, req);

  return {
    s,
    fake,
    slack,
    ts,
    send,
    async command(text) {
      const responseUrl = `${fake.respondUrl}/cmd-${++seq}`;
      const path = new URL(responseUrl).pathname;
      const res = await send(slashCommand(SECRET, { text, responseUrl }, { ts: ts() }));
      return { status: res.status, body: await res.text(), respond: () => fake.waitFor('response_url', (c) => c.path === path) };
    },
    async mention(text, opts = {}) {
      const eventTs = `${ts()}.${String(++seq).padStart(6, '0')}`;
      const res = await send(appMention(SECRET, { text, ts: eventTs, botUserId: 'UBOT0001', ...(opts.threadTs ? { threadTs: opts.threadTs } : {}) }, { ts: ts() }));
      if (res.status !== 200) throw new Error(`mention answered HTTP ${res.status}`);
      const thread = opts.threadTs ?? eventTs;
      return fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === thread);
    },
    press(p) {
      return send(blockAction(SECRET, { ...p, responseUrl: `${fake.respondUrl}/act-${++seq}` }, { ts: ts() }));
    },
    async gqlOk(query, variables) {
      const r = await s.gql(query, variables);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data;
    },
    async drain() {
      // The server's own loop may be mid-pass (started before our rows existed): finish it,
      // then run a pass that surely sees them.
      const jobs = (s.gb as { jobs?: { deliverNow(): ReturnType<typeof deliver> } }).jobs;
      if (!jobs) return deliver(s.deps, s.clock.now(), { notifiers: { SLACK: slack.notifier } });
      await jobs.deliverNow();
      return jobs.deliverNow();
    },
    async stop() {
      await s.stop(true);
      await fake.stop();
    },
  };
}

/** A binary classifier with a baseline, `n` scored and labelled events in the hour before `now`. */
export async function seedCreditRisk(w: SlackWorld, n = 40): Promise<{ accuracy: number }> {
  const now = w.s.clock.now();
  await w.gqlOk(CREATE_MODEL, { input: creditRiskModel() });
  const regions = ['north', 'south', 'east', 'west'];
  const rows = Array.from({ length: 200 }, (_, i) => ({ features: { income: (i % 100) + 0.5, region: regions[i % 4] }, score: ((i * 37) % 100) / 100 }));
  await w.gqlOk(`mutation($rows: [BaselineRowInput!]!) { setBaseline(model: "credit-risk", rows: $rows) { rowCount } }`, { rows });
  let correct = 0;
  const predictions = Array.from({ length: n }, (_, i) => {
    const score = i % 4 === 0 ? 0.2 : 0.8;
    const actualLabel = i % 3 === 0 ? 'ok' : 'default';
    if ((score >= 0.5) === (actualLabel === 'default')) correct++;
    // income shifted well above the baseline's range: drift to report
    return { eventId: `e${i}`, timestamp: iso(now - HOUR + i * 1000), features: { income: 150 + i, region: regions[i % 4] }, score, actualLabel };
  });
  await w.gqlOk(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted } }`, { p: predictions });
  await w.gqlOk(`mutation { createModel(input: { name: "house-prices", task: REGRESSION, features: [{ name: "rooms", type: NUMERIC }] }) { name } }`);
  return { accuracy: correct / n };
}
