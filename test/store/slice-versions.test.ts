// Version slices on a real server and store: a version's metrics (alone and with a segment)
// equal those of a model that received only its events, against the version's own
// baseline when it has one, else the model's; and a property: the order of the events,
// how they are split into batches, when compaction runs and when the segment is created
// never change a slice's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fixtureJson, fixtureLines } from '../helpers/fixture-files.js';
import { addSegment, addVersion, allMetrics, condition, differences, finishBackfill, loadSome } from '../helpers/slices.js';
import { inSegment } from '../../src/domain/segments/match.js';
import type { ModelRecord } from '../../src/domain/model.js';
import type { PredictionRow } from '../../src/domain/ingest/validate.js';
import type { Deps } from '../../src/services/deps.js';

const FIXTURE = 'penguins';
const NOW = Date.parse('2024-06-01T00:00:00Z');
const events = fixtureLines(FIXTURE, 'events.ndjson');
const baseline = fixtureLines(FIXTURE, 'baseline.ndjson');
const segment = fixtureJson(FIXTURE, 'next.json').segments[0] as { name: string; conditions: any[] };
const conditions = segment.conditions.map(condition);
const inSeg = (r: any) => inSegment(conditions, r.features);
/** Each event's version: v1, v2 or none, by its line. */
const versionOf = new Map(events.map((e, i) => [e.eventId as string, ['v1', 'v2', null][i % 3]!]));
/** v1's own baseline: every other baseline row. */
const ownRow = (_: unknown, i: number) => i % 2 === 0;
const v1Baseline = baseline.filter(ownRow);
const WINDOWS = [
  [Date.parse('2024-05-06T00:00:00Z'), Date.parse('2024-05-12T00:00:00Z')],
  [Date.parse('2024-05-07T05:30:00Z'), Date.parse('2024-05-09T13:00:00Z')],
] as const;

function predictionRow(e: any, index: number, versions: Record<string, number>): PredictionRow {
  const v = versionOf.get(e.eventId);
  return {
    index,
    eventId: e.eventId,
    ts: Date.parse(e.timestamp),
    features: e.features,
    featuresText: null,
    score: e.score ?? null,
    predictedLabel: null,
    value: null,
    actualLabel: e.actualLabel ?? null,
    actualValue: null,
    versionId: v ? versions[v]! : null,
    attributions: null,
  };
}

const baselineRow = (r: any, index: number) => ({ index, features: r.features, featuresText: null, score: r.score ?? null, predictedLabel: null, value: null, actualLabel: r.actualLabel ?? null, actualValue: null, attributions: null });

/** A model with versions v1 (own baseline) and v2 and the segment, made by `name` through the API and the store. */
async function versionedModel(s: TestServer, name: string): Promise<{ model: ModelRecord; versions: Record<string, number> }> {
  const model = await loadSome(s, FIXTURE, name, { baseline: () => true, event: () => false });
  const versions = { v1: await addVersion(s.deps, model, 'v1'), v2: await addVersion(s.deps, model, 'v2') };
  await s.deps.store.data.replaceVersionBaseline(model, versions.v1, v1Baseline.map(baselineRow), { at: NOW, actor: 'test', action: 'setVersionBaseline', target: name, details: null });
  return { model, versions };
}

async function logActuals(s: TestServer, name: string): Promise<void> {
  const r = await s.gql('mutation($m: String!, $x: [ActualInput!]!) { logActuals(model: $m, actuals: $x) { accepted rejected } }', { m: name, x: fixtureLines(FIXTURE, 'actuals.ndjson') });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}

async function write(deps: Deps, model: ModelRecord, rows: PredictionRow[]): Promise<void> {
  const w = deps.store.data.predictionWriter(model);
  await w.write(rows, NOW, true);
}

