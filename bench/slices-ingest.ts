// What statistics slices cost ingest on SQLite: the same events (20 numeric and 2
// categorical features, a baseline set, shuffled over a week) written through the store's
// prediction writer (insert, event index, stats head: what every ingest path ends in) into
// a model without segments, then into one with 10 segments of the kinds users write
// (bench/segments.ts: lists, ranges, presence, conjunctions), each event going to every
// slice it matches (it prints the share each takes). CPU per row of the writer, both runs
// in one process on fresh files.
// `npm run bench -- slices` (BENCH_EVENTS, default 200k).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/db/client.js';
import { fixedClock } from '../src/clock.js';
import { silentLogger } from '../src/log.js';
import { createModel } from '../src/services/models.js';
import type { Deps } from '../src/services/deps.js';
import type { PredictionRow } from '../src/domain/ingest/validate.js';
import type { SegmentCondition } from '../src/domain/segments/segment.js';
import { WEEK_MS } from '../src/domain/time.js';
import { compileSegment } from '../src/domain/segments/match.js';

const T0 = Date.parse('2024-05-01T00:00:00Z');
const NUM = 20;
const BATCH = 1000;

const c = (o: Partial<SegmentCondition> & { feature: string }): SegmentCondition => ({ in: null, gte: null, gt: null, lte: null, lt: null, isMissing: null, ...o });

/** Ten segments: lists, ranges, presence and conjunctions over the bench's features. */
const SEGMENTS: SegmentCondition[][] = [
  [c({ feature: 'cat_a', in: ['red', 'green'] })],
  [c({ feature: 'num_0', gte: 100, lt: 300 })],
  [c({ feature: 'num_1', gt: 500 })],
  [c({ feature: 'cat_b', in: ['seg-1', 'seg-2', 'seg-3'] }), c({ feature: 'num_2', gte: 200 })],
  [c({ feature: 'num_3', isMissing: true })],
  [c({ feature: 'cat_a', in: ['blue'] }), c({ feature: 'num_4', lt: 250 })],
  [c({ feature: 'cat_b', in: ['seg-4', 'seg-5'] }), c({ feature: 'num_5', lt: 700 }), c({ feature: 'cat_a', in: ['amber', 'violet'] })],
  [c({ feature: 'num_6', gte: 0, lte: 100 })],
  [c({ feature: 'num_7', gte: 400, lte: 600 }), c({ feature: 'num_8', isMissing: false })],
  [c({ feature: 'cat_b', in: ['seg-0'] })],
];

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 48271) % 2147483647), s / 2147483647);
}

function features(r: () => number, i: number): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  for (let j = 0; j < NUM; j++) f[`num_${j}`] = r() < 0.02 ? null : Math.round(r() * 1e6) / 1e3;
  f.cat_a = ['red', 'green', 'blue', 'amber', 'violet'][i % 5];
  f.cat_b = `seg-${i % 13}`;
  return f;
}

async function run(n: number, segments: number): Promise<{ nsPerRow: number; slices: number; shares: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-slices-'));
  const store = openStore(join(dir, 'bench.db'));
  try {
    const deps: Deps = { store, clock: fixedClock(T0 + WEEK_MS), log: silentLogger() };
    const model = await createModel(deps, { name: 'bench', role: 'ADMIN' }, {
      name: 'bench',
      task: 'BINARY_CLASSIFICATION',
      positiveClass: 'yes',
      features: [
        ...Array.from({ length: NUM }, (_, j) => ({ name: `num_${j}`, type: 'NUMERIC' as const })),
        { name: 'cat_a', type: 'CATEGORICAL' as const, protected: true },
        { name: 'cat_b', type: 'CATEGORICAL' as const },
      ],
    });
    const r = rng(11);
    const base = Array.from({ length: 5000 }, (_, i) => {
      const text = JSON.stringify(features(r, i));
      return { index: i, features: JSON.parse(text) as Record<string, unknown>, featuresText: text, score: r(), predictedLabel: null, value: null, actualLabel: r() < 0.5 ? 'yes' : 'no', actualValue: null };
    });
    for (let s = 0; s < segments; s++)
      store.sqlite.prepare('INSERT INTO segments (model_id, name, conditions, created_at) VALUES (?, ?, ?, ?)').run(model.id, `s${s}`, JSON.stringify(SEGMENTS[s]), T0);
    await store.data.syncSlices(model);
    await store.data.replaceBaseline(model, base, { at: T0, actor: 'bench', action: 'setBaseline', target: 'bench', details: null });
    // features as ingest hands them over: parsed from the line's JSON (V8 keeps an object
    // built key by key, as features() does, in dictionary mode: every read a hash lookup)
    const rows: PredictionRow[] = Array.from({ length: n }, (_, i) => {
      const text = JSON.stringify(features(r, i));
      return { index: i, eventId: `e${i}`, ts: T0 + Math.floor(r() * WEEK_MS), features: JSON.parse(text) as Record<string, unknown>, featuresText: text, score: r(), predictedLabel: null, value: null, actualLabel: null, actualValue: null };
    });
    // what share of the events each segment takes (a segment's cost grows with it)
    const shares = SEGMENTS.slice(0, segments).map((conds) => {
      const test = compileSegment(conds);
      return rows.filter((r) => test(r.features)).length / n;
    });
    const writer = store.data.predictionWriter(model);
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i += BATCH) await writer.write(rows.slice(i, i + BATCH), T0 + WEEK_MS, i + BATCH >= n);
    const cpu = process.cpuUsage(cpu0);
    const slices = (await store.data.slices(model.id)).length;
    return { nsPerRow: ((cpu.user + cpu.system) * 1000) / n, slices, shares };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runSlicesIngestBench(opts: { events?: number; log?: (line: string) => void } = {}): Promise<{ ratio: number }> {
  const n = opts.events ?? Number(process.env.BENCH_EVENTS ?? 200_000);
  const log = opts.log ?? ((l: string) => console.log(l));
  log(`slices ingest: ${n} events (20 numeric + 2 categorical features, baseline set, shuffled over a week) through the SQLite writer, batches of ${BATCH}`);
  await run(Math.min(n, 20_000), 0); // warm up
  const none = await run(n, 0);
  const ten = await run(n, 10);
  const ratio = none.nsPerRow / ten.nsPerRow;
  log(`  no segments:  ${(none.nsPerRow / 1000).toFixed(1)} us CPU/row`);
  log(`  10 segments (${ten.slices} slices): ${(ten.nsPerRow / 1000).toFixed(1)} us CPU/row`);
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const each = ten.shares.reduce((a, b) => a + b, 0);
  log(`  the 10 segments take ${ten.shares.map(pct).join(', ')} of the events: ${each.toFixed(2)} slice events an event`);
  log(`  each segment adds ${((ten.nsPerRow - none.nsPerRow) / 10 / 1000).toFixed(1)} us CPU a row on average, ${((ten.nsPerRow - none.nsPerRow) / each / 1000).toFixed(1)} us per event it takes`);
  log(`  rate with 10 segments / rate without: ${ratio.toFixed(2)}x (goal >= 0.5x)`);
  return { ratio };
}
