// Baselines on PostgreSQL, as SQLite's (services/baselines.ts): replaced whole in one
// transaction with their profile (domain/metrics/profile.ts), every statistic rebuilt
// under it and the audit entry; the model's events of a window read as baseline rows.
import type pg from 'pg';
import type { AuditRecord } from '../../../domain/audit.js';
import type { BaselineRowIn } from '../../../domain/ingest/validate.js';
import { buildBaselineProfile, type BaselineRow } from '../../../domain/metrics/profile.js';
import type { ModelRecord } from '../../../domain/model.js';
import type { BaselineInfo } from '../../ports/data.js';
import type { PgContext } from '../context.js';
import { copyField, copyIn } from '../copy-text.js';
import { pgAudit } from '../audit.js';
import { holdModel, type Queryable } from './locks.js';
import { forgetContext } from './stats-context.js';
import { rebuildStatsOn } from './rebuild-stats.js';

/** The model's baseline summary, or null. */
export async function baselineOf(q: Queryable, modelId: number): Promise<BaselineInfo | null> {
  const r = await q.query<{ row_count: number; updated_at: number }>('SELECT row_count, updated_at FROM baselines WHERE model_id = $1', [modelId]);
  const row = r.rows[0];
  return row ? { rowCount: row.row_count, updatedAt: row.updated_at } : null;
}

/** Replaces the baseline inside the open transaction of `client`; its time is the audit entry's. */
export async function replaceBaselineOn(ctx: PgContext, client: pg.PoolClient, model: ModelRecord, rows: BaselineRowIn[], audit: AuditRecord): Promise<BaselineInfo> {
  await holdModel(client, model.id);
  await client.query('DELETE FROM baseline_rows WHERE model_id = $1', [model.id]);
  let text = '';
  const forProfile: BaselineRow[] = [];
  for (const r of rows) {
    text +=
      `${model.id}\t${copyField(r.featuresText ?? JSON.stringify(r.features))}\t${copyField(r.score)}\t${copyField(r.predictedLabel)}\t` +
      `${copyField(r.value)}\t${copyField(r.actualLabel)}\t${copyField(r.actualValue)}\n`;
    forProfile.push({ features: r.features, score: r.score, predictedLabel: r.predictedLabel, value: r.value, actualLabel: r.actualLabel, actualValue: r.actualValue });
  }
  if (text) await copyIn(client, 'baseline_rows (model_id, features, score, predicted_label, value, actual_label, actual_value)', text);
  const profile = buildBaselineProfile(model, forProfile);
  await client.query(
    `INSERT INTO baselines (model_id, row_count, updated_at, profile) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (model_id) DO UPDATE SET row_count = excluded.row_count, updated_at = excluded.updated_at, profile = excluded.profile`,
    [model.id, rows.length, audit.at, JSON.stringify(profile)],
  );
  forgetContext(ctx.pool, model.id);
  await rebuildStatsOn(ctx, client, model);
  await pgAudit(ctx).record(audit);
  return { rowCount: rows.length, updatedAt: audit.at };
}

/** The model's events in [from, to) as baseline rows, in (ts, id) order. */
export async function eventsAsBaselineRowsOf(q: Queryable, modelId: number, from: number, to: number): Promise<BaselineRowIn[]> {
  const r = await q.query<{ features: string; score: number | null; predicted_label: string | null; value: number | null; actual_label: string | null; actual_value: number | null }>(
    `SELECT features, score, predicted_label, value, actual_label, actual_value FROM events
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
  }));
}
