// The audit log: entries appended in the transaction of the change they record, read newest first.
import type { AuditRecord } from '../../domain/audit.js';

export interface AuditQuery {
  targets: string[];
  from: number;
  to: number;
  exceptActions: string[];
  limit: number;
}

export interface AuditRepo {
  /** Appends an entry as given (the service has redacted and bounded it). */
  record(entry: AuditRecord): Promise<void>;
  /** The newest `limit` entries, newest first. */
  list(limit: number): Promise<AuditRecord[]>;
  /**
   * Entries about any of `targets` written in [from, to), except those of `exceptActions`,
   * oldest first, at most `limit`.
   */
  about(q: AuditQuery): Promise<AuditRecord[]>;
  /** When the newest entry of `action` was written, or null (retention's start-up catch-up). */
  lastAt(action: string): Promise<number | null>;
}
