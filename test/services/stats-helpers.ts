// A fresh migrated database with one fixture model, and a loader that stores events the
// way the ingest write path does (insert, then update the statistics in one transaction).
import { openStore } from '../../src/db/client.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import type { ModelRecord } from '../../src/domain/model.js';
import { createModel } from '../../src/services/models.js';
import type { Deps } from '../../src/services/deps.js';
import type { Store } from '../../src/db/client.js';
import { applyActualsToStats, applyEventsToStats, rebuildStats, setBaselineProfile, type StoredEvent } from '../../src/store/sqlite/data/stats.js';
import { expect } from 'vitest';
import { computeDrift, computeFairness, computeIntegrity, computePerformance, computeTraffic } from '../../src/domain/metrics/compute-window.js';
import type { StatsContext } from '../../src/domain/metrics/context.js';
import type { WindowStats } from '../../src/domain/metrics/window-stats.js';
import { loadFixture, type Fixture, type FixtureEvent } from '../domain/metrics/load-fixture.js';

/** Deps on SQLite: these helpers write and read its statistics tables directly. */
export type SqliteDeps = Deps & { store: Store };

export const ADMIN = { name: 'test', role: 'ADMIN' as const };

export async function freshDeps(now = Date.parse('2024-05-12T00:00:00Z')): Promise<SqliteDeps & { clock: ReturnType<typeof fixedClock> }> {
  return { store: openStore(':memory:'), clock: fixedClock(now), log: silentLogger() };
}

export async function fixtureModel(deps: SqliteDeps, name: string, overrides: Record<string, unknown> = {}): Promise<{ model: ModelRecord; fx: Fixture }> {
  const fx = loadFixture(name);
  const m = fx.model;
  const model = await createModel(deps, ADMIN, {
    name: m.name + (overrides.suffix ?? ''),
    task: m.task,
    positiveClass: m.positiveClass,
    decisionThreshold: m.decisionThreshold,
    features: m.features,
  });
  return { model, fx };
}

/** Stores the baseline profile and rebuilds, as the baseline service does. */
export function setBaseline(deps: SqliteDeps, model: ModelRecord, fx: Fixture, rebuild = true): void {
  const { sqlite } = deps.store;
  sqlite.transaction(() => {
    const profile = setBaselineProfile(deps.store.sqlite, model, fx.baseline);
    sqlite
      .prepare('INSERT INTO baselines (model_id, row_count, updated_at, profile) VALUES (?, ?, ?, ?) ON CONFLICT (model_id) DO UPDATE SET row_count = excluded.row_count, updated_at = excluded.updated_at, profile = excluded.profile')
      .run(model.id, fx.baseline.length, deps.clock.now(), JSON.stringify(profile));
    if (rebuild) rebuildStats(deps.store.sqlite, model);
  })();
}

/** Inserts events (without or with their actuals) and applies them to the statistics. */
export function logEvents(deps: SqliteDeps, model: ModelRecord, events: FixtureEvent[], withActuals: boolean): StoredEvent[] {
  const { sqlite } = deps.store;
  const ins = sqlite.prepare(
    'INSERT INTO events (model_id, event_id, ts, features, score, predicted_label, value, actual_label, actual_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return sqlite.transaction(() => {
    const stored = events.map((e) => {
      const a = withActuals ? { actualLabel: e.actualLabel, actualValue: e.actualValue } : { actualLabel: null, actualValue: null };
      const id = Number(ins.run(model.id, e.eventId, e.ts, JSON.stringify(e.features), e.score, e.predictedLabel, e.value, a.actualLabel, a.actualValue).lastInsertRowid);
      return { id, ts: e.ts, features: e.features, score: e.score, predictedLabel: e.predictedLabel, value: e.value, ...a };
    });
    applyEventsToStats(deps.store.sqlite, model, stored);
    return stored;
  })();
}

/** Sets actuals on stored events and applies the changes. */
export function logActuals(deps: SqliteDeps, model: ModelRecord, changes: Array<{ before: StoredEvent; actualLabel: string | null; actualValue: number | null }>): void {
  const { sqlite } = deps.store;
  const upd = sqlite.prepare('UPDATE events SET actual_label = ?, actual_value = ? WHERE id = ?');
  sqlite.transaction(() => {
    for (const c of changes) upd.run(c.actualLabel, c.actualValue, c.before.id);
    applyActualsToStats(
      sqlite,
      model,
      changes.map((c) => ({ before: c.before, after: { ...c.before, actualLabel: c.actualLabel, actualValue: c.actualValue } })),
    );
  })();
}

/** Every metric family of a window's statistics (fairness over the first protected attribute, if any). */
export function summary(s: WindowStats, ctx: StatsContext) {
  return {
    drift: computeDrift(s, ctx),
    integrity: computeIntegrity(s, ctx),
    perf: computePerformance(s),
    traffic: computeTraffic(s),
    fair: ctx.protectedIdx.length > 0 ? computeFairness(s, ctx, 0) : null,
  };
}

/** Deep equality with numbers equal to 1e-9 relative (sums merged in another order). */
export function close(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a))) throw new Error(`${path}: ${a} != ${b}`);
  } else if (a && b && typeof a === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b as object)])) close((a as any)[k], (b as any)[k], `${path}.${k}`);
  } else expect(b, path).toEqual(a);
}
