// Baselines on SQLite: the rows, their profile and every statistic rebuilt under it,
// replaced in one synchronous transaction with the audit entry.
import { eq } from 'drizzle-orm';
import { baselines } from '../../../db/schema/index.js';
import type { AuditRecord } from '../../../domain/audit.js';
import type { ModelRecord } from '../../../domain/model.js';
import type { BaselineRow } from '../../../domain/metrics/profile.js';
import type { BaselineRowIn } from '../../../domain/ingest/validate.js';
import type { BaselineInfo } from '../../ports/data.js';
import type { SqliteContext } from '../context.js';
import { insertAudit } from '../audit.js';
import { rebuildStats, setBaselineProfile } from './stats.js';

/** The model's baseline summary, or null. */
export function baselineInfo({ db }: SqliteContext, modelId: number): BaselineInfo | null {
  const row = db.select({ rowCount: baselines.rowCount, updatedAt: baselines.updatedAt }).from(baselines).where(eq(baselines.modelId, modelId)).get();
  return row ?? null;
}

/** Replaces the baseline (rows, profile, statistics, audit) in one IMMEDIATE transaction; `audit.at` is its time. */
export function replaceBaselineNow(ctx: SqliteContext, model: ModelRecord, rows: BaselineRowIn[], audit: AuditRecord): BaselineInfo {
  const { sqlite, db } = ctx;
  const now = audit.at;
  const insert = sqlite.prepare(
    `INSERT INTO baseline_rows (model_id, features, score, predicted_label, value, actual_label, actual_value)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const tx = sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM baseline_rows WHERE model_id = ?').run(model.id);
    const forProfile: BaselineRow[] = [];
    for (const r of rows) {
      insert.run(model.id, r.featuresText ?? JSON.stringify(r.features), r.score, r.predictedLabel, r.value, r.actualLabel, r.actualValue);
      forProfile.push({
        features: r.features,
        score: r.score,
        predictedLabel: r.predictedLabel,
        value: r.value,
        actualLabel: r.actualLabel,
        actualValue: r.actualValue,
      });
    }
    const profile = setBaselineProfile(sqlite, model, forProfile);
    const values = { rowCount: rows.length, updatedAt: now, profile: profile as unknown };
    db.insert(baselines)
      .values({ modelId: model.id, ...values })
      .onConflictDoUpdate({ target: baselines.modelId, set: values })
      .run();
    rebuildStats(sqlite, model);
    insertAudit(ctx, audit);
  });
  tx.immediate();
  return { rowCount: rows.length, updatedAt: now };
}

type Tuple = [string, number | null, string | null, number | null, string | null, number | null];

/** The model's events in [from, to) as baseline rows, in (ts, id) order. */
export function eventsAsBaselineRows({ sqlite }: SqliteContext, modelId: number, from: number, to: number): BaselineRowIn[] {
  const tuples = sqlite
    .prepare(
      `SELECT features, score, predicted_label, value, actual_label, actual_value FROM events
       WHERE model_id = ? AND ts >= ? AND ts < ? ORDER BY ts, id`,
    )
    .raw()
    .all(modelId, from, to) as Tuple[];
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
