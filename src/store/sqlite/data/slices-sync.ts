// A model's statistics slices on SQLite (stats_slices): one per version, per segment and
// per pair, each with its profile built from its baseline rows (the version's own when it
// has a baseline, else the model's, restricted to its segment; METRICS.md "Segments and
// versions"). Every function runs inside the caller's write transaction.
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../../domain/model.js';
import { buildBaselineProfile, type BaselineProfile, type BaselineRow } from '../../../domain/metrics/profile.js';
import { inSegment } from '../../../domain/segments/match.js';
import type { SegmentCondition } from '../../../domain/segments/segment.js';
import type { SliceState } from '../../../domain/slices.js';
import type { SliceLookup } from '../../ports/data.js';
import { forgetModel } from './stats-store.js';

type BaselineTuple = [string, number | null, string | null, number | null, string | null, number | null, string | null];

/** The baseline rows of the model (`versionId` null) or of one version's own baseline. */
export function baselineRowsOf(sqlite: Database.Database, modelId: number, versionId: number | null): BaselineRow[] {
  const tuples = sqlite
    .prepare(
      `SELECT features, score, predicted_label, value, actual_label, actual_value, attributions FROM baseline_rows
       WHERE model_id = ? AND version_id IS ? ORDER BY id`,
    )
    .raw()
    .all(modelId, versionId) as BaselineTuple[];
  return tuples.map((t) => ({
    features: JSON.parse(t[0]) as Record<string, unknown>,
    score: t[1],
    predictedLabel: t[2],
    value: t[3],
    actualLabel: t[4],
    actualValue: t[5],
    attributions: t[6] === null ? null : (JSON.parse(t[6]) as Record<string, unknown>),
  }));
}

const STATS_TABLES = ['stats_hourly', 'stats_partial', 'stats_rollup'] as const;

/**
 * Makes stats_slices match the model's versions x segments and recomputes every slice's
 * profile; deletes the statistics of slices that are gone. Returns the slices whose
 * statistics must be (re)built: the new ones and those whose profile layout changed.
 */
export function syncSliceRows(sqlite: Database.Database, model: ModelRecord): number[] {
  const versions = sqlite.prepare('SELECT id, baseline_row_count FROM model_versions WHERE model_id = ? ORDER BY id').raw().all(model.id) as Array<[number, number | null]>;
  const segments = (sqlite.prepare('SELECT id, conditions FROM segments WHERE model_id = ? ORDER BY id').raw().all(model.id) as Array<[number, string]>).map(
    ([id, text]) => ({ id, conditions: JSON.parse(text) as SegmentCondition[] }),
  );
  const wanted = new Map<string, { versionId: number | null; segmentId: number | null }>();
  const keyOf = (v: number | null, s: number | null) => `${v ?? ''}:${s ?? ''}`;
  for (const [v] of versions) wanted.set(keyOf(v, null), { versionId: v, segmentId: null });
  for (const s of segments) {
    wanted.set(keyOf(null, s.id), { versionId: null, segmentId: s.id });
    for (const [v] of versions) wanted.set(keyOf(v, s.id), { versionId: v, segmentId: s.id });
  }
  const existing = sqlite.prepare('SELECT id, version_id, segment_id, profile FROM stats_slices WHERE model_id = ?').raw().all(model.id) as Array<[number, number | null, number | null, string | null]>;
  const have = new Map<string, { id: number; profile: string | null }>();
  for (const [id, v, s, profile] of existing) {
    if (wanted.has(keyOf(v, s))) have.set(keyOf(v, s), { id, profile });
    else sqlite.prepare('DELETE FROM stats_slices WHERE id = ?').run(id);
  }
  // the statistics of every slice that is gone (deleted here, or with its version or segment)
  for (const t of STATS_TABLES)
    sqlite.prepare(`DELETE FROM ${t} WHERE model_id = ? AND slice <> 0 AND slice NOT IN (SELECT id FROM stats_slices WHERE model_id = ?)`).run(model.id, model.id);

  const modelRows = baselineRowsOf(sqlite, model.id, null);
  const ownRows = new Map<number, BaselineRow[]>();
  for (const [v, count] of versions) if (count !== null) ownRows.set(v, baselineRowsOf(sqlite, model.id, v));
  const segmentOf = new Map(segments.map((s) => [s.id, s.conditions]));
  const insert = sqlite.prepare('INSERT INTO stats_slices (model_id, version_id, segment_id, profile, backfill_total, backfill_done, ready_at) VALUES (?, ?, ?, ?, 0, 0, NULL)');
  const update = sqlite.prepare('UPDATE stats_slices SET profile = ? WHERE id = ?');
  const rebuild: number[] = [];
  for (const [key, w] of wanted) {
    const source = (w.versionId !== null ? ownRows.get(w.versionId) : undefined) ?? modelRows;
    const conditions = w.segmentId === null ? null : segmentOf.get(w.segmentId)!;
    const rows = conditions ? source.filter((r) => inSegment(conditions, r.features)) : source;
    const profile: BaselineProfile | null = rows.length > 0 ? buildBaselineProfile(model, rows) : null;
    const text = profile === null ? null : JSON.stringify(profile);
    const old = have.get(key);
    if (!old) {
      rebuild.push(Number(insert.run(model.id, w.versionId, w.segmentId, text).lastInsertRowid));
      continue;
    }
    if (old.profile === text) continue;
    update.run(text, old.id);
    // stored statistics depend on the profile's layout only (its key): counts alone change drift, not them
    const oldKey = old.profile === null ? null : (JSON.parse(old.profile) as BaselineProfile).key;
    if (oldKey !== (profile?.key ?? null)) rebuild.push(old.id);
  }
  forgetModel(sqlite, model.id);
  return rebuild;
}

/** The slice of a version and/or segment named by the caller. */
export function findSlice(sqlite: Database.Database, modelId: number, version: string | null, segment: string | null): SliceLookup {
  if (version === null && segment === null) return { ok: true, slice: 0 };
  let versionId: number | null = null;
  let segmentId: number | null = null;
  if (version !== null) {
    const id = sqlite.prepare('SELECT id FROM model_versions WHERE model_id = ? AND name = ?').pluck().get(modelId, version) as number | undefined;
    if (id === undefined) return { ok: false, field: 'version' };
    versionId = id;
  }
  if (segment !== null) {
    const id = sqlite.prepare('SELECT id FROM segments WHERE model_id = ? AND name = ?').pluck().get(modelId, segment) as number | undefined;
    if (id === undefined) return { ok: false, field: 'segment' };
    segmentId = id;
  }
  const slice = sqlite.prepare('SELECT id FROM stats_slices WHERE model_id = ? AND version_id IS ? AND segment_id IS ?').pluck().get(modelId, versionId, segmentId) as number | undefined;
  // versions and segments are created with their slices (syncSlices) in one transaction
  if (slice === undefined) throw new Error(`model ${modelId} has no statistics slice for version ${versionId} and segment ${segmentId}: syncSlices was not called`);
  return { ok: true, slice };
}

/** The model's slices and their backfill progress. */
export function sliceStates(sqlite: Database.Database, modelId: number): SliceState[] {
  const rows = sqlite
    .prepare('SELECT id, version_id, segment_id, backfill_done, backfill_total, ready_at FROM stats_slices WHERE model_id = ? ORDER BY id')
    .raw()
    .all(modelId) as Array<[number, number | null, number | null, number, number, number | null]>;
  return rows.map(([id, versionId, segmentId, backfillDone, backfillTotal, readyAt]) => ({ id, versionId, segmentId, backfillDone, backfillTotal, readyAt }));
}
