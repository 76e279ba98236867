// Append, then compact (ARCHITECTURE rule 8): whatever the order of the events, the split
// into transactions, the actuals that arrive late or replace earlier ones, and the
// moments compaction runs, every metric of every window answers as the same events
// stored in order in one transaction with nothing compacted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../src/domain/model.js';
import { windowStats } from '../../src/services/stats-read.js';
import { createModel } from '../../src/services/models.js';
import { run as compact } from '../../src/jobs/compact-stats.js';
import { forgetStatsHints } from '../../src/store/sqlite/data/stats-hints.js';
import type { FixtureEvent } from '../domain/metrics/load-fixture.js';
import { ADMIN, close, fixtureModel, freshDeps, logActuals, logEvents, setBaseline, summary } from './stats-helpers.js';
import { sqliteStatsRows } from '../../src/store/sqlite/data/stats-rows.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = (s: string) => Date.parse(s);

type Deps = Awaited<ReturnType<typeof freshDeps>>;

interface Setup {
  deps: Deps;
  model: ModelRecord;
  events: FixtureEvent[];
  /** an actual that differs from the event's own (replaced later by the right one) */
  wrong: (e: FixtureEvent) => { actualLabel: string | null; actualValue: number | null };
}

/** A regression model over three days, with a baseline: actual replacements move R². */
async function regressionSetup(): Promise<Setup> {
  const deps = await freshDeps();
  const model = await createModel(deps, ADMIN, {
    name: 'eta',
    task: 'REGRESSION',
    features: [
      { name: 'km', type: 'NUMERIC' },
      { name: 'zone', type: 'CATEGORICAL' },
    ],
  });
  const row = (i: number) => ({ features: { km: (i * 37) % 23, zone: ['n', 's', 'e'][i % 3] }, score: null, predictedLabel: null, value: 10 + ((i * 13) % 17), actualLabel: null, actualValue: 9 + ((i * 7) % 19) });
  setBaseline(deps, model, { baseline: Array.from({ length: 50 }, (_, i) => row(i + 100)) } as never);
  const t0 = T('2024-05-06T00:00:00Z');
  const events = Array.from({ length: 48 }, (_, i) => ({ eventId: `r${i}`, ts: t0 + Math.floor((i * 3 * DAY) / 48) + ((i * 7919) % 1000), ...row(i) }));
  return { deps, model, events, wrong: (e) => ({ actualLabel: null, actualValue: e.actualValue! + 7.5 }) };
}

async function penguinsSetup(): Promise<Setup> {
  const deps = await freshDeps();
  const { model, fx } = await fixtureModel(deps, 'penguins');
  setBaseline(deps, model, fx);
  const events = fx.events.filter((_, i) => i % 4 === 0);
  return { deps, model, events, wrong: (e) => ({ actualLabel: e.actualLabel === 'Adelie' ? 'Gentoo' : 'Adelie', actualValue: null }) };
}

