// Statistics slices (segments), on a real server and store: a metric narrowed to a segment
// equals the metric of a separate model that received only the segment's events and
// baseline rows (METRICS.md "Segments and versions"), and matches next.json's reference
// values for the fixtures' segments; a segment created after its events were stored is
// exact while it is being built and after; deleting one deletes its statistics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { FIXTURE_NAMES, fixtureJson } from '../helpers/fixture-files.js';
import { compareObject } from '../helpers/metric-tolerance.js';
import { addSegment, allMetrics, condition, differences, finishBackfill, loadSome } from '../helpers/slices.js';
import { storedValue } from '../helpers/stored-rows.js';
import { inSegment } from '../../src/domain/segments/match.js';
import { drift } from '../../src/services/metrics.js';
import type { ModelRecord } from '../../src/domain/model.js';

const NOW = Date.parse('2024-06-01T00:00:00Z');

interface Segment {
  name: string;
  conditions: Array<Record<string, unknown> & { feature: string }>;
  windows: Array<Record<string, any>>;
}

/** Every mismatch between a window's narrowed metrics and next.json's expectation. */
function againstNext(where: string, exp: Record<string, any>, got: Awaited<ReturnType<typeof allMetrics>>): string[] {
  const out: string[] = [];
  for (const kind of ['drift', 'integrity'] as const)
    for (const [f, e] of Object.entries<any>(exp[kind])) out.push(...compareObject(`${where} ${kind}.${f}`, e, got[kind].find((d) => d.feature === f) as any));
  out.push(...compareObject(`${where} outputDrift`, exp.outputDrift, got.outputDrift as any));
  out.push(...compareObject(`${where} performance`, exp.performance, got.performance as any));
  out.push(...compareObject(`${where} traffic`, exp.traffic, got.traffic as any));
  for (const [a, e] of Object.entries<any>(exp.fairness ?? {})) {
    const f = got.fairness.find((x) => x.attribute === a) as any;
    out.push(...compareObject(`${where} fairness.${a}`, e, f));
    for (const [g, ge] of Object.entries<any>(e.groups)) out.push(...compareObject(`${where} fairness.${a}.${g}`, ge, f?.groups.find((x: any) => x.group === g)));
  }
  return out;
}

