// One contract for the storage port's repositories, run against every adapter (SQLite,
// PostgreSQL) by a test file of its own: same calls, same records, same orderings, same
// nulls. Where the adapters may differ by design (a call beside an open transaction waits on
// SQLite's single connection, runs at once on a PostgreSQL pool), the harness says which.
import { beforeEach, describe } from 'vitest';
import type { StorePort } from '../../src/store/port.js';
import { transactionContract } from './contract/transactions.js';
import { modelsContract } from './contract/models.js';
import { modelRaceContract } from './contract/model-races.js';
import { keysAuditSlackContract } from './contract/keys-audit-slack.js';
import { livenessContract } from './contract/liveness.js';
import { channelsMonitorsContract } from './contract/channels-monitors.js';
import { alertsContract } from './contract/alerts.js';
import { outboxContract } from './contract/outbox.js';
import { claimsContract } from './contract/claims.js';
import { versionsSegmentsContract } from './contract/versions-segments.js';

export interface RepoHarness {
  store: StorePort;
  /** the same database through another connection (SQLite) or pool (PostgreSQL) */
  second: StorePort;
  /**
   * where another replica runs a transaction while one is open on `store`: the second pool
   * (PostgreSQL); `store` itself on SQLite, where one process holds the file (a second
   * connection's BEGIN IMMEDIATE would block the thread until the first commits)
   */
  replica: StorePort;
  /** runs one portable SQL statement (literal values) on the first store's database; its rows */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** stores one event of the model where ingest would (PostgreSQL: in its day partition) */
  addEvent(modelId: number, eventId: string, ts: number): Promise<void>;
  /** true when a repository call beside another caller's open transaction waits for it to end */
  outsideWaits: boolean;
  /** resolves once a connection waits for a lock another holds (PostgreSQL); at once on SQLite, which queues whole transactions */
  lockWaited(): Promise<void>;
}

/** A fresh, empty, migrated database for each test (the file's describe closes what it opens). */
export type OpenHarness = () => Promise<RepoHarness>;

/** Describes the whole repository contract for one adapter. */
export function describeRepos(name: string, open: OpenHarness): void {
  describe(`storage port repositories on ${name}`, () => {
    const h = {} as RepoHarness;
    beforeEach(async () => {
      Object.assign(h, await open());
    });
    transactionContract(h);
    modelsContract(h);
    modelRaceContract(h);
    keysAuditSlackContract(h);
    livenessContract(h);
    channelsMonitorsContract(h);
    alertsContract(h);
    outboxContract(h);
    claimsContract(h);
    versionsSegmentsContract(h);
  });
}
