// AuditRepo on PostgreSQL. Details are `json` (kept as written, key order included), not
// jsonb, so an entry reads back exactly as SQLite's JSON text does.
import { sql } from 'drizzle-orm';
import type { AuditRecord } from '../../domain/audit.js';
import type { AuditRepo } from '../ports/audit.js';
import type { PgContext } from './context.js';
import { int8 } from './int8.js';

interface Row extends Record<string, unknown> {
  at: unknown;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
}

/** The PostgreSQL audit_log repository. */
export function pgAudit({ tx }: PgContext): AuditRepo {
  return {
    record: async (e) => {
      const details = e.details === null || e.details === undefined ? null : JSON.stringify(e.details);
      await tx.q().execute(sql`INSERT INTO audit_log (at, actor, action, target, details) VALUES (${e.at}, ${e.actor}, ${e.action}, ${e.target}, ${details}::json)`);
    },
    list: async (limit): Promise<AuditRecord[]> =>
      (await tx.q().execute<Row>(sql`SELECT at, actor, action, target, details FROM audit_log ORDER BY id DESC LIMIT ${limit}`)).rows.map((r) => ({
        at: int8(r.at),
        actor: r.actor,
        action: r.action,
        target: r.target,
        details: r.details,
      })),
    about: async (q): Promise<AuditRecord[]> => {
      if (q.targets.length === 0) return [];
      const list = (xs: string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);
      const except = q.exceptActions.length ? sql` AND action NOT IN (${list(q.exceptActions)})` : sql``;
      const rows = await tx
        .q()
        .execute<Row>(sql`SELECT at, actor, action, target, details FROM audit_log WHERE target IN (${list(q.targets)}) AND at >= ${q.from} AND at < ${q.to}${except} ORDER BY at, id LIMIT ${q.limit}`);
      return rows.rows.map((r) => ({ at: int8(r.at), actor: r.actor, action: r.action, target: r.target, details: r.details }));
    },
    lastAt: async (action) => {
      const r = (await tx.q().execute<{ at: unknown }>(sql`SELECT max(at) AS at FROM audit_log WHERE action = ${action}`)).rows[0];
      return r?.at === null || r?.at === undefined ? null : int8(r.at);
    },
  };
}
