// The audit log: every mutation writes one entry in the same transaction as its change.
// What an entry says (the actor's name, details redacted and bounded) is decided here;
// the store keeps it (`deps.store.audit`).
import type { AuditRecord } from '../domain/audit.js';
import type { Deps, Actor } from './deps.js';
import { MAX_AUDIT_DETAILS } from '../domain/input/limits.js';
import { REDACTED, redactUrl } from '../domain/redact.js';

export type { AuditRecord };

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
    const n = JSON.stringify(v)?.length ?? 0;
    if (n <= part) out[k] = v;
    else if (typeof v === 'string') out[k] = `${v.slice(0, 100)}... (${v.length} characters)`;
    else if (Array.isArray(v)) out[k] = { summarised: true, items: v.length };
    else out[k] = { summarised: true, characters: n };
  }
  return out;
}

/** The entry as the log keeps it: the actor by name, details (when any) redacted and bounded. */
export function auditEntry(at: number, actor: Actor | string, action: string, target: string | null, details?: unknown): AuditRecord {
  return {
    at,
    actor: typeof actor === 'string' ? actor : actor.name,
    action,
    target,
    details: details === undefined ? null : bounded(scrub(details)),
  };
}

/**
 * Writes an audit entry through the store. Call it inside the `deps.store.transaction` of
 * the change it records, so that the entry and the change commit or roll back together.
 */
export function writeAudit(deps: Deps, at: number, actor: Actor | string, action: string, target: string | null, details?: unknown): Promise<void> {
  return deps.store.audit.record(auditEntry(at, actor, action, target, details));
}

/** Newest entries first; limit defaults to 100 and is capped at 1000. */
export async function listAudit(deps: Deps, limit = 100): Promise<AuditRecord[]> {
  return deps.store.audit.list(Math.max(1, Math.min(1000, Math.floor(limit))));
}

/** Ingest batches are data, not changes: a report lists what changed a model, not every batch. */
const DATA_ACTIONS = ['logPredictions', 'logActuals'];

/**
 * The entries that changed the model or its monitors and alerts in [from, to), oldest
 * first, at most `limit`: targets are the model's name, `monitor:<id>` and `alert:<id>`.
 */
export function listAuditAbout(deps: Deps, targets: string[], from: number, to: number, limit = 1000): Promise<AuditRecord[]> {
  return deps.store.audit.about({ targets, from, to, exceptActions: DATA_ACTIONS, limit: Math.max(1, Math.min(1000, Math.floor(limit))) });
}
