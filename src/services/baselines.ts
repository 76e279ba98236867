// A model's baseline: replaced as a whole, its drift profile computed once, and every
// statistic that depends on it rebuilt, all in one transaction.
import { eq } from 'drizzle-orm';
import { baselines } from '../db/schema/index.js';
import { badInput } from '../errors.js';
import type { ModelRecord } from '../domain/model.js';
import { checkBaselineRow, type BaselineRowIn, type IngestError } from '../domain/ingest/validate.js';
import { recordAudit } from './audit.js';
import { requireModel } from './models.js';
import { purgedBefore } from './retention.js';
import { rebuildStats, setBaselineProfile, type BaselineRow } from './stats.js';
import type { IngestResult, LineConsumer } from './ingest-run.js';
import type { Actor, Deps } from './deps.js';

export interface BaselineInfo {
  rowCount: number;
  updatedAt: number;
}

type Via = 'graphql' | 'ndjson' | 'cli' | 'window';

/** The model's baseline summary, or null when it has none. */
export async function getBaseline(deps: Deps, modelId: number): Promise<BaselineInfo | null> {
  const row = deps.store.db
    .select({ rowCount: baselines.rowCount, updatedAt: baselines.updatedAt })
    .from(baselines)
    .where(eq(baselines.modelId, modelId))
    .get();
  return row ?? null;
}

/**
 * Replaces the model's baseline with `rows` in one transaction: rows, profile, every
 * dependent statistic and the audit entry commit together or not at all.
 */
export function replaceBaseline(
  deps: Deps,
  actor: Actor,
  model: ModelRecord,
  rows: BaselineRowIn[],
  action: string,
  details: Record<string, unknown>,
): BaselineInfo {
  const { sqlite, db } = deps.store;
  const now = deps.clock.now();
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
    const profile = setBaselineProfile(deps, model, forProfile);
    const values = { rowCount: rows.length, updatedAt: now, profile: profile as unknown };
    db.insert(baselines)
      .values({ modelId: model.id, ...values })
      .onConflictDoUpdate({ target: baselines.modelId, set: values })
      .run();
    rebuildStats(deps, model);
    recordAudit(db, now, actor, action, model.name, { ...details, rows: rows.length });
  });
  tx.immediate();
  return { rowCount: rows.length, updatedAt: now };
}

/** GraphQL door: every row must be valid (BAD_USER_INPUT names `rows[i].field`), then replaces. */
export async function setBaseline(deps: Deps, actor: Actor, modelName: string, input: unknown[]): Promise<BaselineInfo> {
  const model = await requireModel(deps, modelName);
  if (input.length === 0) throw badInput('rows', 'a baseline needs at least one row');
  const rows: BaselineRowIn[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = checkBaselineRow(model, input[i], i);
    if (!c.ok) throw badInput(`rows[${i}].${c.field}`, c.reason);
    rows.push(c.row);
  }
  return replaceBaseline(deps, actor, model, rows, 'setBaseline', { via: 'graphql' });
}

type Tuple = [string, number | null, string | null, number | null, string | null, number | null];

/** Replaces the baseline with a copy of the model's events in [from, to). */
export async function setBaselineFromWindow(deps: Deps, actor: Actor, modelName: string, from: number, to: number): Promise<BaselineInfo> {
  const model = await requireModel(deps, modelName);
  if (!(from < to)) throw badInput('to', 'must be later than from');
  const tuples = deps.store.sqlite
    .prepare(
      `SELECT features, score, predicted_label, value, actual_label, actual_value FROM events
       WHERE model_id = ? AND ts >= ? AND ts < ? ORDER BY ts, id`,
    )
    .raw()
    .all(model.id, from, to) as Tuple[];
  if (tuples.length === 0) {
    const purged = purgedBefore(deps.store.sqlite, model.id);
    const why = purged !== null && from < purged ? ` (its events before ${new Date(purged).toISOString()} were deleted by retention)` : '';
    throw badInput('from', `model "${model.name}" has no events in [${new Date(from).toISOString()}, ${new Date(to).toISOString()})${why}`);
  }
  const rows: BaselineRowIn[] = tuples.map((t, index) => ({
    index,
    features: JSON.parse(t[0]) as Record<string, unknown>,
    featuresText: t[0],
    score: t[1],
    predictedLabel: t[2],
    value: t[3],
    actualLabel: t[4],
    actualValue: t[5],
  }));
  return replaceBaseline(deps, actor, model, rows, 'setBaselineFromWindow', {
    via: 'window',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
}

/**
 * NDJSON and CLI door: collects the valid rows of a body (the profile needs them all),
 * then replaces the baseline once at the end. Rejected lines are left out and listed; a
 * body with no valid row leaves the current baseline as it is.
 */
export class BaselineCollector implements LineConsumer {
  private readonly rows: BaselineRowIn[] = [];
  private readonly errors: IngestError[] = [];
  private rejected = 0;

  constructor(
    private readonly deps: Deps,
    private readonly actor: Actor,
    private readonly model: ModelRecord,
    private readonly via: Via,
    private readonly maxErrors = Number.POSITIVE_INFINITY,
  ) {}

  add(index: number, input: unknown, featuresText: string | null = null): void {
    const c = checkBaselineRow(this.model, input, index, featuresText);
    if (c.ok) this.rows.push(c.row);
    else this.reject(index, c.error.message);
  }

  reject(index: number, message: string): void {
    this.rejected++;
    if (this.errors.length < this.maxErrors) this.errors.push({ index, eventId: null, message });
  }

  finish(): IngestResult {
    if (this.rows.length > 0) replaceBaseline(this.deps, this.actor, this.model, this.rows, 'setBaseline', { via: this.via, rejected: this.rejected });
    return { accepted: this.rows.length, duplicates: 0, rejected: this.rejected, errors: this.errors };
  }

  /** A baseline is replaced whole at the end: nothing of a cut-off body is kept. */
  settled(): { lines: number; accepted: number; duplicates: number } {
    return { lines: 0, accepted: 0, duplicates: 0 };
  }

  abort(): IngestResult {
    return { accepted: 0, duplicates: 0, rejected: this.rejected, errors: this.errors };
  }
}

