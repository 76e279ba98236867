// The statistics context of a model on PostgreSQL (its baseline profile parsed once), per
// pool: a read or a compaction step checks the baseline's stamp (cheap) and reads the
// profile (megabytes) only when the stamp moved, as SQLite's stats store does.
import type { ModelRecord } from '../../../domain/model.js';
import { makeStatsContext, type StatsContext } from '../../../domain/metrics/context.js';
import type { BaselineProfile } from '../../../domain/metrics/profile.js';
import type { Queryable } from './stats-locks.js';

export class PgStatsContexts {
  private readonly contexts = new Map<number, { stamp: string; ctx: StatsContext }>();

  /** The stamp a context is valid for: the model's own fields and its baseline's (or 'none'). */
  static stamp(model: ModelRecord, baseline: { updatedAt: number; rowCount: number } | null): string {
    return `${model.updatedAt}|${model.decisionThreshold}|${baseline ? `${baseline.updatedAt}|${baseline.rowCount}` : 'none'}`;
  }

  /** The cached context if still valid for `stamp`. */
  cached(modelId: number, stamp: string): StatsContext | null {
    const hit = this.contexts.get(modelId);
    return hit && hit.stamp === stamp ? hit.ctx : null;
  }

  /** The context for `stamp`, reading the profile on `q` when not cached. */
  async get(q: Queryable, model: ModelRecord, stamp: string, hasBaseline: boolean): Promise<StatsContext> {
    const hit = this.cached(model.id, stamp);
    if (hit) return hit;
    let profile: BaselineProfile | null = null;
    if (hasBaseline) {
      const r = await q.query<{ profile: BaselineProfile | string }>('SELECT profile FROM baselines WHERE model_id = $1', [model.id]);
      const p = r.rows[0]?.profile;
      profile = p === undefined ? null : typeof p === 'string' ? (JSON.parse(p) as BaselineProfile) : p;
    }
    const ctx = makeStatsContext(model, profile);
    this.contexts.set(model.id, { stamp, ctx });
    return ctx;
  }

  /** Forgets the model (deleted or changed shape). */
  forget(modelId: number): void {
    this.contexts.delete(modelId);
  }
}
