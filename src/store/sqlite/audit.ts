// AuditRepo on SQLite, and the synchronous insert that families not yet behind the port
// still call inside their own drizzle transactions (through services/audit.ts recordAudit).
import type { AuditRecord } from '../../domain/audit.js';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { AuditRepo } from '../ports/audit.js';
import type { SqliteContext } from './context.js';

interface Row {
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
}

/** The SQLite audit_log repository. */
export function sqliteAudit({ tx, statement }: SqliteContext): AuditRepo {
  return {
    record: (e) =>
      tx.exec(() => {
        statement<[number, string, string, string | null, string | null]>('INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)').run(
          e.at,
          e.actor,
          e.action,
          e.target,
          e.details === null || e.details === undefined ? null : JSON.stringify(e.details),
        );
      }),
    list: (limit) =>
      tx.exec(() =>
        statement<[number], Row>('SELECT at, actor, action, target, details FROM audit_log ORDER BY id DESC LIMIT ?')
          .all(limit)
          .map((r) => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as unknown) })),
      ),
  };
}

/**
 * TRANSITIONAL: writes an entry with `db`, synchronously, for the services not yet behind
 * the port (their changes run in synchronous drizzle transactions). Goes with them.
 */
export function insertAuditRow(db: Db, e: AuditRecord): void {
  db.insert(auditLog).values({ at: e.at, actor: e.actor, action: e.action, target: e.target, details: e.details ?? null }).run();
}
