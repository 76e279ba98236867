// The shared fixtures through windows of any length: events ingested out of order,
// compacted into hours and day, month and year roll-ups, then asked over their expected
// windows and over windows of several years (no cap: the 400-day limit is gone).
import { describe, expect, it } from 'vitest';
import { computeDrift, computeFairness, computeIntegrity, computeOutputDrift, computePerformance, computeTraffic } from '../../src/domain/metrics/compute-window.js';
import type { StatsContext } from '../../src/domain/metrics/context.js';
import { accumulate, emptyStats, type WindowStats } from '../../src/domain/metrics/window-stats.js';
import { run as compact } from '../../src/jobs/compact-stats.js';
import { drift } from '../../src/services/metrics.js';
import { windowStats } from '../../src/services/stats-read.js';
import { compareObject, FIXTURE_NAMES } from '../domain/metrics/load-fixture.js';
import { close, fixtureModel, freshDeps, logEvents, setBaseline, summary } from './stats-helpers.js';
import { sqliteStatsRows } from '../../src/store/sqlite/data/stats-rows.js';

const T = (s: string) => Date.parse(s);
const DAY = 86_400_000;

function mismatches(stats: WindowStats, ctx: StatsContext, w: Record<string, any>, where: string): string[] {
  const errors: string[] = [];
  const d = computeDrift(stats, ctx);
  for (const [f, exp] of Object.entries<any>(w.drift)) errors.push(...compareObject(`${where} drift.${f}`, exp, d.find((x) => x.feature === f) as any));
  errors.push(...compareObject(`${where} outputDrift`, w.outputDrift, computeOutputDrift(stats, ctx) as any));
  const integ = computeIntegrity(stats, ctx);
  for (const [f, exp] of Object.entries<any>(w.integrity)) errors.push(...compareObject(`${where} integrity.${f}`, exp, integ.find((x) => x.feature === f) as any));
  errors.push(...compareObject(`${where} performance`, w.performance, computePerformance(stats) as any));
  errors.push(...compareObject(`${where} traffic`, w.traffic, computeTraffic(stats) as any));
  for (const [attr, exp] of Object.entries<any>(w.fairness ?? {})) {
    const got = computeFairness(stats, ctx, ctx.protectedIdx.findIndex((i) => ctx.features[i]!.name === attr));
    errors.push(...compareObject(`${where} fairness.${attr}`, exp, got as any));
  }
  return errors;
}

describe.each(FIXTURE_NAMES)('fixture %s over windows of any length', (name) => {
  it('answers every expected window from roll-ups, and windows of years as their events', async () => {
    const deps = await freshDeps();
    const { model, fx } = await fixtureModel(deps, name);
    setBaseline(deps, model, fx);
    // out of order, in batches of 37
    const shuffled = fx.events.map((e, i) => [((i * 7919) % 1009) / 1009, e] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    for (let b = 0; b < shuffled.length; b += 37) logEvents(deps, model, shuffled.slice(b, b + 37), true);
    const report = await compact(deps, T('2026-06-01T00:00:00Z'));
    expect(report.rollups).toBeGreaterThan(0);
    const { sqlite } = deps.store;
    expect(sqlite.prepare('SELECT count(*) FROM stats_partial').pluck().get()).toBe(0);

    const errors: string[] = [];
    for (const w of fx.expected.windows) {
      const { stats, ctx } = windowStats(sqliteStatsRows(sqlite), model, T(w.from), T(w.to));
      errors.push(...mismatches(stats, ctx, w, `[${w.from}..${w.to})`));
    }
    // a window of over 400 days holding every event: the window of all of them where the
    // fixture has one, else the plain accumulation of every event
    const first = Math.min(...fx.events.map((e) => e.ts));
    const last = Math.max(...fx.events.map((e) => e.ts));
    const from = first - 400 * DAY;
    const to = last + 400 * DAY;
    const { stats, ctx } = windowStats(sqliteStatsRows(sqlite), model, from, to);
    const all = fx.expected.windows.find((w) => T(w.from) <= first && T(w.to) > last);
    if (all) errors.push(...mismatches(stats, ctx, all, `[${new Date(from).toISOString()}..${new Date(to).toISOString()})`));
    const plain = emptyStats(ctx);
    for (const e of fx.events) accumulate(plain, e, ctx);
    close(summary(plain, ctx), summary(stats, ctx));
    expect(errors).toEqual([]);
    // and through the service, which no longer refuses long windows
    expect((await drift(deps, model, from, to)).length).toBe(fx.model.features.length);
  });
});
