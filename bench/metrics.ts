// Metrics over 7 days of traffic at 10k, 100k and 1M events (20 numeric + 2 categorical
// features, a 50k-row baseline, labels on 80%): drift, integrity, performance and
// series(DAY), read from the hourly statistics kept at ingest. Prints each query's time
// (cold: median of 3 runs with the row and day caches dropped, the parsed baseline profile
// kept; warm: median of 3 runs with the merged days cached), the ratio 1M / 10k (goal <= 2:
// cost flat in stored rows) and the ratio to a plain in-process computation over the
// same values held in Float64Arrays (sort + scan: the floor of a dataframe library).
// BENCH_METRICS_SIZES=10000,100000 runs fewer sizes. Then: drift over two years against
// drift over the last 7 days of the same 1M events (BENCH_LONG_EVENTS) spread over two
// years, after compaction built the day, month and year roll-ups (goal: <= 2x).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../src/db/client.js';
import { fixedClock } from '../src/clock.js';
import { silentLogger } from '../src/log.js';
import type { ModelRecord } from '../src/domain/model.js';
import { chi2Contingency, jsDistance, psi } from '../src/domain/metrics/binned-drift.js';
import { ksStatisticExact, wassersteinExact } from '../src/domain/metrics/exact.js';
import { ksTwoSamplePValue } from '../src/domain/metrics/kolmogorov.js';
import { npStd } from '../src/domain/metrics/numpy-sum.js';
import { binCounts, decileEdges } from '../src/domain/metrics/quantile.js';
import { deserializeStats, serializeStats } from '../src/domain/metrics/stats-codec.js';
import { createModel } from '../src/services/models.js';
import type { Deps } from '../src/services/deps.js';
import { drift, integrity, performance as performanceOf, series } from '../src/services/metrics.js';
import { applyEventsToStats, rebuildStats, setBaselineProfile, type BaselineRow, type StoredEvent } from '../src/store/sqlite/data/stats.js';
import { dropStatsCaches, statsContext } from '../src/store/sqlite/data/stats-store.js';
import { windowStats } from '../src/services/stats-read.js';
import { run as compact } from '../src/jobs/compact-stats.js';
import { DAY_MS, HOUR_MS } from '../src/domain/time.js';
import { sqliteStatsRows } from '../src/store/sqlite/data/stats-rows.js';

const T0 = Date.parse('2024-05-01T00:00:00Z');
const DAY = DAY_MS;
const WEEK = 7 * DAY;
const NUM = 20;
const BASELINE = 50_000;
const CATS = [['red', 'green', 'blue', 'amber', 'violet'], Array.from({ length: 13 }, (_, i) => `seg-${i}`)] as const;

export interface MetricsBenchOptions {
  sizes?: number[];
  log?: (line: string) => void;
}

interface Columns {
  num: Float64Array[];
  cat: string[][];
  score: Float64Array;
  /** 1 positive, 0 negative, -1 unlabelled */
  label: Int8Array;
  ts: Float64Array;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(n: number, seed: number, shift: number, week: boolean): Columns {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
  const c: Columns = {
    num: Array.from({ length: NUM }, () => new Float64Array(n)),
    cat: [new Array<string>(n), new Array<string>(n)],
    score: new Float64Array(n),
    label: new Int8Array(n),
    ts: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < NUM; j++) {
      // rounded to 3 decimals, as real sensors and most exports are
      c.num[j]![i] = r() < 0.01 ? NaN : Math.round((10 * j + (1 + j / 10) * normal() + shift * (j % 3)) * 1000) / 1000;
    }
    c.cat[0]![i] = CATS[0][Math.floor(r() * (r() < shift ? 2 : 5))]!;
    c.cat[1]![i] = CATS[1][Math.floor(r() * 13)]!;
    const z = (c.num[0]![i]! || 0) / 2 - (c.num[1]![i]! || 10) / 20 + normal();
    c.score[i] = 1 / (1 + Math.exp(-z));
    c.label[i] = r() < 0.8 ? (r() < c.score[i]! ? 1 : 0) : -1;
    c.ts[i] = week ? T0 + Math.floor((i / n) * WEEK) : 0;
  }
  return c;
}

function featuresOf(c: Columns, i: number): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  for (let j = 0; j < NUM; j++) {
    const v = c.num[j]![i]!;
    f[`num_${j}`] = v === v ? v : null;
  }
  f.cat_a = c.cat[0]![i];
  f.cat_b = c.cat[1]![i];
  return f;
}