describe('version slices', () => {
  let s: TestServer;
  let m: ModelRecord;
  beforeAll(async () => {
    s = await startTestServer({ now: NOW, env: { GLASSBOX_READ_WORKERS: '1' } });
    const made = await versionedModel(s, 'versioned');
    m = made.model;
    await addSegment(s.deps, m, segment.name, conditions);
    await finishBackfill(s.deps, m, NOW);
    await write(s.deps, m, events.map((e, i) => predictionRow(e, i, made.versions)));
    await logActuals(s, 'versioned');
  }, 120_000);
  afterAll(async () => {
    await s?.stop(true);
  });

  it.each([
    ['v1, with its own baseline', { version: 'v1' }, (e: any) => versionOf.get(e.eventId) === 'v1', ownRow],
    ['v2, on the model baseline', { version: 'v2' }, (e: any) => versionOf.get(e.eventId) === 'v2', () => true],
    ['v1 in the segment', { version: 'v1', segment: segment.name }, (e: any) => versionOf.get(e.eventId) === 'v1' && inSeg(e), (r: any, i: number) => ownRow(r, i) && inSeg(r)],
    ['v2 in the segment', { version: 'v2', segment: segment.name }, (e: any) => versionOf.get(e.eventId) === 'v2' && inSeg(e), (r: any) => inSeg(r)],
  ] as const)('%s equals a model of those events and baseline rows alone', async (label, scope, event, base) => {
    const ref = await loadSome(s, FIXTURE, `ref-${label.replace(/[^a-z0-9]+/g, '-')}`, { baseline: base, event });
    const out: string[] = [];
    for (const [from, to] of WINDOWS) out.push(...differences(await allMetrics(s.deps, m, from, to, scope), await allMetrics(s.deps, ref, from, to), `[${from}..${to})`));
    await s.deps.store.data.compact(NOW);
    for (const [from, to] of WINDOWS) out.push(...differences(await allMetrics(s.deps, m, from, to, scope), await allMetrics(s.deps, ref, from, to), `compacted [${from}..${to})`));
    expect(out).toEqual([]);
    // the slice has its events: a wrong filter would not pass unnoticed on an empty one
    expect((await allMetrics(s.deps, m, WINDOWS[0][0], WINDOWS[0][1], scope)).traffic.predictionCount).toBeGreaterThan(5);
  }, 120_000);

  it("a version's new baseline rebuilds its slices (backfill), exact meanwhile", async () => {
    const scope = { version: 'v1' };
    const v1 = (await s.deps.store.data.findSlice(m.id, 'v1', null)) as { ok: true; slice: number };
    const all = baseline.map(baselineRow);
    await s.deps.store.data.replaceVersionBaseline(m, (await s.deps.store.data.slices(m.id)).find((x) => x.id === v1.slice)!.versionId!, all, { at: NOW, actor: 'test', action: 'setVersionBaseline', target: 'versioned', details: null });
    expect((await s.deps.store.data.slices(m.id)).find((x) => x.id === v1.slice)!.readyAt).toBeNull();
    const ref = await loadSome(s, FIXTURE, 'ref-v1-full-baseline', { baseline: () => true, event: (e) => versionOf.get(e.eventId) === 'v1' });
    const [from, to] = WINDOWS[0];
    expect(differences(await allMetrics(s.deps, m, from, to, scope), await allMetrics(s.deps, ref, from, to))).toEqual([]);
    await finishBackfill(s.deps, m, NOW);
    expect(differences(await allMetrics(s.deps, m, from, to, scope), await allMetrics(s.deps, ref, from, to))).toEqual([]);
  }, 120_000);

  it('order, batches, compaction moments and when the segment is made never change a slice answer', async () => {
    let run = 0;
    const scopes = [{ version: 'v1' }, { segment: segment.name }, { version: 'v2', segment: segment.name }];
    const answers = async (model: ModelRecord) => Promise.all(scopes.map((scope) => allMetrics(s.deps, model, WINDOWS[1][0], WINDOWS[1][1], scope)));
    // the answers of one plain ingest: events in file order, one batch, the segment first
    const plain = await versionedModel(s, 'plain');
    await addSegment(s.deps, plain.model, segment.name, conditions);
    await write(s.deps, plain.model, events.map((e, i) => predictionRow(e, i, plain.versions)));
    await logActuals(s, 'plain');
    const expected = await answers(plain.model);
    expect(expected.map((a) => a.traffic.predictionCount).every((n) => n > 0)).toBe(true);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: events.length, maxLength: events.length }),
        fc.array(fc.integer({ min: 10, max: 90 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.nat({ max: 8 }),
        fc.boolean(),
        async (keys, sizes, compactAfter, segmentAfter, finish) => {
          const name = `prop-${++run}`;
          const { model, versions } = await versionedModel(s, name);
          const order = events.map((e, i) => [keys[i]!, i, e] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const rows = order.map(([, i, e]) => predictionRow(e, i, versions));
          let batch = 0;
          for (let at = 0; at < rows.length; batch++) {
            if (batch === segmentAfter) await addSegment(s.deps, model, segment.name, conditions);
            const n = sizes[batch % sizes.length]!;
            await write(s.deps, model, rows.slice(at, at + n));
            at += n;
            if (compactAfter[batch % compactAfter.length]) await s.deps.store.data.compact(NOW);
          }
          if (batch <= segmentAfter) await addSegment(s.deps, model, segment.name, conditions);
          await logActuals(s, name);
          if (finish) await finishBackfill(s.deps, model, NOW);
          expect(differences(await answers(model), expected)).toEqual([]);
        },
      ),
      { numRuns: 5, endOnFailure: true },
    );
  }, 240_000);
});
