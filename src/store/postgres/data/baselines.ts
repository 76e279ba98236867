// Baselines on PostgreSQL, as SQLite's (services/baselines.ts): replaced whole in one
// transaction with their profile (domain/metrics/profile.ts), every statistic rebuilt
// under it and the audit entry; the model's events of a window read as baseline rows.
import type pg from 'pg';
import type { AuditRecord } from '../../../domain/audit.js';
import { profileRowOf, type BaselineRowIn } from '../../../domain/ingest/validate.js';
import { buildBaselineProfile, type BaselineRow } from '../../../domain/metrics/profile.js';
import type { ModelRecord } from '../../../domain/model.js';
import type { BaselineInfo } from '../../ports/data.js';
import type { PgContext } from '../context.js';
import { copyField, copyIn } from '../copy-text.js';
import { pgAudit } from '../audit.js';
import { holdModel, type Queryable } from './locks.js';
import { forgetContext } from './stats-context.js';
import { rebuildStatsOn } from './rebuild-stats.js';
import { syncSlicesOn } from './slices-sync.js';
import { notFound } from '../../../errors.js';

/** The model's baseline summary, or null. */
export async function baselineOf(q: Queryable, modelId: number): Promise<BaselineInfo | null> {
  const r = await q.query<{ row_count: number; updated_at: number }>('SELECT row_count, updated_at FROM baselines WHERE model_id = $1', [modelId]);
  const row = r.rows[0];
  return row ? { rowCount: row.row_count, updatedAt: row.updated_at } : null;
}

/** Stores a model's (versionId null) or a version's baseline rows in place of its old ones; returns them as the profile takes them. */
async function storeRows(client: pg.PoolClient, modelId: number, versionId: number | null, rows: BaselineRowIn[]): Promise<BaselineRow[]> {
  await client.query('DELETE FROM baseline_rows WHERE model_id = $1 AND version_id IS NOT DISTINCT FROM $2', [modelId, versionId]);
  let text = '';
  const forProfile: BaselineRow[] = [];
  for (const r of rows) {
    const attributions = r.attributions ?? null;
    text +=
      `${modelId}\t${copyField(versionId)}\t${copyField(r.featuresText ?? JSON.stringify(r.features))}\t${copyField(r.score)}\t${copyField(r.predictedLabel)}\t` +
      `${copyField(r.value)}\t${copyField(r.actualLabel)}\t${copyField(r.actualValue)}\t${copyField(attributions)}\n`;
    forProfile.push(profileRowOf(r));
  }
  if (text) await copyIn(client, 'baseline_rows (model_id, version_id, features, score, predicted_label, value, actual_label, actual_value, attributions)', text);
  return forProfile;
}

/** Replaces the baseline inside the open transaction of `client`; its time is the audit entry's. */
export async function replaceBaselineOn(ctx: PgContext, client: pg.PoolClient, model: ModelRecord, rows: BaselineRowIn[], audit: AuditRecord): Promise<BaselineInfo> {
  await holdModel(client, model.id);
  const forProfile = await storeRows(client, model.id, null, rows);
  const profile = buildBaselineProfile(model, forProfile);
  await client.query(
    `INSERT INTO baselines (model_id, row_count, updated_at, profile) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (model_id) DO UPDATE SET row_count = excluded.row_count, updated_at = excluded.updated_at, profile = excluded.profile`,
    [model.id, rows.length, audit.at, JSON.stringify(profile)],
  );
  forgetContext(ctx.pool, model.id);
  // the slices' profiles follow (those without a version baseline of their own take these
  // rows); then every statistic, the slices' too, is rebuilt in one scan: all ready at commit
  await syncSlicesOn(client, model);
  await rebuildStatsOn(ctx, client, model, { model: true, slices: 'all', at: audit.at });
  await pgAudit(ctx).record(audit);
  return { rowCount: rows.length, updatedAt: audit.at };
}

/**
 * Replaces a version's own baseline inside the open transaction of `client`: its rows, its
 * summary and profile in model_versions, the slices' profiles (those of the version start
 * over: compaction builds them, slice-backfill.ts), and `audit`.
 */
export async function replaceVersionBaselineOn(ctx: PgContext, client: pg.PoolClient, model: ModelRecord, versionId: number, rows: BaselineRowIn[], audit: AuditRecord): Promise<BaselineInfo> {
  await holdModel(client, model.id);
  const found = await client.query('SELECT 1 FROM model_versions WHERE id = $1 AND model_id = $2', [versionId, model.id]);
  if (found.rowCount === 0) throw notFound(`version ${versionId} of model ${model.name}`);
  const forProfile = await storeRows(client, model.id, versionId, rows);
  const profile = buildBaselineProfile(model, forProfile);
  await client.query('UPDATE model_versions SET baseline_row_count = $2, baseline_updated_at = $3, baseline_profile = $4::jsonb WHERE id = $1', [
    versionId,
    rows.length,
    audit.at,
    JSON.stringify(profile),
  ]);
  await syncSlicesOn(client, model);
  await pgAudit(ctx).record(audit);
  return { rowCount: rows.length, updatedAt: audit.at };
}

/** The model's events in [from, to) as baseline rows, in (ts, id) order. */
export async function eventsAsBaselineRowsOf(q: Queryable, modelId: number, from: number, to: number): Promise<BaselineRowIn[]> {
  const r = await q.query<{ features: string; score: number | null; predicted_label: string | null; value: number | null; actual_label: string | null; actual_value: number | null; attributions: string | null }>(
    `SELECT features, score, predicted_label, value, actual_label, actual_value, attributions FROM events
      WHERE model_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts, id`,
    [modelId, from, to],
  );
  return r.rows.map((t, index) => ({
    index,
    features: JSON.parse(t.features) as Record<string, unknown>,
    featuresText: t.features,
    score: t.score,
    predictedLabel: t.predicted_label,
    value: t.value,
    actualLabel: t.actual_label,
    actualValue: t.actual_value,
    attributions: t.attributions,
  }));
}
