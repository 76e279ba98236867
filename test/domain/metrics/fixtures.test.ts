// Every window of every fixture through the pure pipeline: baseline profile, per-event
// accumulation into hourly statistics, merge, compute. Compared with expected.json.
import { describe, expect, it } from 'vitest';
import { computeDrift, computeFairness, computeIntegrity, computeOutputDrift, computePerformance, computeTraffic } from '../../../src/domain/metrics/compute-window.js';
import { makeStatsContext } from '../../../src/domain/metrics/context.js';
import { buildBaselineProfile } from '../../../src/domain/metrics/profile.js';
import { accumulate, emptyStats, type WindowStats } from '../../../src/domain/metrics/window-stats.js';
import { mergeInto } from '../../../src/domain/metrics/merge-stats.js';
import { compareObject, FIXTURE_NAMES, loadFixture } from './load-fixture.js';

const HOUR = 3_600_000;

describe.each(FIXTURE_NAMES)('fixture %s through the pure metric functions', (name) => {
  const fx = loadFixture(name);
  const profile = buildBaselineProfile(fx.model, fx.baseline);
  const ctx = makeStatsContext(fx.model, profile);
  // hourly statistics, as kept at ingest
  const hours = new Map<number, WindowStats>();
  for (const e of fx.events) {
    const h = Math.floor(e.ts / HOUR) * HOUR;
    let s = hours.get(h);
    if (!s) hours.set(h, (s = emptyStats(ctx)));
    accumulate(s, e, ctx);
  }

  it.each(fx.expected.windows.map((w) => [`${w.from} .. ${w.to}`, w] as const))('window %s', (_label, w) => {
    const from = Date.parse(w.from);
    const to = Date.parse(w.to);
    const stats = emptyStats(ctx);
    for (const [h, s] of hours) if (h >= from && h + HOUR <= to) mergeInto(stats, s, ctx);
    const where = `[${w.from}..${w.to})`;
    const errors: string[] = [];
    const drift = computeDrift(stats, ctx);
    for (const [f, exp] of Object.entries<any>(w.drift)) errors.push(...compareObject(`${where} drift.${f}`, exp, drift.find((d) => d.feature === f) as any));
    errors.push(...compareObject(`${where} outputDrift`, w.outputDrift, computeOutputDrift(stats, ctx) as any));
    const integ = computeIntegrity(stats, ctx);
    for (const [f, exp] of Object.entries<any>(w.integrity)) errors.push(...compareObject(`${where} integrity.${f}`, exp, integ.find((d) => d.feature === f) as any));
    errors.push(...compareObject(`${where} performance`, w.performance, computePerformance(stats) as any));
    errors.push(...compareObject(`${where} traffic`, w.traffic, computeTraffic(stats) as any));
    for (const [attr, exp] of Object.entries<any>(w.fairness ?? {})) {
      const pos = ctx.protectedIdx.findIndex((i) => ctx.features[i]!.name === attr);
      const got = computeFairness(stats, ctx, pos);
      errors.push(...compareObject(`${where} fairness.${attr}`, exp, got as any));
      expect(got.groups.map((g) => g.group)).toEqual(Object.keys(exp.groups).sort());
      for (const [g, ge] of Object.entries<any>(exp.groups)) errors.push(...compareObject(`${where} fairness.${attr}.${g}`, ge, got.groups.find((x) => x.group === g) as any));
    }
    expect(errors).toEqual([]);
  });
});
