// Statistics slices on PostgreSQL (src/store/postgres/data/: slice-set, slices-sync,
// slice-backfill): a version, segment or pair reads exactly as a model fed only its events
// and baseline rows (METRICS.md "Segments and versions"), while it is built from raw
// events, after compaction's backfill, after a version baseline; and what only PostgreSQL
// has: two replicas ingesting into segments at once, a backfill while another replica
// ingests, a deleted segment's rows going with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import type { ModelRecord } from '../../src/domain/model.js';
import type { MetricRead, MetricReader } from '../../src/domain/metrics/reads.js';
import type { PredictionRow } from '../../src/domain/ingest/validate.js';
import type { SegmentCondition } from '../../src/domain/segments/segment.js';
import { inSlice } from '../../src/domain/slices.js';
import type { NewModel } from '../../src/store/ports/models.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { loadFixture } from '../domain/metrics/load-fixture.js';
import { actual, prediction } from './data-twin.js';
import { close } from '../services/stats-helpers.js';

const admin = await testPostgres();
const fx = loadFixture('penguins');
const T = (s: string) => Date.parse(s);
const NOW = T('2024-05-12T00:00:00Z');
const FROM = T('2024-05-05T00:00:00Z');
const log = { warn: () => {}, error: () => {} };
let seq = 0;
const def = (): NewModel => ({ ...fx.model, name: `slices-${++seq}`, description: null, retentionDays: null, createdAt: NOW });
const cond = (c: Partial<SegmentCondition> & { feature: string }): SegmentCondition => ({ in: null, gte: null, gt: null, lte: null, lt: null, isMissing: null, ...c });
const BISCOE = [cond({ feature: 'island', in: ['Biscoe'] })];
const HEAVY = [cond({ feature: 'body_mass_g', gte: 4000 })];
const baselineRows = (rows = fx.baseline) => rows.map((r, index) => ({ ...r, attributions: r.attributions ? JSON.stringify(r.attributions) : null, index, featuresText: null }));
const audit = (at: number) => ({ at, actor: 'test', action: 'setBaseline', target: 'x', details: {} });

/** Which version each event belongs to (set once the versions exist). */
type Versioned = PredictionRow & { versionId: number | null };

async function addVersion(s: PostgresStore, modelId: number, name: string): Promise<number> {
  return (await s.pool.query<{ id: number }>('INSERT INTO model_versions (model_id, name, created_at) VALUES ($1, $2, $3) RETURNING id', [modelId, name, NOW])).rows[0]!.id;
}
async function addSegment(s: PostgresStore, modelId: number, name: string, conditions: SegmentCondition[]): Promise<number> {
  return (await s.pool.query<{ id: number }>('INSERT INTO segments (model_id, name, conditions, created_at) VALUES ($1, $2, $3::json, $4) RETURNING id', [modelId, name, JSON.stringify(conditions), NOW])).rows[0]!.id;
}
async function sliceId(s: PostgresStore, model: ModelRecord, version: string | null, segment: string | null): Promise<number> {
  const r = await s.data.findSlice(model.id, version, segment);
  if (!r.ok) throw new Error(`no slice for ${version}/${segment}`);
  return r.slice;
}

/** A slice and the model that receives only what it should hold (its events, its baseline rows). */
interface Twin {
  versionId: number | null;
  segment: SegmentCondition[] | null;
  ref: ModelRecord;
}
const inTwin = (t: Twin, r: Versioned) => inSlice({ versionId: t.versionId, segment: t.segment && { id: 0, conditions: t.segment } }, r.versionId, r.features);

/** Writes a batch to the model and each twin's share of it to the twin's model. */
async function feed(s: PostgresStore, model: ModelRecord, twins: Twin[], rows: Versioned[]): Promise<void> {
  await s.data.predictionWriter(model).write(rows, NOW, true);
  for (const t of twins) {
    const mine = rows.filter((r) => inTwin(t, r)).map((r) => ({ ...r, versionId: null }));
    if (mine.length > 0) await s.data.predictionWriter(t.ref).write(mine, NOW, true);
  }
}

const KINDS = ['drift', 'outputDrift', 'integrity', 'performance', 'traffic'] as const;

/**
 * Every read of the slice answers as the same read of its twin's model (counts exactly; sums
 * such as the Brier score within 1e-9: batches and compaction group them differently).
 */
