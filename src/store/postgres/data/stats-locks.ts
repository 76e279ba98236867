// Advisory transaction locks over a model's statistics on PostgreSQL, so that replicas
// share compaction without a lost update: folding an hour's partials holds the model's
// statistics lock shared and the (model, hour) lock exclusively (each per slice: a slice's
// statistics are claimed apart from the model's other slices'); building roll-ups holds
// the statistics lock alone (a roll-up built from hours that a fold changes meanwhile
// would miss that fold). Both also share the model's data lock (the write half's: a
// rebuild, a new baseline or a purge mark holds it alone: locks.ts), so no step writes rows
// computed before such a change. Compaction only ever tries (it never waits: a step
// skips what is held, the next pass takes it). Statistics keys are 64-bit hashes under
// their own prefix: a collision only makes a step skip.
import { createHash } from 'node:crypto';

import type { Queryable } from './locks.js';

/** A signed 64-bit advisory-lock key (as text, for a bigint parameter) for these parts. */
function lockKey(...parts: Array<string | number>): string {
  return createHash('sha256').update(`glassbox:stats:${parts.join(':')}`).digest().readBigInt64BE(0).toString();
}

const modelKey = (modelId: number, slice: number) => lockKey('model', modelId, slice);
const hourKey = (modelId: number, slice: number, hour: number) => lockKey('hour', modelId, slice, hour);

async function attempt(q: Queryable, fn: string, key: string): Promise<boolean> {
  const r = await q.query<{ ok: boolean }>(`SELECT ${fn}($1::bigint) AS ok`, [key]);
  return r.rows[0]!.ok;
}

/** The statistics of the model's slice alone for this transaction (a roll-up build), or false at once. */
export const tryModelAlone = (q: Queryable, modelId: number, slice: number) => attempt(q, 'pg_try_advisory_xact_lock', modelKey(modelId, slice));

/** The statistics of the model's slice shared with other folds for this transaction, or false at once. */
export const tryModelShared = (q: Queryable, modelId: number, slice: number) => attempt(q, 'pg_try_advisory_xact_lock_shared', modelKey(modelId, slice));

/** The (model, slice, hour) claim for this transaction, or false when another compactor holds it. */
export const tryHour = (q: Queryable, modelId: number, slice: number, hour: number) => attempt(q, 'pg_try_advisory_xact_lock', hourKey(modelId, slice, hour));
