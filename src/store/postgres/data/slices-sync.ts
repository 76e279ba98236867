// The model's statistics slices kept in step with its versions and segments on PostgreSQL
// (DataRepo.syncSlices, docs in ports/data.ts): one slice per version, per segment and per
// pair; each one's profile built from the baseline rows in it (its version's own rows when
// the version has a baseline, else the model's); a slice that is new, or whose profile has
// another layout key than its statistics were built under, starts over (not ready: reads
// take its raw events, compaction's backfill builds it: slice-backfill.ts). Runs under the
// model's data lock alone, so no batch routes events by a half-changed set.
import type pg from 'pg';
import { buildBaselineProfile, type BaselineProfile, type BaselineRow } from '../../../domain/metrics/profile.js';
import type { ModelRecord } from '../../../domain/model.js';
import { compileSegment } from '../../../domain/segments/match.js';
import type { SegmentCondition } from '../../../domain/segments/segment.js';
import type { SliceState } from '../../../domain/slices.js';
import type { SliceLookup } from '../../ports/data.js';
import { holdModel, type Queryable } from './locks.js';
import { deleteSliceStats } from './stats-rows.js';

type BaselineTuple = {
  features: string;
  score: number | null;
  predicted_label: string | null;
  value: number | null;
  actual_label: string | null;
  actual_value: number | null;
  attributions: string | null;
};

/** A model's (versionId null) or a version's baseline rows as the profile takes them, in the order stored. */
export async function baselineRowsOf(q: Queryable, modelId: number, versionId: number | null): Promise<BaselineRow[]> {
  const r = await q.query<BaselineTuple>(
    `SELECT features, score, predicted_label, value, actual_label, actual_value, attributions FROM baseline_rows
      WHERE model_id = $1 AND version_id IS NOT DISTINCT FROM $2 ORDER BY id`,
    [modelId, versionId],
  );
  return r.rows.map((t) => ({
    features: JSON.parse(t.features) as Record<string, unknown>,
    score: t.score,
    predictedLabel: t.predicted_label,
    value: t.value,
    actualLabel: t.actual_label,
    actualValue: t.actual_value,
    attributions: t.attributions === null ? null : (JSON.parse(t.attributions) as Record<string, unknown>),
  }));
}

/**
 * Syncs the model's slices inside the open transaction of `client` (see the file's
 * comment); returns the ids of the slices that start over.
 */
