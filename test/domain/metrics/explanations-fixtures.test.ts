// featureImportance, FeatureDrift.impact and segment membership against the fixtures'
// next.json (made by the shared fixtures' make_next.py with numpy and math.fsum), for every
// window of both fixtures, whole and narrowed to each fixture's two segments. The pure
// pipeline as ingest runs it: attribution sums kept in each UTC hour's WindowStats (through
// their stored binary form) and merged per window, the baseline's means in its profile;
// drift from the existing metric code on the same (segment's) events and baseline rows. A
// segment's every other metric is compared too: membership decides all of them.
import { describe, expect, it } from 'vitest';
import { driftImpact, type FeatureImportance } from '../../../src/domain/metrics/attributions.js';
import { computeDrift, computeFairness, computeFeatureImportance, computeIntegrity, computeOutputDrift, computePerformance, computeTraffic } from '../../../src/domain/metrics/compute-window.js';
import { makeStatsContext } from '../../../src/domain/metrics/context.js';
import { mergeInto } from '../../../src/domain/metrics/merge-stats.js';
import { buildBaselineProfile } from '../../../src/domain/metrics/profile.js';
import { deserializeStats, serializeStats } from '../../../src/domain/metrics/stats-codec.js';
import { accumulate, emptyStats, type WindowStats } from '../../../src/domain/metrics/window-stats.js';
import { compileSegment, inSegment } from '../../../src/domain/segments/match.js';
import { checkSegment } from '../../../src/domain/segments/segment.js';
import { fixtureJson, fixtureLines } from '../../helpers/fixture-files.js';
import { compareObject, FIXTURE_NAMES, loadFixture, type Fixture, type FixtureEvent } from './load-fixture.js';
import { inSegment as inSegmentOfLoader, type Condition } from './load-next.js';

const HOUR = 3_600_000;
const IMPORTANCE_KEYS = ['meanAbsAttribution', 'share', 'rank', 'baselineMeanAbsAttribution', 'baselineShare', 'sampleSize'] as const;

type Attrs = Record<string, number>;
interface Rows {
  baseline: Array<{ row: Fixture['baseline'][number]; attrs: Attrs }>;
  events: Array<{ row: FixtureEvent; attrs: Attrs }>;
}
interface Window {
  from: string;
  to: string;
  featureImportance: Record<string, Record<string, number | null>>;
  impact: Record<string, number | null>;
  [metric: string]: any;
}

interface NextJson {
  rows: { baseline: number; events: number };
  windows: Window[];
  segments: Array<{ name: string; conditions: Condition[]; rows: { baseline: number; events: number }; windows: Window[] }>;
}

/** Largest relative difference seen from next.json, per kind of float (0 = bit for bit). */
const worst = { importance: 0, impact: 0, compared: 0 };

function closeOrNull(where: string, exp: number | null, got: number | null, kind: 'importance' | 'impact'): string[] {
  if (exp === null || got === null) return exp === got ? [] : [`${where}: expected ${exp}, got ${got}`];
  const rel = Math.abs(got - exp) / Math.abs(exp || 1);
  worst[kind] = Math.max(worst[kind], rel);
  worst.compared++;
  if (rel > 1e-9) return [`${where}: expected ${exp}, got ${got}`];
  return [];
}

function importanceErrors(where: string, exp: Window['featureImportance'], got: FeatureImportance[]): string[] {
  expect(got.map((g) => g.feature)).toEqual(Object.keys(exp));
  const out: string[] = [];
  for (const g of got) {
    for (const k of IMPORTANCE_KEYS) {
      const e = exp[g.feature]![k]!;
      if (k === 'rank' || k === 'sampleSize') {
        if (e !== g[k]) out.push(`${where}.${g.feature}.${k}: expected ${e}, got ${g[k]}`);
      } else out.push(...closeOrNull(`${where}.${g.feature}.${k}`, e, g[k], 'importance'));
    }
  }
  return out;
}

/**
 * Everything a window reports, from these events and baseline rows, as the server keeps it:
 * the baseline profile (with its attribution means), one WindowStats per UTC hour through
 * its stored binary form, merged per window (and merged the other way round: the same).
 */
