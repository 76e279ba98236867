// The head of a model's ingest (stats-head.ts, shared-heads.ts): calls in many batches write
// one partial per hour when the model is next read, and however their batches are covered
// meanwhile (recovery of another process's batches, a baseline rebuild, actuals), every
// window answers as the raw events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ModelRecord } from '../../src/domain/model.js';
import { ValueCounts, sortedValues } from '../../src/domain/metrics/exact-values.js';
import { windowStats } from '../../src/services/stats-read.js';
import { statsContext, statsFromEvents } from '../../src/store/sqlite/data/stats-store.js';
import { IngestRun } from '../../src/services/ingest-run.js';
import { ingestNdjson } from '../../src/services/ingest.js';
import { run as compact } from '../../src/jobs/compact-stats.js';
import { foldUncoveredBatches } from '../../src/store/sqlite/data/compact.js';
import type { FixtureEvent } from '../domain/metrics/load-fixture.js';
import { ADMIN, close, fixtureModel, freshDeps, setBaseline, summary, type SqliteDeps } from './stats-helpers.js';
import { sqliteStatsRows } from '../../src/store/sqlite/data/stats-rows.js';
import { openStore } from '../../src/db/client.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { deleteModel } from '../../src/services/models.js';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
const T = (s: string) => Date.parse(s);
const WINDOWS: Array<[number, number]> = [
  [T('2024-05-06T00:00:00Z'), T('2024-05-12T00:00:00Z')],
  [T('2024-05-06T07:13:00Z'), T('2024-05-09T16:41:30Z')],
  [T('2024-05-07T00:00:00Z'), T('2024-05-08T00:00:00Z')],
];

