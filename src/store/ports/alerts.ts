// Alerts and their history: the rows the alert state machine's transitions write.
import type { AlertEventRecord, AlertRecord, StoredAlert } from '../../domain/monitoring/alert.js';
import type { AlertStatus } from '../../domain/alerts/state-machine.js';

export type NewAlert = Pick<StoredAlert, 'monitorId' | 'modelId' | 'severity' | 'status' | 'value' | 'threshold' | 'sampleSize' | 'message' | 'openedAt' | 'updatedAt' | 'lastNotifiedAt'>;

export type AlertChange = Partial<
  Pick<StoredAlert, 'status' | 'severity' | 'snoozedUntil' | 'acknowledgedBy' | 'lastNotifiedAt' | 'value' | 'threshold' | 'sampleSize' | 'message' | 'updatedAt' | 'resolvedAt'>
>;

export interface AlertFilter {
  model?: string;
  modelId?: number;
  monitorId?: number;
  status?: AlertStatus[];
}

export interface AlertsRepo {
  /**
   * Serialises the alert transitions of one monitor until the enclosing transaction ends:
   * call it first inside `store.transaction`, before reading the state to decide on.
   * SQLite: nothing to do, the transaction's write lock (BEGIN IMMEDIATE) already
   * serialises every writer. PostgreSQL: `SELECT … FROM monitors WHERE id = $1 FOR UPDATE`
   * (or `pg_advisory_xact_lock`), released at commit or rollback.
   */
  lockMonitor(monitorId: number): Promise<void>;
  /** The alert with that id, or null. */
  get(id: number): Promise<StoredAlert | null>;
  /** The monitor's alert that is not RESOLVED (at most one), or null. */
  openOf(monitorId: number): Promise<StoredAlert | null>;
  /** Newest opened first (then highest id), at most `limit`. */
  list(filter: AlertFilter, limit: number): Promise<AlertRecord[]>;
  /** Inserts an alert; its id. */
  open(a: NewAlert): Promise<number>;
  change(id: number, c: AlertChange): Promise<void>;
  /** Appends a step to the alert's history; the event's id (part of idempotency keys). */
  addEvent(alertId: number, e: AlertEventRecord): Promise<number>;
  /** The alert's history, oldest first. */
  events(alertId: number): Promise<AlertEventRecord[]>;
  /** Ids of SNOOZED alerts whose snooze ended at or before `now`. */
  snoozesEnded(now: number): Promise<number[]>;
}
