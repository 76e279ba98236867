// The Slack app: Bolt with an ExpressReceiver on OUR Express app at /slack/events (one
// Request URL for events, commands and interactivity), or Socket Mode when an app token is
// set. Signatures are checked by verify.ts against the injected clock; the WebClient does
// not retry, because the outbox does (and honours Retry-After).
import type { Express } from 'express';
import { Router } from 'express';
import { App, ExpressReceiver, LogLevel, webApi, type Authorize, type Logger as BoltLogger } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Deps } from '../services/deps.js';
import type { Notifier } from '../services/notifier.js';
import { cronTask } from '../jobs/schedule.js';
import { createAlertPort } from './alert-port.js';
import { createAnswers } from './answers.js';
import type { SlackContext } from './context.js';
import { runDigest } from './digest.js';
import { registerActions } from './listeners/actions.js';
import { registerCommands } from './listeners/commands.js';
import { registerMentions } from './listeners/mentions.js';
import { createSlackNotifier } from './notifier.js';
import { verifySlackRequests } from './verify.js';

export const SLACK_PATH = '/slack/events';

export interface SlackParts {
  mode: 'http' | 'socket';
  app: App;
  /** the bot's WebClient (no retries): notifier, digest */
  client: webApi.WebClient;
  /** the SLACK Notifier for the outbox */
  notifier: Notifier;
  /** mounts POST /slack/events on an Express app (HTTP mode; a no-op in Socket Mode) */
  mount(expressApp: Express): void;
  /** checks the token (auth.test), connects Socket Mode, schedules the digest */
  start(): Promise<void>;
  /** stops the digest and Socket Mode; the HTTP route closes with our server */
  stop(): Promise<void>;
}

/** True when Slack can run: a bot token and either a signing secret (HTTP) or an app token (Socket Mode). */
export function slackConfigured(config: Config): boolean {
  const s = config.slack;
  return Boolean(s.botToken && (s.signingSecret || s.appToken));
}

/** One line for the start-up log saying why Slack is off, or how it runs. */
export function slackStartupNote(config: Config): string {
  const s = config.slack;
  if (slackConfigured(config)) return s.appToken ? 'slack: Socket Mode (SLACK_APP_TOKEN set)' : `slack: HTTP at ${SLACK_PATH}`;
  const missing = [!s.botToken && 'SLACK_BOT_TOKEN', !s.signingSecret && !s.appToken && 'SLACK_SIGNING_SECRET'].filter(Boolean);
  return `slack: off (${missing.join(' and ')} not set); the server runs without Slack`;
}

/** Bolt's logger interface over our pino logger; Bolt's chatter goes to debug. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  // Bolt logs strings and Error objects; keep errors structured (with their stack).
  const text = (msg: unknown[]) => msg.filter((m) => !(m instanceof Error)).map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  const err = (msg: unknown[]) => ({ err: msg.find((m) => m instanceof Error) });
  return {
    debug: (...m) => child.debug(text(m)),
    info: (...m) => child.debug(text(m)),
    warn: (...m) => child.warn(err(m), text(m)),
    error: (...m) => child.error(err(m), text(m)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** WebClient options: SLACK_API_URL, no retries (the outbox retries), rate limits rejected at once. */
export function webClientOptions(config: Config, logger: BoltLogger): webApi.WebClientOptions {
  return {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl.endsWith('/') ? config.slack.apiUrl : `${config.slack.apiUrl}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger,
  };
}

/**
 * Builds the Slack app; needs slackConfigured(config). In HTTP mode its route is mounted
 * on `expressApp` at /slack/events when given, or later with `mount` (before the app's
 * 404 fallback: use it as one of createHttpApp's mounts).
 */
export function createSlackApp(deps: Deps, config: Config, expressApp?: Express): SlackParts {
  const { botToken, signingSecret, appToken, digestChannel, digestSchedule } = config.slack;
  if (!botToken || !(signingSecret || appToken)) throw new Error(slackStartupNote(config));
  const logger = boltLogger(deps.log);
  const clientOptions = webClientOptions(config, logger);
  const client = new webApi.WebClient(botToken, clientOptions);

  // auth.test once, lazily and cached; a failure is retried on the next request instead of
  // becoming an unhandled rejection at start (Bolt's default with a bare token).
  let identity: Promise<{ botId: string; botUserId: string }> | null = null;
  const whoAmI = () =>
    (identity ??= client.auth.test().then(
      (r) => ({ botId: String(r.bot_id ?? ''), botUserId: String(r.user_id ?? '') }),
      (err: unknown) => {
        identity = null;
        throw err;
      },
    ));
  const authorize: Authorize<boolean> = async () => ({ botToken, ...(await whoAmI()) });

  let app: App;
  let mode: SlackParts['mode'];
  let router: Router | null = null;
  if (appToken) {
    // Socket Mode: a second, small path; it needs Slack's servers, so it is untested offline.
    mode = 'socket';
    app = new App({ authorize, appToken, socketMode: true, clientOptions, logger });
  } else {
    mode = 'http';
    router = Router();
    router.post(SLACK_PATH, verifySlackRequests(signingSecret!, deps));
    // Bolt adds its route to `router` and mounts it on its own throwaway Express app; we
    // mount the same router on ours.
    const receiver = new ExpressReceiver({
      signingSecret: signingSecret!,
      signatureVerification: false, // done above, with our clock, before Bolt sees the body
      endpoints: SLACK_PATH,
      router,
      logger,
    });
    app = new App({ authorize, receiver, clientOptions, logger });
  }

  const ctx: SlackContext = { deps, alerts: createAlertPort(deps), answer: createAnswers(deps) };
  registerCommands(app, ctx);
  registerMentions(app, ctx);
  registerActions(app, ctx);
  app.error(async (err) => {
    deps.log.error({ err }, 'slack: unhandled listener error');
  });

  let digestTask: ReturnType<typeof cronTask> | null = null;
  const mount = (target: Express) => {
    if (router) target.use(router);
  };
  if (expressApp) mount(expressApp);
  return {
    mode,
    app,
    client,
    notifier: createSlackNotifier(deps, client),
    mount,
    async start() {
      try {
        const me = await whoAmI();
        deps.log.info({ mode, botUserId: me.botUserId }, 'slack: connected');
      } catch (err) {
        deps.log.error({ err }, 'slack: auth.test failed; check SLACK_BOT_TOKEN (requests will retry it)');
      }
      if (mode === 'socket') await app.start();
      if (digestChannel) {
        try {
          digestTask = cronTask(digestSchedule, 'slack-digest', async (at) => {
            await runDigest(deps, client, digestChannel, at).catch((err: unknown) => deps.log.error({ err }, 'slack: digest failed'));
          });
          await digestTask.start();
        } catch (err) {
          deps.log.error({ err, schedule: digestSchedule }, 'slack: SLACK_DIGEST_SCHEDULE is not a usable cron expression; no digest');
        }
      }
    },
    async stop() {
      if (digestTask) await digestTask.destroy();
      digestTask = null;
      if (mode === 'socket') await app.stop();
    },
  };
}
