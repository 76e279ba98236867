// Environment -> typed config, validated once at start. No other module reads process.env.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { MAX_RETENTION_DAYS } from './domain/retention.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True when a host name only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

const BYTES = /^(\d+)\s*(b|kb|mb|gb)?$/i;

/** "16mb" -> 16777216; the same units as Express' body-parser. */
export function parseBytes(text: string): number | null {
  const m = BYTES.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit === 'gb' ? 1024 ** 3 : unit === 'mb' ? 1024 ** 2 : unit === 'kb' ? 1024 : 1;
  return Number(m[1]) * mult;
}

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'], { message: 'must be on or off' })
  .transform((v) => v === 'on' || v === 'true' || v === '1');

/**
 * Every environment variable the server reads, with what it means and its default: the one
 * place `glassbox serve --help` and the README's Configuration table come from.
 * `secret` values are never printed, not even a rejected one.
 */
export const ENV_VARS: ReadonlyArray<{ name: string; meaning: string; default: string; secret?: boolean }> = [
  { name: 'GLASSBOX_DB', meaning: 'SQLite file (`:memory:` allowed); its folder is created. A `postgres://` URL selects PostgreSQL for every command but `backup` (`pg_dump` there): [docs/postgres.md](docs/postgres.md)', default: '`./data/glassbox.db`' },
  { name: 'HOST', meaning: 'where the server listens', default: '`127.0.0.1`' },
  { name: 'PORT', meaning: 'its port (`0`: any free port)', default: '`4000`' },
  { name: 'GLASSBOX_ADMIN_KEY', meaning: 'a bootstrap secret (16+ characters) with the ADMIN role, actor `admin`; required on a non-loopback `HOST`', default: 'none', secret: true },
  { name: 'GLASSBOX_SCHEDULER', meaning: '`off` stops scheduled evaluations (deliveries go on)', default: '`on`' },
  { name: 'GLASSBOX_INTROSPECTION', meaning: 'GraphQL introspection: `on` for anyone, `off` for no one', default: 'in local mode, and with an API key' },
  { name: 'GLASSBOX_IDE', meaning: 'the GraphiQL page at `GET /graphql`: `on` always (queries still need a key outside local mode), `off` never', default: 'in local mode' },
  { name: 'GLASSBOX_MAX_BODY', meaning: 'largest GraphQL request body (413 above it); NDJSON routes stream any size', default: '`16mb`' },
  { name: 'GLASSBOX_RETENTION_DAYS', meaning: 'days of raw events kept (per model: `updateModel(input: { retentionDays })`); aggregates stay, so metrics still answer: [docs/retention.md](docs/retention.md)', default: '`0` (forever)' },
  { name: 'GLASSBOX_INSTANCE', meaning: "this server's name, as `Query.server.instance` answers it; unique among replicas: work it claimed (deliveries in flight, ticks) is released at once when it restarts under the same name, left to the others' leases otherwise", default: '`host:pid`' },
  { name: 'GLASSBOX_COMPACT_INTERVAL_MS', meaning: 'how often partial statistics are folded into hour rows and roll-ups, off the ingest path (`0`: only on request): [docs/metrics.md](docs/metrics.md)', default: '`30000`' },
  { name: 'GLASSBOX_READ_WORKERS', meaning: 'threads that answer metric queries, each with its own read-only connection, so queries never hold up ingest (`0`: on the main thread; a `:memory:` database always is)', default: '2, or the cores less one if fewer (at least 1)' },
  { name: 'SLACK_BOT_TOKEN', meaning: 'the Slack bot token (`xoxb-…`); with `SLACK_SIGNING_SECRET`, turns Slack on', default: 'none: Slack off', secret: true },
  { name: 'SLACK_SIGNING_SECRET', meaning: 'verifies every request to `/slack/events`', default: 'none: Slack off', secret: true },
  { name: 'SLACK_APP_TOKEN', meaning: 'set: Socket Mode instead of HTTP (`xapp-…`)', default: 'none', secret: true },
  { name: 'SLACK_API_URL', meaning: "base URL of Slack's Web API (a proxy or a test double)", default: "Slack's own" },
  { name: 'SLACK_DIGEST_CHANNEL', meaning: 'where the daily health digest goes', default: 'none: no digest' },
  { name: 'SLACK_DIGEST_SCHEDULE', meaning: 'when, as a UTC cron expression', default: '`0 8 * * *`' },
  { name: 'LOG_LEVEL', meaning: 'pino level (JSON logs on stderr, each line with its request id)', default: '`info`' },
];