/** The fixture's events in a fixed shuffled order, as prediction lines. */
function inputs(events: FixtureEvent[]): unknown[] {
  const order = events.map((_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b);
  return order.map((i) => {
    const e = events[i]!;
    const o: Record<string, unknown> = { eventId: e.eventId, timestamp: new Date(e.ts).toISOString(), features: e.features };
    for (const k of ['score', 'predictedLabel', 'value', 'actualLabel', 'actualValue'] as const) if (e[k] !== null) o[k] = e[k];
    return o;
  });
}

async function setup(): Promise<{ deps: SqliteDeps; model: ModelRecord; items: unknown[]; fx: Awaited<ReturnType<typeof fixtureModel>>['fx'] }> {
  const deps = await freshDeps();
  const { model, fx } = await fixtureModel(deps, 'penguins');
  setBaseline(deps, model, fx);
  return { deps, model, items: inputs(fx.events), fx };
}

/** A read through the store's reader: it first writes the model's head out. */
async function read(deps: SqliteDeps, model: ModelRecord): Promise<void> {
  await deps.store.data.openReader({ workers: 0, log: deps.log }).read({ kind: 'traffic', model, from: 0, to: 1 });
}

/** After a read, every window from the stored statistics equals the same window from the raw events. */
async function expectExact(deps: SqliteDeps, model: ModelRecord): Promise<void> {
  await read(deps, model);
  const { sqlite } = deps.store;
  const ctx = statsContext(sqlite, model);
  for (const [from, to] of WINDOWS) close(summary(statsFromEvents(sqlite, ctx, model.id, 0, from, to), ctx), summary(windowStats(sqliteStatsRows(sqlite), model, from, to).stats, ctx));
  expect(sqlite.prepare('SELECT count(*) FROM stats_uncovered').pluck().get()).toBe(0);
}

const count = (deps: SqliteDeps, sql: string) => deps.store.sqlite.prepare(sql).pluck().get() as number;

describe('the head of a model', () => {
  it('keeps calls of many batches in memory and writes one partial per hour when the model is read', async () => {
    const { deps, model, items } = await setup();
    const half = Math.floor(items.length / 2);
    for (const part of [items.slice(0, half), items.slice(half)]) {
      const body = (async function* () {
        yield part.map((o) => JSON.stringify(o)).join('\n');
      })();
      const r = await ingestNdjson(deps, ADMIN, model, 'predictions', body, { via: 'ndjson', batchSize: 7 });
      expect(r.accepted).toBe(part.length);
    }
    expect(count(deps, 'SELECT count(*) FROM stats_partial')).toBe(0);
    await read(deps, model);
    const hours = count(deps, 'SELECT count(DISTINCT ts / 3600000) FROM events');
    expect(count(deps, 'SELECT count(*) FROM stats_partial')).toBe(hours);
    await expectExact(deps, model);
  });

  it('is written out at close, and writes nothing for a model deleted while it held batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-head-'));
    try {
      const file = join(dir, 'g.db');
      const deps = { store: openStore(file), clock: fixedClock(Date.parse('2024-05-12T00:00:00Z')), log: silentLogger() };
      const { model, fx } = await fixtureModel(deps, 'penguins');
      const other = (await fixtureModel(deps, 'penguins', { suffix: '-2' })).model;
      const lines = inputs(fx.events).map((o) => JSON.stringify(o)).join('\n');
      for (const m of [model, other]) {
        await ingestNdjson(deps, ADMIN, m, 'predictions', (async function* () {
          yield lines;
        })(), { via: 'ndjson', batchSize: 50 });
      }
      expect(count(deps, 'SELECT count(*) FROM stats_uncovered')).toBeGreaterThan(2);
      expect(count(deps, 'SELECT count(*) FROM stats_partial')).toBe(0);
      await deleteModel(deps, ADMIN, model.name);
      deps.store.close();
      const again = { ...deps, store: openStore(file) };
      try {
        expect(count(again, 'SELECT count(*) FROM stats_uncovered')).toBe(0);
        expect(count(again, `SELECT count(*) FROM stats_partial WHERE model_id = ${model.id}`)).toBe(0);
        expect(count(again, `SELECT count(*) FROM stats_partial WHERE model_id = ${other.id}`)).toBeGreaterThan(0);
        await expectExact(again, other);
      } finally {
        again.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes itself out before actuals change the raw rows, so that they count once', async () => {
    const { deps, model, items } = await setup();
    const body = (async function* () {
      yield items.map((o) => JSON.stringify({ ...(o as object), actualLabel: undefined, actualValue: undefined })).join('\n');
    })();
    await ingestNdjson(deps, ADMIN, model, 'predictions', body, { via: 'ndjson', batchSize: 7 });
    const labelled = items.filter((o) => (o as { actualLabel?: string }).actualLabel !== undefined);
    expect(labelled.length).toBeGreaterThan(10);
    const actuals = (async function* () {
      yield labelled.map((o) => JSON.stringify({ eventId: (o as { eventId: string }).eventId, actualLabel: (o as { actualLabel: string }).actualLabel })).join('\n');
    })();
    await ingestNdjson(deps, ADMIN, model, 'actuals', actuals, { via: 'ndjson', batchSize: 9 });
    // recovery (as before a purge or a backfill step) folds what is uncovered from the raw rows, which now hold the actuals
    await foldUncoveredBatches(deps.store.sqlite, (body) => Promise.resolve(body()), (id) => deps.store.models.byId(id), deps.clock.now(), 'all');
    await expectExact(deps, model);
  });

  it('folds from the raw rows what it still holds when recovery took some of its batches', async () => {
    const { deps, model, items } = await setup();
    const run = new IngestRun(deps, ADMIN, model, 'predictions', { via: 'ndjson', batchSize: 5 });
    const half = Math.floor(items.length / 2);
    items.slice(0, half).forEach((it, i) => run.add(i, it));
    expect(count(deps, 'SELECT count(*) FROM stats_uncovered')).toBeGreaterThan(3);
    expect(await foldUncoveredBatches(deps.store.sqlite, (body) => Promise.resolve(body()), (id) => deps.store.models.byId(id), deps.clock.now(), 'all')).toBeGreaterThan(3);
    items.slice(half).forEach((it, i) => run.add(half + i, it));
    run.finish();
    await expectExact(deps, model);
  });

  it('leaves the batches of a call that died to recovery, once', async () => {
    const { deps, model, items } = await setup();
    const run = new IngestRun(deps, ADMIN, model, 'predictions', { via: 'ndjson', batchSize: 6 });
    items.forEach((it, i) => run.add(i, it));
    // as if another process wrote them and was killed a minute ago: the run never finishes
    deps.store.sqlite.prepare("UPDATE stats_uncovered SET owner = 'gone:1', at = ?").run(deps.clock.now() - 61_000);
    await compact(deps, deps.clock.now());
    await expectExact(deps, model);
    await compact(deps, deps.clock.now());
    await expectExact(deps, model);
  });

  it('drops its head when a new baseline rebuilds the statistics mid-call', async () => {
    const { deps, model, items, fx } = await setup();
    const run = new IngestRun(deps, ADMIN, model, 'predictions', { via: 'ndjson', batchSize: 4 });
    const third = Math.floor(items.length / 3);
    items.slice(0, third).forEach((it, i) => run.add(i, it));
    setBaseline(deps, model, { ...fx, baseline: fx.baseline.slice(0, Math.floor(fx.baseline.length / 2)) });
    items.slice(third).forEach((it, i) => run.add(third + i, it));
    run.finish();
    await expectExact(deps, model);
  });
});

describe('ValueCounts', () => {
  it('counts as a Map of numbers does (0 and -0 one value)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -3, max: 3 }), fc.constant(-0)), { maxLength: 400 }), (xs) => {
        const vc = new ValueCounts();
        const m = new Map<number, number>();
        for (const x of xs) {
          vc.add(x);
          m.set(x, (m.get(x) ?? 0) + 1);
        }
        expect(vc.size).toBe(m.size);
        for (const [k, n] of m) expect(vc.get(k)).toBe(n);
        const sv = sortedValues(vc);
        expect(Array.from(sv.v)).toEqual([...m.keys()].sort((a, b) => a - b).map((k) => (k === 0 ? 0 : k)));
      }),
    );
  });
});