function checkWindows(fx: Fixture, rows: Rows, windows: Window[], label: string): string[] {
  const ctx = makeStatsContext(fx.model, buildBaselineProfile(fx.model, rows.baseline.map((r) => ({ ...r.row, attributions: r.attrs }))));
  const hours = new Map<number, WindowStats>();
  for (const { row, attrs } of rows.events) {
    const h = Math.floor(row.ts / HOUR) * HOUR;
    let s = hours.get(h);
    if (!s) hours.set(h, (s = emptyStats(ctx)));
    accumulate(s, { ...row, attributions: attrs }, ctx);
  }
  const stored = [...hours].map(([h, s]) => {
    const { core, hists } = serializeStats(s);
    return [h, deserializeStats(core, hists, ctx)] as const;
  });
  const errors: string[] = [];
  for (const w of windows) {
    const where = `${label}[${w.from}..${w.to})`;
    const from = Date.parse(w.from);
    const to = Date.parse(w.to);
    const inWindow = stored.filter(([h]) => h >= from && h + HOUR <= to).map(([, s]) => s);
    const stats = emptyStats(ctx);
    for (const s of inWindow) mergeInto(stats, s, ctx);
    const reversed = emptyStats(ctx);
    for (const s of [...inWindow].reverse()) mergeInto(reversed, s, ctx);
    const fi = computeFeatureImportance(stats, ctx);
    expect(computeFeatureImportance(reversed, ctx)).toEqual(fi);
    errors.push(...importanceErrors(`${where} featureImportance`, w.featureImportance, fi));

    const drift = computeDrift(stats, ctx);
    for (const d of drift) {
      const f = fi.find((x) => x.feature === d.feature)!;
      expect(d.impact).toBe(driftImpact(d.psi, f.baselineShare));
      errors.push(...closeOrNull(`${where} impact.${d.feature}`, w.impact[d.feature]!, d.impact, 'impact'));
    }
    // the window's other metrics: the same rows, so the same numbers (segments' membership)
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
      for (const [g, ge] of Object.entries<any>(exp.groups)) errors.push(...compareObject(`${where} fairness.${attr}.${g}`, ge, got.groups.find((x) => x.group === g) as any));
    }
  }
  return errors;
}

describe.each(FIXTURE_NAMES)('fixture %s: explanations and segments against next.json', (name) => {
  const fx = loadFixture(name);
  const next = fixtureJson<NextJson>(name, 'next.json');
  const eventAttrs = fixtureLines<{ eventId: string; attributions: Attrs }>(name, 'attributions.ndjson');
  const baseAttrs = fixtureLines<{ attributions: Attrs }>(name, 'baseline-attributions.ndjson');
  const rows: Rows = {
    baseline: fx.baseline.map((row, i) => ({ row, attrs: baseAttrs[i]!.attributions })),
    events: fx.events.map((row, i) => {
      expect(eventAttrs[i]!.eventId).toBe(row.eventId);
      return { row, attrs: eventAttrs[i]!.attributions };
    }),
  };
  // expected.json's windows: next.json gives importance and impact, expected.json the rest
  const expected = new Map(fx.expected.windows.map((w) => [`${w.from}..${w.to}`, w]));
  const windows: Window[] = next.windows.map((w) => ({ ...expected.get(`${w.from}..${w.to}`)!, ...w }));

  it('featureImportance (window and baseline) and impact of every window', () => {
    expect(rows.baseline.length).toBe(next.rows.baseline);
    expect(windows.length).toBeGreaterThan(0);
    expect(checkWindows(fx, rows, windows, '')).toEqual([]);
  });

  describe.each(next.segments.map((s) => ({ ...s, label: s.name })))('segment $label', (seg) => {
    const checked = checkSegment(fx.model.features, { name: seg.name, conditions: seg.conditions });
    if (!checked.ok) throw new Error(`${checked.field}: ${checked.message}`);
    const member = compileSegment(checked.segment.conditions);
    const sub: Rows = { baseline: rows.baseline.filter((r) => member(r.row.features)), events: rows.events.filter((r) => member(r.row.features)) };

    it('selects as many events and baseline rows as next.json, the same ones by every reading', () => {
      expect({ baseline: sub.baseline.length, events: sub.events.length }).toEqual(seg.rows);
      for (const r of [...rows.baseline, ...rows.events]) {
        const plain = inSegment(checked.segment.conditions, r.row.features);
        expect(member(r.row.features)).toBe(plain);
        expect(inSegmentOfLoader([r.row], seg.conditions).length === 1).toBe(plain);
      }
      // per window: the events the segment's traffic counts
      for (const w of seg.windows) {
        const from = Date.parse(w.from);
        const to = Date.parse(w.to);
        expect(sub.events.filter((e) => e.row.ts >= from && e.row.ts < to).length, `${w.from}..${w.to}`).toBe(w.traffic.predictionCount);
      }
    });

    it('every window: importance, impact and every metric of expected.json on the segment alone', () => {
      expect(checkWindows(fx, sub, seg.windows, `segment ${seg.name} `)).toEqual([]);
    });
  });

  it('importance equals math.fsum to the bit (exact sums); impact within 1e-9 relative (psi is summed in numpy order)', () => {
    console.log(`after ${name}: ${worst.compared} floats compared; worst relative difference: importance ${worst.importance}, impact ${worst.impact.toExponential(2)}`);
    expect(worst.compared).toBeGreaterThan(0);
    expect(worst.importance).toBe(0);
    expect(worst.impact).toBeLessThanOrEqual(1e-9);
  });
});