/** How a variable's rejected value is shown: a secret only by its length. */
function shown(name: string, value: string | undefined): string {
  const secret = ENV_VARS.some((v) => v.name === name && v.secret);
  return secret ? `${name} (${(value ?? '').length} characters, not shown)` : `${name}=${JSON.stringify(value ?? '')}`;
}

const schema = z.object({
  GLASSBOX_DB: z.string().min(1, 'must not be empty').default('./data/glassbox.db'),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0..65535')
    .max(65535, 'must be 0..65535')
    .default(4000),
  GLASSBOX_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  GLASSBOX_SCHEDULER: onOff.default(true),
  GLASSBOX_INTROSPECTION: onOff.optional(),
  GLASSBOX_IDE: onOff.optional(),
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().min(1).optional(),
  SLACK_API_URL: z.url({ message: 'must be a URL' }).optional(),
  SLACK_DIGEST_CHANNEL: z.string().min(1).optional(),
  SLACK_DIGEST_SCHEDULE: z.string().min(1).default('0 8 * * *'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GLASSBOX_COMPACT_INTERVAL_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number')
    .min(0, 'must be 0 (only on request) or more')
    .default(30_000),
  GLASSBOX_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a whole number of days (0 = keep raw events forever)' })
    .int('must be a whole number of days (0 = keep raw events forever)')
    .min(0, 'must be 0 (keep forever) or more days')
    .max(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS} days`)
    .default(0),
  GLASSBOX_READ_WORKERS: z.coerce
    .number({ message: 'must be a number of threads (0 = none)' })
    .int('must be a whole number of threads')
    .min(0, 'must be 0 (none) or more')
    .max(64, 'must be at most 64')
    .optional(),
  GLASSBOX_INSTANCE: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  GLASSBOX_MAX_BODY: z
    .string()
    .default('16mb')
    .refine((v) => parseBytes(v) !== null, 'must be a size such as 16mb, 512kb or 1048576'),
});

/** The variables the schema validates (kept equal to ENV_VARS by a test). */
export const VALIDATED_VARS = Object.keys(schema.shape);

export interface Config {
  dbPath: string;
  host: string;
  port: number;
  adminKey: string | undefined;
  scheduler: boolean;
  /** GraphQL introspection: unset = in local mode and for callers with a key */
  introspection: boolean | undefined;
  /** the GraphiQL page: unset = in local mode only */
  ide: boolean | undefined;
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    digestChannel: string | undefined;
    digestSchedule: string;
  };
  logLevel: string;
  maxBodyBytes: number;
  /** how often partial statistics are compacted (0: never on a timer) */
  compactIntervalMs: number;
  /** days of raw events kept for models without their own setting; 0 = forever */
  retentionDays: number;
  /** threads answering metric queries (0: the main thread) */
  readWorkers: number;
  /** GLASSBOX_INSTANCE: this replica's name; undefined = `host:pid` (decided by the server, which knows both) */
  instance: string | undefined;
}

/** The default number of read workers: two, leaving a core to ingest where there are few. */
export function defaultReadWorkers(cores = availableParallelism()): number {
  return Math.max(1, Math.min(2, cores - 1));
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      return `${shown(name, env[name])}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (!isLoopback(e.HOST) && !e.GLASSBOX_ADMIN_KEY) {
    throw new ConfigError(
      `invalid configuration:\n  HOST=${e.HOST}: listening beyond this machine needs GLASSBOX_ADMIN_KEY (local mode without keys is only allowed on a loopback HOST)`,
    );
  }
  return {
    dbPath: e.GLASSBOX_DB,
    host: e.HOST,
    port: e.PORT,
    adminKey: e.GLASSBOX_ADMIN_KEY,
    scheduler: e.GLASSBOX_SCHEDULER,
    introspection: e.GLASSBOX_INTROSPECTION,
    ide: e.GLASSBOX_IDE,
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      digestChannel: e.SLACK_DIGEST_CHANNEL,
      digestSchedule: e.SLACK_DIGEST_SCHEDULE,
    },
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: parseBytes(e.GLASSBOX_MAX_BODY)!,
    compactIntervalMs: e.GLASSBOX_COMPACT_INTERVAL_MS,
    retentionDays: e.GLASSBOX_RETENTION_DAYS,
    readWorkers: e.GLASSBOX_READ_WORKERS ?? defaultReadWorkers(),
    instance: e.GLASSBOX_INSTANCE,
  };
}