export async function syncSlicesOn(client: pg.PoolClient, model: ModelRecord): Promise<number[]> {
  await holdModel(client, model.id);
  const versions = (await client.query<{ id: number; own: boolean }>('SELECT id, baseline_row_count IS NOT NULL AS own FROM model_versions WHERE model_id = $1 ORDER BY id', [model.id])).rows;
  const segments = (await client.query<{ id: number; conditions: SegmentCondition[] }>('SELECT id, conditions FROM segments WHERE model_id = $1 ORDER BY id', [model.id])).rows;
  const existing = (
    await client.query<{ id: number; version_id: number | null; segment_id: number | null; key: string | null }>(
      "SELECT id, version_id, segment_id, profile->>'key' AS key FROM stats_slices WHERE model_id = $1 ORDER BY id",
      [model.id],
    )
  ).rows;
  const pairKey = (v: number | null, s: number | null) => `${v ?? '-'}:${s ?? '-'}`;
  const wanted: Array<[number | null, number | null]> = [
    ...versions.map((v) => [v.id, null] as [number, null]),
    ...segments.map((s) => [null, s.id] as [null, number]),
    ...versions.flatMap((v) => segments.map((s) => [v.id, s.id] as [number, number])),
  ];
  const have = new Map(existing.map((e) => [pairKey(e.version_id, e.segment_id), e]));
  const want = new Set(wanted.map(([v, s]) => pairKey(v, s)));
  // slices of gone versions or segments (their rows cascade with them; a leftover goes here)
  const gone = existing.filter((e) => !want.has(pairKey(e.version_id, e.segment_id))).map((e) => e.id);
  if (gone.length > 0) await client.query('DELETE FROM stats_slices WHERE model_id = $1 AND id = ANY($2::int[])', [model.id, gone]);
  const orphans = await client.query<{ slice: number }>(
    `SELECT DISTINCT slice FROM (SELECT slice FROM stats_hourly WHERE model_id = $1 UNION SELECT slice FROM stats_partial WHERE model_id = $1
       UNION SELECT slice FROM stats_rollup WHERE model_id = $1) AS t
      WHERE slice <> 0 AND slice NOT IN (SELECT id FROM stats_slices WHERE model_id = $1)`,
    [model.id],
  );
  await deleteSliceStats(client, model.id, orphans.rows.map((r) => r.slice));
  const rowsOf = new Map<number | null, BaselineRow[]>();
  const sourceOf = async (versionId: number | null) => {
    const own = versionId !== null && versions.find((v) => v.id === versionId)!.own;
    const key = own ? versionId : null;
    if (!rowsOf.has(key)) rowsOf.set(key, await baselineRowsOf(client, model.id, key));
    return rowsOf.get(key)!;
  };
  const restart: number[] = [];
  for (const [v, s] of wanted) {
    const rows = await sourceOf(v);
    const seg = s === null ? null : segments.find((x) => x.id === s)!;
    const test = seg ? compileSegment(seg.conditions) : null;
    const inIt = test ? rows.filter((r) => test(r.features)) : rows;
    const profile: BaselineProfile | null = inIt.length > 0 ? buildBaselineProfile(model, inIt) : null;
    const json = profile === null ? null : JSON.stringify(profile);
    const old = have.get(pairKey(v, s));
    if (!old) {
      const r = await client.query<{ id: number }>('INSERT INTO stats_slices (model_id, version_id, segment_id, profile) VALUES ($1, $2, $3, $4::jsonb) RETURNING id', [model.id, v, s, json]);
      restart.push(r.rows[0]!.id);
      continue;
    }
    if ((old.key ?? null) !== (profile?.key ?? null)) {
      await client.query('UPDATE stats_slices SET profile = $2::jsonb, ready_at = NULL WHERE id = $1', [old.id, json]);
      restart.push(old.id);
    } else {
      // the same layout: its statistics stay valid, only what drift compares them with changes
      await client.query('UPDATE stats_slices SET profile = $2::jsonb WHERE id = $1 AND profile IS DISTINCT FROM $2::jsonb', [old.id, json]);
    }
  }
  if (restart.length > 0) {
    // progress counts the model's events kept by retention (as on SQLite), none read yet
    await client.query(
      `UPDATE stats_slices SET backfill_done = 0, backfill_total = (SELECT count(*) FROM events e, models m
         WHERE e.model_id = $1 AND m.id = $1 AND e.ts >= coalesce(m.purged_before, -9007199254740991)) WHERE model_id = $1 AND id = ANY($2::int[])`,
      [model.id, restart],
    );
  }
  return restart;
}

/** The model's slices and their backfill progress, by id. */
export async function sliceStatesOf(q: Queryable, modelId: number): Promise<SliceState[]> {
  const r = await q.query<{ id: number; version_id: number | null; segment_id: number | null; backfill_done: number; backfill_total: number; ready_at: number | null }>(
    'SELECT id, version_id, segment_id, backfill_done, backfill_total, ready_at FROM stats_slices WHERE model_id = $1 ORDER BY id',
    [modelId],
  );
  return r.rows.map((x) => ({ id: x.id, versionId: x.version_id, segmentId: x.segment_id, backfillDone: x.backfill_done, backfillTotal: x.backfill_total, readyAt: x.ready_at }));
}

/** The slice of a version and/or segment named by the caller (both null: 0, the model). */
export async function findSliceOf(q: Queryable, modelId: number, version: string | null, segment: string | null): Promise<SliceLookup> {
  if (version === null && segment === null) return { ok: true, slice: 0 };
  const r = await q.query<{ v: number | null; s: number | null; slice: number | null }>(
    `SELECT v.id AS v, g.id AS s, (SELECT x.id FROM stats_slices x WHERE x.model_id = $1
        AND x.version_id IS NOT DISTINCT FROM v.id AND x.segment_id IS NOT DISTINCT FROM g.id) AS slice
       FROM (SELECT 1) AS one
       LEFT JOIN model_versions v ON v.model_id = $1 AND v.name = $2
       LEFT JOIN segments g ON g.model_id = $1 AND g.name = $3`,
    [modelId, version, segment],
  );
  const row = r.rows[0]!;
  if (version !== null && row.v === null) return { ok: false, field: 'version' };
  if (segment !== null && row.s === null) return { ok: false, field: 'segment' };
  // a version or segment whose slice syncSlices has not made yet: as if it were unknown
  if (row.slice === null) return { ok: false, field: segment !== null ? 'segment' : 'version' };
  return { ok: true, slice: row.slice };
}