const label = (c: Columns, i: number) => (c.label[i] === -1 ? null : c.label[i] === 1 ? 'yes' : 'no');

async function setup(store: Store, n: number, base: Columns, win: Columns, compactNow = true): Promise<{ deps: Deps; model: ModelRecord; loadMs: number; statsMs: number }> {
  const deps: Deps = { store, clock: fixedClock(T0 + WEEK), log: silentLogger() };
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
  const { sqlite } = store;
  const rows: BaselineRow[] = Array.from({ length: BASELINE }, (_, i) => ({
    features: featuresOf(base, i),
    score: base.score[i]!,
    predictedLabel: null,
    value: null,
    actualLabel: label(base, i),
    actualValue: null,
  }));
  sqlite.transaction(() => {
    const profile = setBaselineProfile(sqlite, model, rows);
    sqlite.prepare('INSERT INTO baselines (model_id, row_count, updated_at, profile) VALUES (?, ?, ?, ?)').run(model.id, rows.length, T0, JSON.stringify(profile));
    rebuildStats(sqlite, model);
  })();
  const ins = sqlite.prepare(
    'INSERT INTO events (model_id, event_id, ts, features, score, actual_label) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let statsMs = 0;
  const t0 = performance.now();
  for (let b = 0; b < n; b += 1000) {
    sqlite.transaction(() => {
      const stored: StoredEvent[] = [];
      for (let i = b; i < Math.min(n, b + 1000); i++) {
        const features = featuresOf(win, i);
        const id = Number(ins.run(model.id, `e${i}`, win.ts[i]!, JSON.stringify(features), win.score[i]!, label(win, i)).lastInsertRowid);
        stored.push({ id, ts: win.ts[i]!, features, score: win.score[i]!, predictedLabel: null, value: null, actualLabel: label(win, i), actualValue: null });
      }
      const s0 = performance.now();
      applyEventsToStats(sqlite, model, stored);
      statsMs += performance.now() - s0;
    })();
  }
  const loadMs = performance.now() - t0;
  // as the server's compaction loop would have done by then: partials folded into hours, days rolled up
  if (compactNow) await compact(deps, win.ts.reduce((m, t) => Math.max(m, t), 0) + 2 * DAY);
  return { deps, model, loadMs, statsMs };
}

/** Drift of every column the plain way: sort each window column, bin, scan. */
function plainDrift(base: Columns, win: Columns, from: number, to: number): number {
  let acc = 0;
  const sel = (a: Float64Array) => {
    const out: number[] = [];
    for (let i = 0; i < a.length; i++) if (win.ts[i]! >= from && win.ts[i]! < to && a[i] === a[i]) out.push(a[i]!);
    return Float64Array.from(out).sort();
  };
  for (let j = 0; j < NUM; j++) {
    const b = base.num[j]!.filter((x) => x === x).sort();
    const w = sel(win.num[j]!);
    const edges = decileEdges(b);
    const p = binCounts(edges, w);
    const q = binCounts(edges, b);
    const d = ksStatisticExact(w, b);
    acc += psi(p, q)! + jsDistance(p, q)! + d + ksTwoSamplePValue(d, w.length, b.length) + wassersteinExact(w, b) / npStd(b);
  }
  for (let k = 0; k < 2; k++) {
    const cats = [...CATS[k]!];
    const count = (xs: string[], keep: (i: number) => boolean) => cats.map((c) => xs.filter((x, i) => keep(i) && x === c).length);
    const q = count(base.cat[k]!, () => true);
    const p = count(win.cat[k]!, (i) => win.ts[i]! >= from && win.ts[i]! < to);
    acc += psi(p, q)! + jsDistance(p, q)! + chi2Contingency(q, p)!.pValue;
  }
  return acc;
}

function plainIntegrity(base: Columns, win: Columns): number {
  let acc = 0;
  for (let j = 0; j < NUM; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of base.num[j]!) if (x === x) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
    let miss = 0;
    let out = 0;
    for (const x of win.num[j]!) if (x !== x) miss++;
    else if (x < lo || x > hi) out++;
    acc += miss + out;
  }
  for (let k = 0; k < 2; k++) {
    const seen = new Set(base.cat[k]);
    acc += win.cat[k]!.filter((c) => !seen.has(c)).length;
  }
  return acc;
}

