// Slack is optional: without its secrets the server runs without it and says why; with an
// app token it is built for Socket Mode (which needs Slack's servers, so is not started here).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { fixedClock } from '../../src/clock.js';
import { disposeTestStore, openTestStore } from '../helpers/test-store.js';
import { silentLogger } from '../../src/log.js';
import { createSlackApp, slackConfigured, slackStartupNote, webClientOptions } from '../../src/slack/app.js';
import { startTestServer, T0 } from '../helpers/server.js';

const cfg = (env: Record<string, string>) => loadConfig({ GLASSBOX_DB: ':memory:', ...env });

describe('Slack configuration', () => {
  it('needs a bot token and a signing secret (or an app token)', () => {
    expect(slackConfigured(cfg({}))).toBe(false);
    expect(slackConfigured(cfg({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toBe(false);
    expect(slackConfigured(cfg({ SLACK_SIGNING_SECRET: 's' }))).toBe(false);
    expect(slackConfigured(cfg({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))).toBe(true);
    expect(slackConfigured(cfg({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))).toBe(true);
    expect(slackStartupNote(cfg({}))).toBe('slack: off (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET not set); the server runs without Slack');
    expect(slackStartupNote(cfg({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toContain('SLACK_SIGNING_SECRET not set');
    expect(slackStartupNote(cfg({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))).toBe('slack: HTTP at /slack/events');
  });

  it('sends Web API calls to SLACK_API_URL and never retries on its own', () => {
    const o = webClientOptions(cfg({ SLACK_API_URL: 'http://127.0.0.1:9/api' }), silentLogger() as never);
    expect(o).toMatchObject({ slackApiUrl: 'http://127.0.0.1:9/api/', retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  });

  it('without Slack the server runs and /slack/events does not exist', async () => {
    const s = await startTestServer();
    try {
      expect(s.gb.services.slack).toBeUndefined();
      expect((await s.post('/slack/events', 'payload=%7B%7D', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(404);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      await s.stop(true);
    }
  });

  it('with SLACK_APP_TOKEN builds a Socket Mode app that mounts no route', async () => {
    const deps = { store: await openTestStore(), clock: fixedClock(T0), log: silentLogger() };
    try {
      const parts = createSlackApp(deps, cfg({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }));
      expect(parts.mode).toBe('socket');
      expect(parts.notifier.kind).toBe('SLACK');
      let mounted = false;
      parts.mount({ use: () => (mounted = true) } as never);
      expect(mounted).toBe(false);
    } finally {
      await disposeTestStore(deps.store);
    }
  });
});
