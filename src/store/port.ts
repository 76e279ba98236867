// The storage port (ARCHITECTURE rule 7): what services ask of storage, in their own words,
// async, so that the same services run on SQLite (one process) and on PostgreSQL (several
// replicas). Each family of use-cases has its repository interface in ./ports/ and an
// implementation per adapter (./sqlite/, ./postgres/). Services never import a driver.
//
// Transactions: `transaction(fn)` runs fn so that every repository call made inside it, on
// this port, joins the same database transaction (the adapter tracks it with
// AsyncLocalStorage: no transaction object is threaded through the services). It commits
// when fn resolves and rolls back when it throws. Never make a network call inside one.
// Isolation: SQLite runs one transaction at a time; PostgreSQL runs them at once (READ
// COMMITTED), so a lookup a transaction makes to decide a write locks what it returns
// (`models.byName`/`byId`, `apiKeys.byId`: FOR UPDATE), and uniqueness is the database's
// (`create` answers null). A repository call outside waits for an open transaction on
// SQLite and runs at once on PostgreSQL: neither ever sees it half done.

export type StoreKind = 'sqlite' | 'postgres';

/** The transaction part of the port: every repository family is added beside it. */
export interface TransactionPort {
  readonly kind: StoreKind;
  /** Runs fn in one transaction (joins the enclosing one when called inside it). */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

import type { SlackSeenRepo } from './ports/slack-seen.js';
import type { EvaluationsRepo, MonitorsRepo } from './ports/monitors.js';
import type { ChannelsRepo } from './ports/channels.js';
import type { AlertsRepo } from './ports/alerts.js';
import type { OutboxRepo } from './ports/outbox.js';
import type { LivenessRepo } from './ports/liveness.js';
import type { ModelsRepo } from './ports/models.js';
import type { ApiKeysRepo } from './ports/keys.js';
import type { AuditRepo } from './ports/audit.js';
import type { ClaimsRepo } from './ports/claims.js';
import type { DataRepo } from './ports/data.js';
import type { VersionsRepo } from './ports/versions.js';
import type { SegmentsRepo } from './ports/segments.js';

/** One repository per family of use-cases (src/store/ports/), on every adapter. Families are added as they move here. */
export interface Repos {
  slackSeen: SlackSeenRepo;
  liveness: LivenessRepo;
  models: ModelsRepo;
  /** a model's versions and its current one */
  versions: VersionsRepo;
  /** a model's segments */
  segments: SegmentsRepo;
  apiKeys: ApiKeysRepo;
  audit: AuditRepo;
  /** claims on scheduled work (ticks, the daily run), so that replicas do it once */
  claims: ClaimsRepo;
  /** the data family: events, baselines, statistics, metric reads, retention, compaction */
  data: DataRepo;
}

/** The monitoring families: monitors, their evaluations, channels, alerts and the outbox. */
export interface MonitoringRepos {
  monitors: MonitorsRepo;
  evaluations: EvaluationsRepo;
  channels: ChannelsRepo;
  alerts: AlertsRepo;
  outbox: OutboxRepo;
}

/** Everything services may ask of storage. */
export interface StorePort extends TransactionPort, Repos, MonitoringRepos {}

/** A store as a process holds it (Deps.store): the port, and its closing (awaited: PostgreSQL ends its pool). */
export interface OpenStore extends StorePort {
  close(): void | Promise<void>;
}

/** What every adapter implements: the whole StorePort (kept as a name for code that uses it). */
export type CommonStorePort = StorePort;
