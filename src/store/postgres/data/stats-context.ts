// The statistics context of a model on PostgreSQL (its features, threshold and baseline
// profile: domain/metrics/context.ts), read with the model's row so that a batch uses the
// model as committed, not as an ingest call found it when it began (another replica may
// have changed its threshold since). The parsed profile is cached per pool while the
// model's and the baseline's stamps are unchanged: reading its megabytes per batch would
// dominate ingest.
import type pg from 'pg';
import { makeStatsContext, type StatsContext } from '../../../domain/metrics/context.js';
import type { BaselineProfile } from '../../../domain/metrics/profile.js';
import type { ModelRecord } from '../../../domain/model.js';
import { MODEL_COLUMNS, modelRecordOf, type ModelRow } from '../../model-rows.js';
import type { Queryable } from './locks.js';

/** The model as committed, with what the data family reads beside it. */
export interface ModelState {
  model: ModelRecord;
  purgedBefore: number | null;
  /** `${updated_at}|${row_count}` of the baseline, or null without one */
  baselineStamp: string | null;
  /** whether any actual of the model waits for its prediction */
  anyPending: boolean;
  /** `${id}:${xmin}` of each of the model's slices (slice-set.ts): changes whenever one does */
  slicesStamp: string;
}

const STATE = `SELECT ${MODEL_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ')}, m.purged_before,
    b.updated_at AS b_updated_at, b.row_count AS b_row_count,
    EXISTS (SELECT 1 FROM pending_actuals p WHERE p.model_id = m.id) AS any_pending,
    (SELECT coalesce(string_agg(s.id || ':' || s.xmin::text, ',' ORDER BY s.id), '') FROM stats_slices s WHERE s.model_id = m.id) AS slices_stamp
  FROM models m LEFT JOIN baselines b ON b.model_id = m.id WHERE m.id = $1`;

type StateRow = ModelRow & { purged_before: number | null; b_updated_at: number | null; b_row_count: number | null; any_pending: boolean; slices_stamp: string };

/** The model's state, or null when it is gone. */
export async function modelState(q: Queryable, modelId: number): Promise<ModelState | null> {
  return modelStateOf((await q.query<StateRow>(STATE, [modelId])).rows);
}

/** The statement reading the model's state with its id inlined (for a multi-statement round trip): its rows go to modelStateOf. */
export function modelStateSql(modelId: number): string {
  return STATE.replace('$1', String(Math.trunc(modelId)));
}

/** The state of the rows of the state statement, or null when there are none (the model is gone). */
export function modelStateOf(rows: readonly StateRow[]): ModelState | null {
  const row = rows[0];
  if (!row) return null;
  return {
    model: modelRecordOf(row),
    purgedBefore: row.purged_before,
    baselineStamp: row.b_updated_at === null ? null : `${row.b_updated_at}|${row.b_row_count}`,
    anyPending: row.any_pending,
    slicesStamp: row.slices_stamp,
  };
}

const cache = new WeakMap<pg.Pool, Map<number, { stamp: string; ctx: StatsContext }>>();

/** The model's baseline profile as stored, or null. */
export async function readProfile(q: Queryable, modelId: number): Promise<BaselineProfile | null> {
  const r = await q.query<{ profile: BaselineProfile }>('SELECT profile FROM baselines WHERE model_id = $1', [modelId]);
  return r.rows[0]?.profile ?? null;
}

/**
 * The statistics context of the model (as `s` has it, or as given) against its current
 * baseline (cached while both are unchanged).
 */
export async function statsContextOf(pool: pg.Pool, q: Queryable, s: Pick<ModelState, 'model' | 'baselineStamp'>): Promise<StatsContext> {
  let perModel = cache.get(pool);
  if (!perModel) cache.set(pool, (perModel = new Map()));
  const m = s.model;
  const stamp = `${modelStamp(m)}|${s.baselineStamp ?? 'none'}`;
  const hit = perModel.get(m.id);
  if (hit && hit.stamp === stamp) return hit.ctx;
  const ctx = makeStatsContext(m, s.baselineStamp === null ? null : await readProfile(q, m.id));
  perModel.set(m.id, { stamp, ctx });
  return ctx;
}

/** What a model's statistics contexts depend on besides the baseline profile. */
export const modelStamp = (m: ModelRecord): string => `${m.updatedAt}|${m.decisionThreshold}|${m.positiveClass}`;

/** Forgets the model's cached context (it was deleted or changed shape). */
export function forgetContext(pool: pg.Pool, modelId: number): void {
  cache.get(pool)?.delete(modelId);
}