async function expectTwins(reader: MetricReader, model: ModelRecord, slices: number[], twins: Twin[], label: string): Promise<void> {
  for (let i = 0; i < twins.length; i++) {
    for (const kind of KINDS) {
      const got = await reader.read({ kind, model, slice: slices[i]!, from: FROM, to: NOW } as MetricRead);
      const want = await reader.read({ kind, model: twins[i]!.ref, from: FROM, to: NOW } as MetricRead);
      close(want, got, `${label}: slice ${i} ${kind}`);
    }
    const series = { kind: 'series', metric: 'PREDICTION_COUNT', granularity: 'DAY', from: FROM + 1_800_000, to: NOW } as const;
    close(await reader.read({ ...series, model: twins[i]!.ref } as MetricRead), await reader.read({ ...series, model, slice: slices[i]! } as MetricRead), `${label}: slice ${i} series`);
  }
}

describe.skipIf(admin === null)('PostgreSQL statistics slices', () => {
  const db = useTempDatabase(admin);
  let a: PostgresStore;
  let b: PostgresStore;
  let reader: MetricReader;
  beforeAll(async () => {
    a = await openPostgres(db.url);
    b = await openPostgres(db.url, { migrate: false });
    reader = a.data.openReader({ workers: 2, log });
  });
  afterAll(async () => {
    await reader?.close();
    await a?.close();
    await b?.close();
  });

  it('reads a version, a segment and a pair as a model fed only their events and baseline rows: while built from raw events, after the backfill, after a version baseline', async () => {
    const model = (await a.models.create(def()))!;
    await a.data.replaceBaseline(model, baselineRows(), audit(NOW));
    const ev = fx.events.map((e, i) => ({ ...prediction(i, e), versionId: null }) as Versioned);
    const half = Math.floor(ev.length / 2);
    // before any version or segment: the events belong to none
    await a.data.predictionWriter(model).write(ev.slice(0, half), NOW, true);
    const v1 = await addVersion(a, model.id, 'v1');
    await addVersion(a, model.id, 'v2');
    await addSegment(a, model.id, 'biscoe', BISCOE);
    await addSegment(a, model.id, 'heavy', HEAVY);
    await a.data.syncSlices(model);
    const states = await a.data.slices(model.id);
    expect(states).toHaveLength(2 + 2 + 4);
    expect(states.every((s) => s.readyAt === null)).toBe(true);
    const twins: Twin[] = [];
    for (const [versionId, segment] of [[null, BISCOE], [v1, null], [v1, HEAVY]] as const) {
      const ref = (await a.models.create(def()))!;
      const rows = segment ? fx.baseline.filter((r) => inSlice({ versionId: null, segment: { id: 0, conditions: segment } }, null, r.features)) : fx.baseline;
      await a.data.replaceBaseline(ref, baselineRows(rows), audit(NOW));
      const t: Twin = { versionId, segment, ref };
      const before = ev.slice(0, half).filter((r) => inTwin(t, r));
      if (before.length > 0) await a.data.predictionWriter(ref).write(before, NOW, true);
      twins.push(t);
    }
    const slices = [await sliceId(a, model, null, 'biscoe'), await sliceId(a, model, 'v1', null), await sliceId(a, model, 'v1', 'heavy')];
    const later = ev.slice(half).map((r, i) => ({ ...r, versionId: i % 3 === 2 ? null : i % 3 === 0 ? v1 : v1 + 1 }));
    for (let i = 0; i < later.length; i += 25) await feed(a, model, twins, later.slice(i, i + 25));
    await expectTwins(reader, model, slices, twins, 'building');
    await a.data.compact(NOW);
    expect((await a.data.slices(model.id)).every((s) => s.readyAt === NOW && s.backfillDone === s.backfillTotal && s.backfillTotal > 0)).toBe(true);
    await a.data.compact(NOW);
    await expectTwins(reader, model, slices, twins, 'built');
    // actuals move each slice's labelled counts as they move the model's
    const labels = fx.events.filter((e) => e.actualLabel !== null).map((e, i) => actual(i, e.eventId, e.actualLabel));
    await a.data.actualWriter(model).write(labels, NOW);
    for (const t of twins) {
      const ids = new Set(ev.filter((r, i) => inTwin(t, i < half ? r : later[i - half]!)).map((r) => r.eventId));
      await a.data.actualWriter(t.ref).write(labels.filter((l) => ids.has(l.eventId)), NOW);
    }
    await expectTwins(reader, model, slices, twins, 'labelled');
    // v1's own baseline: its slices start over against it (the segment's only against v1's rows in it)
    const own = fx.baseline.slice(0, 40);
    await a.data.replaceVersionBaseline(model, v1, baselineRows(own), audit(NOW + 5));
    const restarted = (await a.data.slices(model.id)).filter((s) => s.readyAt === null).map((s) => s.versionId);
    expect(restarted.length).toBeGreaterThan(0);
    expect(restarted.every((v) => v === v1)).toBe(true);
    await a.data.replaceBaseline(twins[1]!.ref, baselineRows(own), audit(NOW + 5));
    const heavyOwn = own.filter((r) => inSlice({ versionId: null, segment: { id: 0, conditions: HEAVY } }, null, r.features));
    await a.data.replaceBaseline(twins[2]!.ref, baselineRows(heavyOwn), audit(NOW + 5));
    await expectTwins(reader, model, slices, twins, 'version baseline, building');
    await a.data.compact(NOW);
    await expectTwins(reader, model, slices, twins, 'version baseline, built');
  });

  /** `n` events from the fixture's, spread over `days` days from May 1st, their versions cycling through `versions`. */
  const synthetic = (n: number, days: number, versions: Array<number | null>, offset = 0): Versioned[] =>
    Array.from({ length: n }, (_, k) => {
      const i = k + offset;
      const e = fx.events[i % fx.events.length]!;
      return { ...prediction(i, { ...e, eventId: `s${i}`, ts: T('2024-05-01T00:00:00Z') + Math.floor(((i * 7919) % n) * ((days * 86_400_000) / n)) }), versionId: versions[i % versions.length]! };
    });

  /** A model with a baseline, two versions and two segments, and twins of three of its slices. */
  async function sliced(): Promise<{ model: ModelRecord; v1: number; twins: Twin[]; slices: () => Promise<number[]> }> {
    const model = (await a.models.create(def()))!;
    await a.data.replaceBaseline(model, baselineRows(), audit(NOW));
    const v1 = await addVersion(a, model.id, 'v1');
    await addVersion(a, model.id, 'v2');
    await addSegment(a, model.id, 'biscoe', BISCOE);
    const twins: Twin[] = [];
    for (const [versionId, segment] of [[null, BISCOE], [v1, null], [v1 + 1, BISCOE]] as const) {
      const ref = (await a.models.create(def()))!;
      const rows = segment ? fx.baseline.filter((r) => inSlice({ versionId: null, segment: { id: 0, conditions: segment } }, null, r.features)) : fx.baseline;
      await a.data.replaceBaseline(ref, baselineRows(rows), audit(NOW));
      twins.push({ versionId, segment, ref });
    }
    const slices = async () => [await sliceId(a, model, null, 'biscoe'), await sliceId(a, model, 'v1', null), await sliceId(a, model, 'v2', 'biscoe')];
    return { model, v1, twins, slices };
  }

  it('loses and doubles nothing when two replicas ingest overlapping batches into the slices at once', async () => {
    const { model, v1, twins, slices } = await sliced();
    await a.data.syncSlices(model);
    await a.data.compact(NOW); // no event yet: every slice is ready at once
    expect((await a.data.slices(model.id)).every((s) => s.readyAt === NOW && s.backfillTotal === 0)).toBe(true);
    const rows = synthetic(1500, 3, [v1, v1 + 1, null]);
    for (let round = 0; round < 3; round++) {
      const part = rows.slice(round * 500, round * 500 + 500);
      const x = part.slice(0, 350).reverse();
      const y = part.slice(150);
      const [rx, ry] = await Promise.all([a.data.predictionWriter(model).write(x, NOW, true), b.data.predictionWriter(model).write(y, NOW, true)]);
      expect(rx.accepted + ry.accepted, `round ${round}`).toBe(500);
    }
    for (const t of twins) await a.data.predictionWriter(t.ref).write(rows.filter((r) => inTwin(t, r)).map((r) => ({ ...r, versionId: null })), NOW, true);
    const ids = await slices();
    await expectTwins(reader, model, ids, twins, 'partials');
    await Promise.all([a.data.compact(NOW), b.data.compact(NOW)]);
    await a.data.compact(NOW);
    for (const t of twins) await a.data.compact(NOW);
    await expectTwins(reader, model, ids, twins, 'compacted');
  });

  it('builds a new segment exactly while another replica ingests predictions and actuals into it', async () => {
    const { model, v1, twins, slices } = await sliced();
    const rows = synthetic(3000, 10, [v1, v1 + 1]);
    const early = rows.slice(0, 2000);
    const late = rows.slice(2000);
    for (let i = 0; i < early.length; i += 500) await a.data.predictionWriter(model).write(early.slice(i, i + 500), NOW, true);
    await a.data.syncSlices(model);
    expect((await a.data.slices(model.id)).some((s) => s.readyAt === null)).toBe(true);
    const labels = rows.filter((_, i) => i % 4 === 0).map((r, i) => actual(i, r.eventId, fx.events[i % fx.events.length]!.actualLabel ?? 'Adelie'));
    // replica b ingests the rest (spread over the same days) and labels while replica a backfills
    const ingest = (async () => {
      for (let i = 0; i < late.length; i += 50) {
        await b.data.predictionWriter(model).write(late.slice(i, i + 50), NOW, true);
        if (i % 200 === 0) await b.data.actualWriter(model).write(labels.slice(i / 2, i / 2 + 100), NOW);
      }
      await b.data.actualWriter(model).write(labels, NOW);
    })();
    await Promise.all([ingest, a.data.compact(NOW)]);
    for (const t of twins) {
      const mine = rows.filter((r) => inTwin(t, r));
      await a.data.predictionWriter(t.ref).write(mine.map((r) => ({ ...r, versionId: null })), NOW, true);
      const ids = new Set(mine.map((r) => r.eventId));
      await a.data.actualWriter(t.ref).write(labels.filter((l) => ids.has(l.eventId)), NOW);
    }
    const ids = await slices();
    await expectTwins(reader, model, ids, twins, 'raced');
    await a.data.compact(NOW);
    // the slices not built, listed (this failed once, unexplained, with only `false` to show)
    expect((await a.data.slices(model.id)).filter((s) => s.readyAt === null || s.backfillDone !== s.backfillTotal)).toEqual([]);
    await a.data.compact(NOW);
    for (const t of twins) await a.data.compact(NOW);
    await expectTwins(reader, model, ids, twins, 'built');
  });

  it('deletes the statistics of a deleted segment\'s slices and keeps the others\'', async () => {
    const { model, v1 } = await sliced();
    await addSegment(a, model.id, 'heavy', HEAVY);
    await a.data.syncSlices(model);
    await a.data.predictionWriter(model).write(synthetic(400, 2, [v1, null]), NOW, true);
    await a.data.compact(NOW);
    const heavy = (await a.pool.query<{ id: number }>('SELECT s.id FROM stats_slices s JOIN segments g ON g.id = s.segment_id WHERE g.name = $1 AND s.model_id = $2', ['heavy', model.id])).rows.map((r) => r.id);
    expect(heavy).toHaveLength(3);
    const count = async (slices: number[]) =>
      (await a.pool.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM stats_hourly WHERE model_id = $1 AND slice = ANY($2::int[])) + (SELECT count(*) FROM stats_partial WHERE model_id = $1 AND slice = ANY($2::int[]))
          + (SELECT count(*) FROM stats_rollup WHERE model_id = $1 AND slice = ANY($2::int[])) AS n`,
        [model.id, slices],
      )).rows[0]!.n;
    expect(await count(heavy)).toBeGreaterThan(0);
    const others = (await a.data.slices(model.id)).map((s) => s.id).filter((id) => !heavy.includes(id));
    const kept = await count(others);
    await a.pool.query("DELETE FROM segments WHERE model_id = $1 AND name = 'heavy'", [model.id]);
    await a.data.syncSlices(model);
    expect(await count(heavy)).toBe(0);
    expect(await count(others)).toBe(kept);
    expect((await a.data.slices(model.id)).map((s) => s.id)).toEqual(others);
    expect(await a.data.findSlice(model.id, null, 'heavy')).toEqual({ ok: false, field: 'segment' });
  });
});
