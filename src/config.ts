// Environment -> typed config, validated once at start. No other module reads process.env.
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
  GLASSBOX_MAX_BODY: z
    .string()
    .default('16mb')
    .refine((v) => parseBytes(v) !== null, 'must be a size such as 16mb, 512kb or 1048576'),
});

export interface Config {
  dbPath: string;
  host: string;
  port: number;
  adminKey: string | undefined;
  scheduler: boolean;
  /** Apollo introspection and Sandbox: on in local mode unless set */
  introspection: boolean | undefined;
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
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${i.message}`;
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
  };
}
