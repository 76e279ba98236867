// The statistics kept at ingest against the raw events they summarise: any window, actual
// changes, baseline and threshold changes, rollbacks, validation of the questions.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { computePerformance } from '../../src/domain/metrics/compute-window.js';
import { computeMetric, drift, fairness, METRICS, modelHealth, outputDrift, performance, series } from '../../src/services/metrics.js';
import { windowStats } from '../../src/services/stats-read.js';
import { dropStatsCaches, statsContext, statsFromEvents } from '../../src/store/sqlite/data/stats-store.js';
import { applyEventsToStats, rebuildStats } from '../../src/store/sqlite/data/stats.js';
import { updateModel } from '../../src/services/models.js';
import { close, fixtureModel, freshDeps, logActuals, logEvents, setBaseline, summary } from './stats-helpers.js';
import { sqliteStatsRows } from '../../src/store/sqlite/data/stats-rows.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = (s: string) => Date.parse(s);

/** The stored statistics of [from, to) equal a recomputation from the raw events. */
function expectExact(deps: Awaited<ReturnType<typeof freshDeps>>, model: any, from: number, to: number) {
  const { stats, ctx } = windowStats(sqliteStatsRows(deps.store.sqlite), model, from, to);
  close(summary(statsFromEvents(deps.store.sqlite, ctx, model.id, 0, from, to), ctx), summary(stats, ctx));
  return stats;
}

