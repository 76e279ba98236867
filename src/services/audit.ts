// The audit log: every mutation writes one entry in the same transaction as its change.
import { desc } from 'drizzle-orm';
import { auditLog } from '../db/schema/index.js';
import type { Db } from '../db/client.js';
import type { Deps, Actor } from './deps.js';
import { REDACTED, redactUrl } from '../domain/redact.js';

export interface AuditRecord {
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
}

/** Keys whose values are never written to the audit log, whatever the mutation passes. */
const SECRET_KEYS = /secret|token|password|authorization/i;
/** Keys holding URLs, which carry credentials often enough to be secrets: scheme and host only. */
const URL_KEYS = /(url|uri|endpoint)$/i;

/**
 * The details as the audit log keeps them. A secret that was given shows as
 * "[redacted]"; one that was not (null, absent) stays so, so the entry does not claim
 * a secret that never existed.
 */
export function scrub(value: unknown, key = ''): unknown {
  if (value === null || value === undefined || value === '') return value;
  if (key && SECRET_KEYS.test(key)) return REDACTED;
  if (key && URL_KEYS.test(key) && typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, key));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrub(v, k)]));
  }
  return value;
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
      details: details === undefined ? null : scrub(details),
    })
    .run();
}

/** Newest entries first; limit defaults to 100 and is capped at 1000. */
export async function listAudit(deps: Deps, limit = 100): Promise<AuditRecord[]> {
  const n = Math.max(1, Math.min(1000, Math.floor(limit)));
  const rows = deps.store.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(n).all();
  return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, target: r.target, details: r.details }));
}
