// Per-request GraphQL context: who is asking (from the bearer key), and the services'
// dependencies. Role checks happen here, once, with one vocabulary of errors.
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../log.js';
import { forbidden, unauthenticated } from '../errors.js';
import { activeKeyCount, authenticate } from '../services/keys.js';
import { roleAllows, type Actor, type Deps, type Role } from '../services/deps.js';
import type { Notifiers } from '../services/notifier.js';
import type { SlackParts } from '../slack/app.js';

/** What adapters need beside the services' dependencies; filled by server.ts (tests may leave parts out). */
export interface AppServices {
  /** GLASSBOX_RETENTION_DAYS: raw events kept for models without their own retention (0 = forever) */
  retentionDays?: number;
  /** the notifiers deliveries and testChannel use, by channel kind */
  notifiers?: Notifiers;
  /** the Slack app, when Slack is configured */
  slack?: SlackParts;
  /** this server's name (GLASSBOX_INSTANCE, else host:pid) */
  instance?: string;
}

export interface AuthSettings {
  adminKey: string | undefined;
  /** local mode is possible at all: a loopback HOST and no GLASSBOX_ADMIN_KEY */
  localModeAllowed: boolean;
  /** GLASSBOX_INTROSPECTION: true/false for everyone; undefined = in local mode or with a key */
  introspection: boolean | undefined;
  /** the mode last seen, so that a change is logged once, whoever made it (a key created here, or elsewhere) */
  lastLocalMode?: boolean;
}

export interface GqlContext {
  deps: Deps;
  services: AppServices;
  actor: Actor | null;
  reqId: string;
  log: Logger;
  /** the request came without a key and acts as the local ADMIN */
  localMode: boolean;
  /** whether this request may introspect the schema (decided per request: the mode can change) */
  introspection: boolean;
  /** the actor, when its role allows `role`; else throws UNAUTHENTICATED or FORBIDDEN */
  requireRole(role: Role): Actor;
  /** adds an error to the answer beside the data (a field that answered, but not as hoped) */
  note(error: GraphQLFormattedError): void;
  /** what note() collected; the server appends them to the answer's errors */
  notes: GraphQLFormattedError[];
}

const LOCAL_ON =
  'local mode: no GLASSBOX_ADMIN_KEY and no active API keys, so every request on this loopback address acts as ADMIN; create a key (createApiKey) to turn authentication on';
const LOCAL_OFF = 'local mode ended: an API key exists, so every request needs "Authorization: Bearer <secret>"; revoking the last key brings local mode back';

/**
 * Whether requests without a key act as the local ADMIN right now: a loopback HOST, no
 * GLASSBOX_ADMIN_KEY and no active key. Logs each change of mode the first time it is seen.
 */
export async function inLocalMode(deps: Deps, auth: AuthSettings): Promise<boolean> {
  const local = auth.localModeAllowed && (await activeKeyCount(deps)) === 0;
  if (auth.lastLocalMode !== local && auth.localModeAllowed) {
    if (local) deps.log.warn(LOCAL_ON);
    else if (auth.lastLocalMode !== undefined) deps.log.warn(LOCAL_OFF);
  }
  auth.lastLocalMode = local;
  return local;
}

/**
 * Resolves the Authorization header to an actor. A presented but unknown or revoked key
 * is refused even in local mode: a typo must not silently act as admin.
 */
export async function resolveActor(
  deps: Deps,
  auth: AuthSettings,
  header: string | undefined,
): Promise<{ actor: Actor | null; reason: string }> {
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return { actor: null, reason: 'the Authorization header must be "Bearer <secret>"' };
    const actor = await authenticate(deps, m[1]!, auth.adminKey);
    return actor ? { actor, reason: '' } : { actor: null, reason: 'the API key is unknown or revoked' };
  }
  if (await inLocalMode(deps, auth)) return { actor: { name: 'local', role: 'ADMIN' }, reason: '' };
  return { actor: null, reason: 'an API key is required: send "Authorization: Bearer <secret>"' };
}

/** Builds the context of one request. */
export async function buildContext(
  deps: Deps,
  services: AppServices,
  auth: AuthSettings,
  header: string | undefined,
  reqId: string,
  log: Logger,
): Promise<GqlContext> {
  const { actor, reason } = await resolveActor(deps, auth, header);
  const notes: GraphQLFormattedError[] = [];
  return {
    notes,
    note: (error) => notes.push(error),
    deps,
    services,
    actor,
    localMode: !header && actor !== null,
    reqId,
    log,
    // local mode acts as ADMIN, so "has an actor" covers both
    introspection: auth.introspection ?? actor !== null,
    requireRole(role: Role): Actor {
      if (!actor) throw unauthenticated(reason);
      if (!roleAllows(actor.role, role)) {
        throw forbidden(`this needs the ${role} role; the key "${actor.name}" has ${actor.role}`);
      }
      return actor;
    },
  };
}
