// The audit log: every mutation writes one entry in the same transaction as its change.
import { desc } from 'drizzle-orm';
import { auditLog } from '../db/schema/index.js';
import type { Db } from '../db/client.js';
import type { Deps, Actor } from './deps.js';
import { MAX_AUDIT_DETAILS } from '../domain/input/limits.js';

export interface AuditRecord {
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
}

/** Keys never written to the audit log, whatever the mutation passes. */
const SECRET_KEYS = /secret|token|password|authorization/i;

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : scrub(v)]),
    );
  }
  return value;
}

/**
 * Details as given while their JSON fits MAX_AUDIT_DETAILS; beyond, each member over an
 * eighth of it is summarised (a string by its start and length, a list by its length), so
 * that an entry, and a page of the audit log, stays small whatever a mutation was sent.
 */
function bounded(details: unknown): unknown {
  if (details === null || typeof details !== 'object') return details;
  const size = JSON.stringify(details).length;
  if (size <= MAX_AUDIT_DETAILS) return details;
  if (Array.isArray(details)) return { summarised: true, items: details.length };
  const part = MAX_AUDIT_DETAILS / 8;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details as Record<string, unknown>)) {
    const size = JSON.stringify(v)?.length ?? 0;
    if (size <= part) out[k] = v;
    else if (typeof v === 'string') out[k] = `${v.slice(0, 100)}... (${v.length} characters)`;
    else if (Array.isArray(v)) out[k] = { summarised: true, items: v.length };
    else out[k] = { summarised: true, characters: size };
  }
  return out;
}

/**
 * Writes an audit entry with `db`, which must be the transaction of the change it records,
 * so that the entry and the change commit or roll back together. Secrets are redacted.
 */
export function recordAudit(
  db: Db,
  at: number,
  actor: Actor | string,
  action: string,
  target: string | null,
  details?: unknown,
): void {
  db.insert(auditLog)
    .values({
      at,
      actor: typeof actor === 'string' ? actor : actor.name,
      action,
      target,
      details: details === undefined ? null : bounded(scrub(details)),
    })
    .run();
}

/** Newest entries first; limit defaults to 100 and is capped at 1000. */
export async function listAudit(deps: Deps, limit = 100): Promise<AuditRecord[]> {
  const n = Math.max(1, Math.min(1000, Math.floor(limit)));
  const rows = deps.store.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(n).all();
  return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, target: r.target, details: r.details }));
}