describe('stats kept at ingest', () => {
  it('any window, aligned or not, equals the raw events; caches agree with cold reads', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    setBaseline(deps, model, fx);
    logEvents(deps, model, fx.events, true);
    for (const [from, to] of [
      [T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z')],
      [T('2024-05-06T07:13:00Z'), T('2024-05-09T16:41:30Z')],
      [T('2024-05-07T03:10:00Z'), T('2024-05-07T03:50:00Z')],
      [T('2024-05-08T00:00:00Z'), T('2024-05-08T05:00:00Z')],
    ] as const) {
      const s = expectExact(deps, model, from, to);
      dropStatsCaches(deps.store.sqlite);
      close(summary(s, statsContext(deps.store.sqlite, model)), summary(expectExact(deps, model, from, to), statsContext(deps.store.sqlite, model)));
    }
    expect(windowStats(sqliteStatsRows(deps.store.sqlite), model, T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z')).stats.count).toBe(207);
  });

  it('actuals that arrive later or replace earlier ones move the statistics exactly', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    setBaseline(deps, model, fx);
    const stored = logEvents(deps, model, fx.events, false);
    const whole = [T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z')] as const;
    expect(computePerformance(expectExact(deps, model, ...whole)).labeledCount).toBe(0);
    logActuals(deps, model, stored.map((e, i) => ({ before: e, actualLabel: fx.events[i]!.actualLabel, actualValue: null })));
    const labelled = fx.events.filter((e) => e.actualLabel !== null).length;
    expect(computePerformance(expectExact(deps, model, ...whole)).labeledCount).toBe(labelled);
    // replace every Adelie actual with Gentoo: the stored `before` now carries the first actual
    const again = stored.map((e, i) => ({ ...e, actualLabel: fx.events[i]!.actualLabel }));
    logActuals(deps, model, again.filter((e) => e.actualLabel === 'Adelie').map((e) => ({ before: e, actualLabel: 'Gentoo', actualValue: null })));
    const p = computePerformance(expectExact(deps, model, ...whole));
    expect(p.labeledCount).toBe(labelled);
    expect(p.recall).toBeNull();
  });

  it('events before a baseline have no drift; setting one rebuilds every hour', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    logEvents(deps, model, fx.events, true);
    const from = T('2024-05-06T00:00:00Z');
    const to = T('2024-05-12T00:00:00Z');
    expect((await drift(deps, model, from, to)).every((d) => d.psi === null && d.baselineSize === 0)).toBe(true);
    expect(await outputDrift(deps, model, from, to)).toBeNull();
    setBaseline(deps, model, fx);
    const d = await drift(deps, model, from, to);
    expect(d.find((x) => x.feature === 'island')!.chi2Statistic).toBeCloseTo(0.2769102753746639, 12);
    expectExact(deps, model, from, to);
  });

  it('rows built under an older baseline are rebuilt from the raw events when read or written', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    logEvents(deps, model, fx.events.slice(0, 100), true);
    setBaseline(deps, model, fx, false); // no rebuild: every stored row is stale
    logEvents(deps, model, fx.events.slice(100), true);
    expectExact(deps, model, T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z'));
  });

  it('a rolled-back write leaves no trace in what is read afterwards', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    setBaseline(deps, model, fx);
    logEvents(deps, model, fx.events.slice(0, 150), true);
    const { sqlite } = deps.store;
    const boom = sqlite.transaction(() => {
      const e = fx.events[150]!;
      const id = Number(
        sqlite.prepare('INSERT INTO events (model_id, event_id, ts, features, score) VALUES (?, ?, ?, ?, ?)').run(model.id, e.eventId, e.ts, JSON.stringify(e.features), e.score).lastInsertRowid,
      );
      applyEventsToStats(deps.store.sqlite, model, [{ ...e, id }]);
      throw new Error('rollback');
    });
    expect(() => boom()).toThrow('rollback');
    const s = expectExact(deps, model, T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z'));
    expect(s.count).toBe(150);
    logEvents(deps, model, fx.events.slice(150), true);
    expect(expectExact(deps, model, T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z')).count).toBe(207);
  });

  it('a new threshold: stale rows are never used, rebuildStats refreshes them', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    setBaseline(deps, model, fx);
    logEvents(deps, model, fx.events, true);
    const from = T('2024-05-06T00:00:00Z');
    const to = T('2024-05-12T00:00:00Z');
    const before = await performance(deps, model, from, to);
    const moved = { ...model, decisionThreshold: 0.9, updatedAt: model.updatedAt + 1 };
    const stale = await performance(deps, moved, from, to);
    rebuildStats(deps.store.sqlite, moved);
    const after = await performance(deps, moved, from, to);
    expect(after).toEqual(stale);
    expect(after.recall).not.toEqual(before.recall);
    expectExact(deps, moved, from, to);
  });

  it('updateModel with a new threshold rebuilds the stored statistics itself, in its transaction', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    setBaseline(deps, model, fx);
    logEvents(deps, model, fx.events, true);
    // what is stored: ingest's partials and hour rows (a rebuild writes hour rows anew, each with a new rev)
    const stored = () => ({
      partials: deps.store.sqlite.prepare('SELECT id FROM stats_partial WHERE model_id = ? ORDER BY id').all(model.id),
      hours: deps.store.sqlite.prepare('SELECT hour, rev FROM stats_hourly WHERE model_id = ? ORDER BY hour').all(model.id),
    });
    const before = stored();
    expect(before.partials.length + before.hours.length).toBeGreaterThan(0);
    await updateModel(deps, { name: 't', role: 'ADMIN' }, model.name, { description: 'no threshold change' });
    expect(stored()).toEqual(before);
    const moved = await updateModel(deps, { name: 't', role: 'ADMIN' }, model.name, { decisionThreshold: 0.9 });
    const after = stored();
    expect(after.partials).toEqual([]);
    expect(after.hours.length).toBeGreaterThan(0);
    expect(after.hours).not.toEqual(before.hours);
    expectExact(deps, moved, T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z'));
  });
});

describe('metrics service', () => {
  it('answers every metric for the task, and refuses what does not fit, naming the field', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    setBaseline(deps, model, fx);
    logEvents(deps, model, fx.events, true);
    const from = T('2024-05-06T00:00:00Z');
    const to = T('2024-05-12T00:00:00Z');
    const field = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('BAD_USER_INPUT');
        return (e as AppError).field;
      }
      return 'no error';
    };
    const fit = (metric: string) => {
      if (['KS_STATISTIC', 'WASSERSTEIN', 'PSI', 'JS_DISTANCE', 'MISSING_RATE', 'TYPE_MISMATCH_RATE', 'OUT_OF_RANGE_RATE'].includes(metric)) return { feature: 'body_mass_g' };
      if (['CHI2_P_VALUE', 'NEW_CATEGORY_RATE'].includes(metric)) return { feature: 'island' };
      if (metric.includes('DIFFERENCE') || metric === 'DISPARATE_IMPACT_RATIO') return { attribute: 'sex' };
      return {};
    };
    const inapplicable = new Set(['MACRO_F1', 'WEIGHTED_F1', 'MAE', 'RMSE', 'MAPE', 'R2', 'MEAN_VALUE']);
    for (const metric of METRICS) {
      const q = { metric, from, to, ...fit(metric) };
      if (inapplicable.has(metric)) expect(await field(computeMetric(deps, model, q))).toBe('metric');
      else {
        const r = await computeMetric(deps, model, q);
        expect(r.sampleSize, metric).toBeGreaterThan(0);
      }
    }
    expect((await computeMetric(deps, model, { metric: 'AUC', from, to })).value).toBeCloseTo(fx.expected.windows.at(-1)!.performance.auc, 3);
    expect(await field(computeMetric(deps, model, { metric: 'PSI', feature: 'nope', from, to }))).toBe('feature');
    expect(await field(computeMetric(deps, model, { metric: 'KS_STATISTIC', feature: 'island', from, to }))).toBe('metric');
    expect(await field(computeMetric(deps, model, { metric: 'CHI2_P_VALUE', from, to }))).toBe('feature');
    expect(await field(computeMetric(deps, model, { metric: 'ACCURACY', feature: 'island', from, to }))).toBe('feature');
    expect(await field(fairness(deps, model, 'island', from, to))).toBe('attribute');
    expect(await field(fairness(deps, model, 'nope', from, to))).toBe('attribute');
    expect(await field(drift(deps, model, to, from))).toBe('to');
    // no cap on the length: a window of years holding the same events answers the same
    expect(await drift(deps, model, from - 1000 * DAY, from + 1000 * DAY)).toEqual(await drift(deps, model, T('2024-05-01T00:00:00Z'), T('2024-06-01T00:00:00Z')));
    expect(await field(series(deps, model, { metric: 'PSI', from, to, granularity: 'WEEK' as never }))).toBe('granularity');
  });

  it('series: one point per UTC bucket, empty buckets null with sample size 0', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, 'penguins');
    setBaseline(deps, model, fx);
    logEvents(deps, model, fx.events, true);
    const days = await series(deps, model, { metric: 'PREDICTION_COUNT', from: T('2024-05-05T00:00:00Z'), to: T('2024-05-13T00:00:00Z'), granularity: 'DAY' });
    expect(days.map((p) => p.value)).toEqual([null, 35, 35, 35, 34, 34, 34, null]);
    expect(days[0]).toEqual({ start: T('2024-05-05T00:00:00Z'), value: null, sampleSize: 0 });
    const psi = await series(deps, model, { metric: 'PSI', feature: 'island', from: T('2024-05-06T00:00:00Z'), to: T('2024-05-08T00:00:00Z'), granularity: 'DAY' });
    expect(psi[0]!.value).toBeCloseTo(4.348185806618697, 9);
    const hours = await series(deps, model, { metric: 'ACCURACY', from: T('2024-05-06T00:30:00Z'), to: T('2024-05-07T00:00:00Z'), granularity: 'HOUR' });
    expect(hours).toHaveLength(24);
    expect(hours[0]!.start).toBe(T('2024-05-06T00:30:00Z'));
    expect(hours.reduce((n, p) => n + p.sampleSize, 0)).toBe(35 - 1); // the 00:20 event is before from
  });

  it('health: UNKNOWN without baseline or recent traffic, HEALTHY otherwise, in one sentence', async () => {
    const deps = await freshDeps(T('2024-05-11T12:00:00Z'));
    const { model, fx } = await fixtureModel(deps, 'penguins');
    logEvents(deps, model, fx.events, true);
    const h0 = await modelHealth(deps, model);
    expect(h0.status).toBe('UNKNOWN');
    expect(h0.summary).toMatch(/no baseline/);
    setBaseline(deps, model, fx);
    const h1 = await modelHealth(deps, model);
    expect(h1.status).toBe('HEALTHY');
    expect(h1.openAlerts).toEqual([]);
    expect(h1.summary).toMatch(/^penguins is HEALTHY: \d+ predictions in the last 24h; worst drift: [\w ]+ \(PSI \d+\.\d\d\); accuracy \d+\.\d%.*no open alerts\.$/);
    deps.clock.set(T('2024-06-01T00:00:00Z'));
    expect((await modelHealth(deps, model)).status).toBe('UNKNOWN');
  });
});