describe.each(FIXTURE_NAMES)('segments of %s', (fixture) => {
  let s: TestServer;
  const segments = fixtureJson(fixture, 'next.json').segments as Segment[];
  const conds = (seg: Segment) => seg.conditions.map(condition);
  const window = (w: Record<string, any>) => [Date.parse(w.from), Date.parse(w.to)] as const;
  let before: ModelRecord; // segments created before any event (kept at ingest)
  let after: ModelRecord; // segments created once every event was stored (backfilled)
  const refs = new Map<string, ModelRecord>();

  beforeAll(async () => {
    s = await startTestServer({ now: NOW, env: { GLASSBOX_READ_WORKERS: '1' } });
    const all = { baseline: () => true, event: () => true };
    const model = fixtureJson(fixture, 'model.json');
    // the model, its segments, then its baseline and traffic
    await s.gql('mutation($input: CreateModelInput!) { createModel(input: $input) { name } }', { input: { ...model, name: 'before' } });
    before = (await s.deps.store.models.byName('before'))!;
    for (const seg of segments) await addSegment(s.deps, before, seg.name, conds(seg));
    // nothing to build: ready at the first pass, so later reads take the slices' stored statistics
    expect(await finishBackfill(s.deps, before, NOW)).toBe(1);
    before = await loadInto(s, fixture, 'before');
    after = await loadSome(s, fixture, 'after', all);
    for (const seg of segments) {
      const c = conds(seg);
      const keep = (r: any) => inSegment(c, r.features);
      refs.set(seg.name, await loadSome(s, fixture, `ref-${seg.name}`, { baseline: keep, event: keep }));
    }
  }, 120_000);
  afterAll(async () => {
    await s?.stop(true);
  });

  it('kept at ingest: every window equals the model of the segment alone, and next.json within tolerance', async () => {
    const out: string[] = [];
    for (const seg of segments) {
      for (const w of seg.windows) {
        const [from, to] = window(w);
        const got = await allMetrics(s.deps, before, from, to, { segment: seg.name });
        out.push(...differences(got, await allMetrics(s.deps, refs.get(seg.name)!, from, to), `${seg.name} [${w.from}..${w.to}) vs its own model`));
        out.push(...againstNext(`${seg.name} [${w.from}..${w.to})`, w, got));
      }
    }
    expect(out).toEqual([]);
    // the same from compacted hours and roll-ups instead of partials
    expect((await s.deps.store.data.compact(NOW)).rollups).toBeGreaterThan(0);
    for (const seg of segments)
      for (const w of seg.windows) {
        const [from, to] = window(w);
        out.push(...differences(await allMetrics(s.deps, before, from, to, { segment: seg.name }), await allMetrics(s.deps, refs.get(seg.name)!, from, to), `${seg.name} compacted`));
      }
    expect(out).toEqual([]);
  }, 180_000);

  it('created after its events: exact while being built (a day a step) and once built', async () => {
    for (const seg of segments) await addSegment(s.deps, after, seg.name, conds(seg));
    const events = await storedValue(s.deps.store, 'SELECT count(*) AS n FROM events WHERE model_id = ?', after.id);
    const building = await s.deps.store.data.slices(after.id);
    expect(building.map((x) => [x.readyAt, x.backfillDone, Number(x.backfillTotal)])).toEqual(segments.map(() => [null, 0, Number(events)]));
    const check = async () => {
      const out: string[] = [];
      for (const seg of segments)
        for (const w of seg.windows) {
          const [from, to] = window(w);
          out.push(...differences(await allMetrics(s.deps, after, from, to, { segment: seg.name }), await allMetrics(s.deps, refs.get(seg.name)!, from, to), `${seg.name} [${w.from}..${w.to})`));
        }
      expect(out).toEqual([]);
    };
    await check();
    // one pass folds partials and builds a day at a time, with the progress stored
    await s.deps.store.data.compact(NOW, { shouldStop: stopAfterSteps(3) });
    const midway = await s.deps.store.data.slices(after.id);
    expect(midway.some((x) => x.readyAt === null && x.backfillDone > 0 && x.backfillDone < x.backfillTotal)).toBe(true);
    await check();
    await finishBackfill(s.deps, after, NOW);
    const done = await s.deps.store.data.slices(after.id);
    expect(done.every((x) => x.readyAt === NOW && x.backfillDone === x.backfillTotal)).toBe(true);
    await check();
  }, 180_000);

  it('an unknown segment or version is BAD_USER_INPUT naming the argument', async () => {
    const [from, to] = window(segments[0]!.windows.at(-1)!);
    await expect(drift(s.deps, before, from, to, { segment: 'nope' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'segment' });
    await expect(drift(s.deps, before, from, to, { version: 'v9' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
  });

  it("deleting a segment deletes its slices' statistics", async () => {
    const sliceOf = async (name: string) => (await s.deps.store.data.findSlice(before.id, null, name)) as { ok: true; slice: number };
    const { slice } = await sliceOf(segments[1]!.name);
    const rows = () => storedValue(s.deps.store, 'SELECT (SELECT count(*) FROM stats_hourly WHERE model_id = ? AND slice = ?) + (SELECT count(*) FROM stats_partial WHERE model_id = ? AND slice = ?) AS n', before.id, slice, before.id, slice);
    expect(Number(await rows())).toBeGreaterThan(0);
    await storedValue(s.deps.store, 'DELETE FROM segments WHERE model_id = ? AND name = ?', before.id, segments[1]!.name);
    await s.deps.store.data.syncSlices(before);
    expect(Number(await rows())).toBe(0);
    expect((await s.deps.store.data.slices(before.id)).map((x) => x.id)).toEqual([(await sliceOf(segments[0]!.name)).slice]);
  });
});

/** A shouldStop that lets a compaction pass run `n` steps (each asks once before it starts). */
function stopAfterSteps(n: number): () => boolean {
  let asked = 0;
  return () => ++asked > n;
}

/** The fixture's baseline, events and actuals into an existing model, through the API. */
async function loadInto(s: TestServer, fixture: string, name: string): Promise<ModelRecord> {
  const { fixtureLines } = await import('../helpers/fixture-files.js');
  const baseline = fixtureLines(fixture, 'baseline.ndjson');
  const r = await s.gql('mutation($m: String!, $rows: [BaselineRowInput!]!) { setBaseline(model: $m, rows: $rows) { rowCount } }', { m: name, rows: baseline });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  for (const [file, field, arg, type] of [
    ['events.ndjson', 'logPredictions', 'predictions', 'PredictionInput'],
    ['actuals.ndjson', 'logActuals', 'actuals', 'ActualInput'],
  ] as const) {
    const lines = fixtureLines(fixture, file);
    for (let i = 0; i < lines.length; i += 300) {
      const q = `mutation($m: String!, $x: [${type}!]!) { ${field}(model: $m, ${arg}: $x) { accepted rejected } }`;
      const d = await s.gql(q, { m: name, x: lines.slice(i, i + 300) });
      if (d.errors || d.data[field].rejected !== 0) throw new Error(JSON.stringify(d.errors ?? d.data));
    }
  }
  return (await s.deps.store.models.byName(name))!;
}
