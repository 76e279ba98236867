// AuditRepo on SQLite; `insertAudit` is also what the data family's synchronous
// transactions (ingest batches, baselines) write their entry with.
import type { AuditRecord } from '../../domain/audit.js';
import type { AuditRepo } from '../ports/audit.js';
import type { SqliteContext } from './context.js';

interface Row {
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
}

/** Writes an entry now, on the caller's turn (inside its transaction, when it has one). */
export function insertAudit({ statement }: SqliteContext, e: AuditRecord): void {
  statement<[number, string, string, string | null, string | null]>('INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)').run(
    e.at,
    e.actor,
    e.action,
    e.target,
    e.details === null || e.details === undefined ? null : JSON.stringify(e.details),
  );
}

/** The SQLite audit_log repository. */
export function sqliteAudit(ctx: SqliteContext): AuditRepo {
  const { tx, statement } = ctx;
  return {
    record: (e) => tx.exec(() => insertAudit(ctx, e)),
    list: (limit) =>
      tx.exec(() =>
        statement<[number], Row>('SELECT at, actor, action, target, details FROM audit_log ORDER BY id DESC LIMIT ?')
          .all(limit)
          .map((r) => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as unknown) })),
      ),
    about: (q) =>
      tx.exec(() => {
        if (q.targets.length === 0) return [];
        // built per call: the number of targets and actions varies (bound values, never spliced text)
        const mark = (n: number) => Array(n).fill('?').join(', ');
        const except = q.exceptActions.length ? ` AND action NOT IN (${mark(q.exceptActions.length)})` : '';
        const rows = ctx.sqlite
          .prepare<unknown[], Row>(`SELECT at, actor, action, target, details FROM audit_log WHERE target IN (${mark(q.targets.length)}) AND at >= ? AND at < ?${except} ORDER BY at, id LIMIT ?`)
          .all(...q.targets, q.from, q.to, ...q.exceptActions, q.limit);
        return rows.map((r) => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as unknown) }));
      }),
    lastAt: (action) => tx.exec(() => statement<[string], number | null>('SELECT max(at) FROM audit_log WHERE action = ?').pluck().get(action) ?? null),
  };
}
