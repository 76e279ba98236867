// Advisory transaction locks over a model's statistics on PostgreSQL, so that replicas
// share compaction without a lost update: folding an hour's partials holds the model's
// lock shared and the (model, hour) lock exclusively; building a roll-up, and rebuilding
// a model's statistics (a new baseline or threshold), hold the model's lock exclusively
// (a roll-up built from hours that a fold changes meanwhile would miss that fold). Keys
// are 64-bit hashes under their own prefix: a collision only makes a step wait or skip.
import { createHash } from 'node:crypto';

/** Anything that runs a parameterised query (a pool client inside its transaction). */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** A signed 64-bit advisory-lock key (as text, for a bigint parameter) for these parts. */
function lockKey(...parts: Array<string | number>): string {
  return createHash('sha256').update(`glassbox:stats:${parts.join(':')}`).digest().readBigInt64BE(0).toString();
}

const modelKey = (modelId: number) => lockKey('model', modelId);
const hourKey = (modelId: number, hour: number) => lockKey('hour', modelId, hour);

async function attempt(q: Queryable, fn: string, key: string): Promise<boolean> {
  const r = await q.query<{ ok: boolean }>(`SELECT ${fn}($1::bigint) AS ok`, [key]);
  return r.rows[0]!.ok;
}

/**
 * Waits for the model's statistics to be the caller's alone until its transaction ends:
 * whoever deletes or rewrites them wholesale (rebuildStats, replaceBaseline) takes it.
 */
export async function lockModelStats(q: Queryable, modelId: number): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1::bigint)', [modelKey(modelId)]);
}

/** The model's statistics alone for this transaction (a roll-up build), or false at once. */
export const tryModelAlone = (q: Queryable, modelId: number) => attempt(q, 'pg_try_advisory_xact_lock', modelKey(modelId));

/** The model's statistics shared with other folds for this transaction, or false at once. */
export const tryModelShared = (q: Queryable, modelId: number) => attempt(q, 'pg_try_advisory_xact_lock_shared', modelKey(modelId));

/** The (model, hour) claim for this transaction, or false when another compactor holds it. */
export const tryHour = (q: Queryable, modelId: number, hour: number) => attempt(q, 'pg_try_advisory_xact_lock', hourKey(modelId, hour));
