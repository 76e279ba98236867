// AuditRepo on SQLite (the synchronous insert of the families not yet behind the port is
// in audit-legacy.ts).
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
