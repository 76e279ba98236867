// Baselines on SQLite: the rows, their profile and every statistic rebuilt under it,
// replaced in one synchronous transaction with the audit entry.
import { eq } from 'drizzle-orm';
import { baselines } from '../../../db/schema/index.js';
import type { AuditRecord } from '../../../domain/audit.js';
import type { ModelRecord } from '../../../domain/model.js';
import type { BaselineRow } from '../../../domain/metrics/profile.js';
import { profileRowOf, type BaselineRowIn } from '../../../domain/ingest/validate.js';
import type { BaselineInfo } from '../../ports/data.js';
import type { SqliteContext } from '../context.js';
import { insertAudit } from '../audit.js';
import { rebuildStats, setBaselineProfile } from './stats.js';
import { syncSliceRows } from './slices-sync.js';
import { startBackfill } from './slice-backfill.js';
import { buildBaselineProfile } from '../../../domain/metrics/profile.js';
import { notFound } from '../../../errors.js';
import type Database from 'better-sqlite3';
import { EVENT_BLOCK, IN_WINDOW, windowParams } from './event-blocks.js';

/** The model's baseline summary, or null. */
export function baselineInfo({ db }: SqliteContext, modelId: number): BaselineInfo | null {
  const row = db.select({ rowCount: baselines.rowCount, updatedAt: baselines.updatedAt }).from(baselines).where(eq(baselines.modelId, modelId)).get();
  return row ?? null;
}

/** Replaces the baseline (rows, profile, statistics, audit) in one IMMEDIATE transaction; `audit.at` is its time. */
export function replaceBaselineNow(ctx: SqliteContext, model: ModelRecord, rows: BaselineRowIn[], audit: AuditRecord): BaselineInfo {
  const { sqlite, db } = ctx;
  const now = audit.at;
  const tx = sqlite.transaction(() => {
    const forProfile = storeBaselineRows(sqlite, model.id, null, rows);
    const profile = setBaselineProfile(sqlite, model, forProfile);
    const values = { rowCount: rows.length, updatedAt: now, profile: profile as unknown };
    db.insert(baselines)
      .values({ modelId: model.id, ...values })
      .onConflictDoUpdate({ target: baselines.modelId, set: values })
      .run();
    // every slice's profile follows (those of versions without their own baseline, segments);
    // then the model and all its slices are rebuilt here, as the model always was
    syncSliceRows(sqlite, model);
    rebuildStats(sqlite, model, now);
    insertAudit(ctx, audit);
  });
  tx.immediate();
  return { rowCount: rows.length, updatedAt: now };
}

/** Replaces the rows of the model's baseline (`versionId` null) or of a version's own; returns them as the profile takes them. */
function storeBaselineRows(sqlite: Database.Database, modelId: number, versionId: number | null, rows: BaselineRowIn[]): BaselineRow[] {
  const insert = sqlite.prepare(
    `INSERT INTO baseline_rows (model_id, version_id, features, score, predicted_label, value, actual_label, actual_value, attributions)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  sqlite.prepare('DELETE FROM baseline_rows WHERE model_id = ? AND version_id IS ?').run(modelId, versionId);
  const forProfile: BaselineRow[] = [];
  for (const r of rows) {
    const attributions = r.attributions ?? null;
    insert.run(modelId, versionId, r.featuresText ?? JSON.stringify(r.features), r.score, r.predictedLabel, r.value, r.actualLabel, r.actualValue, attributions);
    forProfile.push(profileRowOf(r));
  }
  return forProfile;
}

/**
 * Replaces a version's own baseline (rows, its profile in model_versions, its slices'
 * profiles, whose statistics are then rebuilt by the backfill) and writes `audit`, in one
 * IMMEDIATE transaction.
 */
export function replaceVersionBaselineNow(ctx: SqliteContext, model: ModelRecord, versionId: number, rows: BaselineRowIn[], audit: AuditRecord): BaselineInfo {
  const { sqlite } = ctx;
  const now = audit.at;
  sqlite
    .transaction(() => {
      const found = sqlite.prepare('SELECT 1 FROM model_versions WHERE id = ? AND model_id = ?').pluck().get(versionId, model.id);
      if (found === undefined) throw notFound(`version ${versionId} of model ${model.name}`);
      const profile = buildBaselineProfile(model, storeBaselineRows(sqlite, model.id, versionId, rows));
      sqlite
        .prepare('UPDATE model_versions SET baseline_row_count = ?, baseline_updated_at = ?, baseline_profile = ? WHERE id = ?')
        .run(rows.length, now, JSON.stringify(profile), versionId);
      startBackfill(sqlite, model.id, syncSliceRows(sqlite, model));
      insertAudit(ctx, audit);
    })
    .immediate();
  return { rowCount: rows.length, updatedAt: now };
}

type Tuple = [string, number | null, string | null, number | null, string | null, number | null];

/** The model's events in [from, to) as baseline rows, in (ts, id) order. */
export function eventsAsBaselineRows({ sqlite }: SqliteContext, modelId: number, from: number, to: number): BaselineRowIn[] {
  const tuples = sqlite
    .prepare(
      `SELECT features, score, predicted_label, value, actual_label, actual_value FROM events
       WHERE ${IN_WINDOW} ORDER BY ${EVENT_BLOCK}, ts, id`,
    )
    .raw()
    .all(...windowParams(modelId, from, to)) as Tuple[];
  return tuples.map((t, index) => ({
    index,
    features: JSON.parse(t[0]) as Record<string, unknown>,
    featuresText: t[0],
    score: t[1],
    predictedLabel: t[2],
    value: t[3],
    actualLabel: t[4],
    actualValue: t[5],
  }));
}