function plainPerformance(win: Columns): number {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let ll = 0;
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < win.score.length; i++) {
    const y = win.label[i]!;
    if (y < 0) continue;
    const s = win.score[i]!;
    const yhat = s >= 0.5;
    if (y === 1) (yhat ? tp++ : fn++), pos.push(s);
    else (yhat ? fp++ : tn++), neg.push(s);
    ll -= y ? Math.log(s) : Math.log(1 - s);
  }
  const p = Float64Array.from(pos).sort();
  const q = Float64Array.from(neg).sort();
  let wins = 0;
  let j = 0;
  for (const s of p) {
    while (j < q.length && q[j]! < s) j++;
    wins += j;
  }
  return tp + fp + tn + fn + ll + wins / (p.length * q.length);
}

async function time(f: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the benchmark and prints its table; returns the measured milliseconds per size. */
export async function runMetricsBench(opts: MetricsBenchOptions = {}): Promise<Record<number, Record<string, number>>> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const sizes = opts.sizes ?? (process.env.BENCH_METRICS_SIZES ?? '10000,100000,1000000').split(',').map(Number);
  const base = generate(BASELINE, 1, 0, false);
  const results: Record<number, Record<string, number>> = {};
  const queries = ['drift', 'integrity', 'performance', 'series(DAY)'] as const;
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-metrics-'));
    const store = openStore(join(dir, 'bench.db'));
    try {
      const win = generate(n, 2 + n, 0.3, true);
      const { deps, model, loadMs, statsMs } = await setup(store, n, base, win);
      const from = T0;
      const to = T0 + WEEK;
      const run: Record<(typeof queries)[number], () => Promise<unknown>> = {
        drift: () => drift(deps, model, from, to),
        integrity: () => integrity(deps, model, from, to),
        performance: () => performanceOf(deps, model, from, to),
        'series(DAY)': () => series(deps, model, { metric: 'PSI', feature: 'num_0', from, to, granularity: 'DAY' }),
      };
      const r: Record<string, number> = { loadEventsPerSec: n / (loadMs / 1000), statsUsPerEvent: (statsMs * 1000) / n };
      // the context (the parsed baseline profile) lives as long as the baseline: kept; only rows and days are dropped
      const t0 = performance.now();
      dropStatsCaches(store.sqlite, { keepContexts: false });
      statsContext(store.sqlite, model);
      r['profile load ms'] = performance.now() - t0;
      for (const q of queries) {
        const cold: number[] = [];
        for (let k = 0; k < 3; k++) {
          dropStatsCaches(store.sqlite, { keepContexts: true });
          cold.push(await time(run[q]));
        }
        r[`${q} cold`] = median(cold);
        const reps = Number(process.env.BENCH_METRICS_REPEAT ?? 3);
        r[`${q} warm`] = median(await Promise.all(Array.from({ length: reps }, () => 0)).then(async () => { const t: number[] = []; for (let k = 0; k < reps; k++) t.push(await time(run[q])); return t; }));
      }
      r['plain drift'] = await time(() => plainDrift(base, win, from, to));
      r['plain integrity'] = await time(() => plainIntegrity(base, win));
      r['plain performance'] = await time(() => plainPerformance(win));
      r['plain series(DAY)'] = await time(() => {
        for (let d = 0; d < 7; d++) plainDrift(base, win, from + d * DAY, from + (d + 1) * DAY);
      });
      // the stored form of one busy hour: binary (what we store) against JSON text
      const ctx = statsContext(store.sqlite, model);
      const hour = windowStats(sqliteStatsRows(store.sqlite), model, T0 + DAY, T0 + DAY + HOUR_MS).stats;
      const parts = serializeStats(hour);
      const bin = Buffer.concat([parts.core, parts.hists ?? new Uint8Array(0)]);
      const json = JSON.stringify(hour, (_k, v) => (v instanceof Map ? Array.from(v) : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
      r['hour row KB binary'] = bin.length / 1024;
      r['hour row KB json'] = json.length / 1024;
      r['hour decode ms binary'] = median(Array.from({ length: 5 }, () => { const t = performance.now(); deserializeStats(parts.core, parts.hists, ctx); return performance.now() - t; }));
      r['hour decode ms json'] = median(Array.from({ length: 5 }, () => { const t = performance.now(); JSON.parse(json); return performance.now() - t; }));
      results[n] = r;
      log(`metrics bench: ${n.toLocaleString('en-US')} events loaded in ${(loadMs / 1000).toFixed(1)} s (${Math.round(r.loadEventsPerSec!).toLocaleString('en-US')} events/s with raw inserts; statistics ${r.statsUsPerEvent!.toFixed(1)} µs/event)`);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const fmt = (x: number | undefined) => (x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(0));
  log('');
  const short = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
  const [lo, hi] = [sizes[0]!, sizes[sizes.length - 1]!];
  log(`| query (7 days) | ${sizes.map((n) => `${short(n)} cold / warm ms`).join(' | ')} | ${short(hi)}/${short(lo)} cold / warm | vs plain at ${short(hi)}: cold / warm |`);
  log(`|---|${sizes.map(() => '---').join('|')}|---|---|`);
  const small = results[lo]!;
  const large = results[hi]!;
  for (const q of queries) {
    const cells = sizes.map((n) => `${fmt(results[n]![`${q} cold`])} / ${fmt(results[n]![`${q} warm`])}`);
    const ratio = (k: string) => (large[`${q} ${k}`]! / small[`${q} ${k}`]!).toFixed(2);
    const plain = (k: string) => (large[`${q} ${k}`]! / large[`plain ${q}`]!).toFixed(3);
    log(`| ${q} | ${cells.join(' | ')} | ${ratio('cold')} / ${ratio('warm')} | ${plain('cold')} / ${plain('warm')} (plain ${fmt(large[`plain ${q}`])} ms) |`);
  }
  log('');
  log(`| one busy hour, stored | ${sizes.map((n) => n.toLocaleString('en-US')).join(' | ')} |`);
  log(`|---|${sizes.map(() => '---').join('|')}|`);
  log(`| baseline profile parse (once per baseline) ms | ${sizes.map((n) => fmt(results[n]!['profile load ms'])).join(' | ')} |`);
  for (const k of ['hour row KB binary', 'hour row KB json', 'hour decode ms binary', 'hour decode ms json'])
    log(`| ${k} | ${sizes.map((n) => fmt(results[n]![k])).join(' | ')} |`);
  return results;
}

/** Drift over two years against drift over its last 7 days, 1M events, roll-ups built. */
export async function runLongWindowBench(opts: MetricsBenchOptions & { events?: number } = {}): Promise<{ weekMs: number; twoYearsMs: number }> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const n = opts.events ?? Number(process.env.BENCH_LONG_EVENTS ?? 1_000_000);
  const start = Date.UTC(2022, 4, 1);
  const span = 730 * DAY;
  const base = generate(BASELINE, 1, 0, false);
  const win = generate(n, 7, 0.3, false);
  for (let i = 0; i < n; i++) win.ts[i] = start + Math.floor((i / n) * span);
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-long-'));
  const store = openStore(join(dir, 'bench.db'));
  try {
    const { deps, model, loadMs } = await setup(store, n, base, win, false);
    const c0 = performance.now();
    const report = await compact(deps, start + span + DAY);
    const compactMs = performance.now() - c0;
    const end = start + span;
    const timed = async (from: number, to: number) => {
      const cold: number[] = [];
      const warm: number[] = [];
      for (let k = 0; k < 3; k++) {
        dropStatsCaches(store.sqlite, { keepContexts: true });
        cold.push(await time(() => drift(deps, model, from, to)));
        warm.push(await time(() => drift(deps, model, from, to)));
      }
      return { cold: median(cold), warm: median(warm) };
    };
    const week = await timed(end - WEEK, end);
    const years = await timed(start, end);
    const rows = (t: string) => store.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    log('');
    log(`long windows: ${n.toLocaleString('en-US')} events over two years, loaded in ${(loadMs / 1000).toFixed(1)} s; compaction ${(compactMs / 1000).toFixed(1)} s (${report.partials} partials -> ${rows('stats_hourly')} hours, ${report.rollups} roll-ups)`);
    log('| drift | cold ms | warm ms |');
    log('|---|---|---|');
    log(`| last 7 days | ${week.cold.toFixed(0)} | ${week.warm.toFixed(0)} |`);
    log(`| two years | ${years.cold.toFixed(0)} | ${years.warm.toFixed(0)} |`);
    log(`| two years / 7 days | ${(years.cold / week.cold).toFixed(2)} | ${(years.warm / week.warm).toFixed(2)} | (goal <= 2)`);
    log(`roll-up rows by level (1 day .. 5 year): ${JSON.stringify(store.sqlite.prepare('SELECT level, count(*) FROM stats_rollup GROUP BY level').raw().all())}`);
    return { weekMs: week.cold, twoYearsMs: years.cold };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