const WINDOWS: Array<[number, number]> = [
  [T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z')],
  [T('2024-05-06T07:13:00Z'), T('2024-05-09T16:41:30Z')],
  [T('2024-05-07T00:00:00Z'), T('2024-05-08T00:00:00Z')],
  [T('2022-01-01T00:00:00Z'), T('2026-01-01T00:00:00Z')],
  [T('2024-05-01T00:00:00Z'), T('2024-06-01T00:00:00Z')],
];

function answers(s: Setup) {
  return WINDOWS.map(([from, to]) => {
    const { stats, ctx } = windowStats(sqliteStatsRows(s.deps.store.sqlite), s.model, from, to);
    return summary(stats, ctx);
  });
}

interface Plan {
  order: number[];
  cuts: number[];
  /** compaction after batch i (of predictions, then of actuals) at clock t */
  compactions: Array<{ after: number; at: number }>;
  late: boolean[];
  replaced: boolean[];
}

async function playPlan(s: Setup, plan: Plan): Promise<void> {
  const { deps, model, events } = s;
  const ordered = plan.order.map((i) => events[i]!);
  const cuts = [...new Set(plan.cuts.map((c) => c % (ordered.length + 1)))].sort((a, b) => a - b);
  const batches: FixtureEvent[][] = [];
  let at = 0;
  for (const c of [...cuts, ordered.length]) {
    if (c > at) batches.push(ordered.slice(at, c));
    at = Math.max(at, c);
  }
  const current = new Map<string, ReturnType<typeof logEvents>[number]>();
  const lateOf = (e: FixtureEvent) => plan.late[events.indexOf(e) % plan.late.length]!;
  const replacedOf = (e: FixtureEvent) => plan.replaced[events.indexOf(e) % plan.replaced.length]!;
  let step = 0;
  const maybeCompact = async () => {
    for (const c of plan.compactions) if (c.after === step) await compact(deps, c.at);
    step++;
  };
  for (const b of batches) {
    const withActual = b.filter((e) => !lateOf(e));
    const without = b.filter((e) => lateOf(e)).map((e) => ({ ...e, actualLabel: null, actualValue: null }));
    // with and without their actual: two transactions
    for (const [list, actuals] of [[withActual, true], [without, false]] as const) {
      if (list.length === 0) continue;
      const stored = logEvents(deps, model, list, actuals);
      list.forEach((e, k) => current.set(e.eventId, stored[k]!));
    }
    await maybeCompact();
  }
  const send = async (e: FixtureEvent, a: { actualLabel: string | null; actualValue: number | null }) => {
    const before = current.get(e.eventId)!;
    logActuals(deps, model, [{ before, ...a }]);
    current.set(e.eventId, { ...before, ...a });
    await maybeCompact();
  };
  for (const e of ordered) {
    if (replacedOf(e)) await send(e, s.wrong(e));
    if (lateOf(e) || replacedOf(e)) await send(e, { actualLabel: e.actualLabel, actualValue: e.actualValue });
  }
}

const planOf = (n: number) =>
  fc.record({
    order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    cuts: fc.array(fc.nat(n), { maxLength: 8 }),
    compactions: fc.array(
      fc.record({ after: fc.nat(20), at: fc.integer({ min: T('2024-05-06T00:00:00Z'), max: T('2026-03-01T00:00:00Z') }) }),
      { maxLength: 4 },
    ),
    late: fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
    replaced: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  });

describe.each([
  ['binary (penguins)', penguinsSetup],
  ['regression', regressionSetup],
])('append, then compact: %s', (_name, setup) => {
  it('any order, batch split, late or replaced actuals and compaction moments answer as in order, uncompacted', async () => {
    const reference = await setup();
    logEvents(reference.deps, reference.model, reference.events.slice().sort((a, b) => a.ts - b.ts), true);
    const expected = answers(reference);
    await fc.assert(
      fc.asyncProperty(planOf(reference.events.length), async (plan) => {
        const s = await setup();
        await playPlan(s, plan);
        close(expected, answers(s));
        // and once everything is compacted and rolled up
        await compact(s.deps, T('2026-06-01T00:00:00Z'));
        const n = (t: string) => (s.deps.store.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
        expect(n('stats_partial')).toBe(0);
        close(expected, answers(s));
      }),
      { numRuns: 12 },
    );
  });
});

describe('compaction', () => {
  it('is idempotent, builds day, ten-day, month, quarter and year roll-ups, and keeps them in step with late events', async () => {
    const s = await penguinsSetup();
    const { sqlite } = s.deps.store;
    const reference = await penguinsSetup();
    logEvents(reference.deps, reference.model, reference.events, true);
    const expected = answers(reference);
    logEvents(s.deps, s.model, s.events.slice(10), true);
    const first = await compact(s.deps, T('2026-01-01T00:00:00Z'));
    expect(first.rollups).toBeGreaterThan(3);
    const levels = sqlite.prepare('SELECT level, count(*) AS n FROM stats_rollup GROUP BY level ORDER BY level').all();
    expect(levels).toEqual([
      { level: 1, n: new Set(s.events.slice(10).map((e) => Math.floor(e.ts / DAY))).size },
      { level: 2, n: 2 }, // May 1-10 and 11-20
      { level: 3, n: 1 },
      { level: 4, n: 1 },
      { level: 5, n: 1 },
    ]);
    expect(await compact(s.deps, T('2026-01-01T00:00:00Z'))).toEqual({ partials: 0, hours: 0, rollups: 0 });
    // late events into rolled-up days: partials first, then folded into hour, day, month, year
    logEvents(s.deps, s.model, s.events.slice(0, 10), true);
    close(expected, answers(s));
    const again = await compact(s.deps, T('2026-01-01T00:00:00Z'));
    expect(again.partials).toBeGreaterThan(0);
    close(expected, answers(s));
  });
});

describe('exact values of a busy hour', () => {
  it('an hour past 256 distinct values answers the same whether its events came in one go or in parts', async () => {
    const make = async () => {
      const s = await regressionSetup();
      const t0 = T('2024-05-07T10:00:00Z');
      s.events = Array.from({ length: 300 }, (_, i) => ({ ...s.events[i % s.events.length]!, eventId: `h${i}`, ts: t0 + i * 1000, features: { km: i / 7, zone: 'n' } }));
      return s;
    };
    const one = await make();
    logEvents(one.deps, one.model, one.events, true);
    const expected = answers(one);
    const parts = await make();
    for (let b = 0; b < 300; b += 20) {
      logEvents(parts.deps, parts.model, parts.events.slice(b, b + 20), true);
      forgetStatsHints(parts.deps.store.sqlite); // as if each part came from another process
      if (b === 100) await compact(parts.deps, T('2026-01-01T00:00:00Z'));
    }
    const kept = (x: Setup) => WINDOWS.map(([from, to]) => windowStats(sqliteStatsRows(x.deps.store.sqlite), x.model, from, to).stats.features.map((c) => c.kind === 'numeric' && c.values !== null));
    expect(kept(one)[0]).toEqual([false, false]); // km past 256 distinct values in the hour; zone is categorical
    expect(kept(parts)).toEqual(kept(one));
    close(expected, answers(parts));
    await compact(parts.deps, T('2026-01-01T00:00:00Z'));
    expect(kept(parts)).toEqual(kept(one));
    close(expected, answers(parts));
  });
});
