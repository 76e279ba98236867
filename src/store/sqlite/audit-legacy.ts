// TRANSITIONAL: the audit insert of the families not yet behind the storage port, which
// still write inside their own synchronous drizzle transactions (services/audit.ts
// recordAudit). It goes when the last of them uses store.audit.
import type { AuditRecord } from '../../domain/audit.js';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';

/** Writes an entry with `db` (the caller's drizzle transaction), synchronously. */
export function insertAuditRow(db: Db, e: AuditRecord): void {
  db.insert(auditLog).values({ at: e.at, actor: e.actor, action: e.action, target: e.target, details: e.details ?? null }).run();
}
