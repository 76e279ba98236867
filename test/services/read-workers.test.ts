// Metric reads on worker threads (src/store/sqlite/data/read-pool.ts) against a real server on a
// real file: the same answers as in process, every committed ingest seen by the next read,
// a new baseline seen at once, compaction never seen half done, and a worker killed while
// it holds a query failing that query cleanly while the next one works.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteOf } from '../helpers/test-store.js';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time.js';
import { answerRead } from '../../src/services/answer-reads.js';
import type { MetricRead } from '../../src/domain/metrics/reads.js';
import type { ReadPool } from '../../src/store/sqlite/data/read-pool.js';
import { findModel } from '../../src/services/models.js';
import type { ModelRecord } from '../../src/domain/model.js';
import { run as compact } from '../../src/jobs/compact-stats.js';
import { compactHours, hoursWithPartials } from '../../src/store/sqlite/data/stats-compact.js';
import { createRetentionModel, events, everything, ingest } from '../retention/support.js';
import { sqliteStatsRows } from '../../src/store/sqlite/data/stats-rows.js';

const NOW = T0 + 4 * DAY_MS;
let s: TestServer;
let pool: ReadPool;
let model: ModelRecord;

/** Every kind of read over a few windows: whole days, hours, edges off the hour. */
function reads(m: ModelRecord): MetricRead[] {
  const windows: Array<[number, number]> = [
    [T0, T0 + 3 * DAY_MS],
    [T0 + 5 * HOUR_MS + 17 * MINUTE_MS, T0 + 2 * DAY_MS + 3 * MINUTE_MS],
    [T0 + 30 * HOUR_MS, T0 + 31 * HOUR_MS],
  ];
  return windows.flatMap(([from, to]): MetricRead[] => [
    { kind: 'drift', model: m, from, to },
    { kind: 'outputDrift', model: m, from, to },
    { kind: 'integrity', model: m, from, to },
    { kind: 'performance', model: m, from, to },
    { kind: 'traffic', model: m, from, to },
    { kind: 'fairness', model: m, attribute: 'c', from, to },
    { kind: 'metric', model: m, metric: 'KS_STATISTIC', feature: 'x', from, to },
    { kind: 'metric', model: m, metric: 'AUC', from, to },
    { kind: 'series', model: m, metric: 'PSI', feature: 'x', granularity: 'HOUR', from, to },
    { kind: 'series', model: m, metric: 'PREDICTION_COUNT', granularity: 'DAY', from, to },
    { kind: 'health', model: m, from: to - DAY_MS, to },
  ]);
}

const inProcess = (r: MetricRead) => answerRead(sqliteStatsRows(sqliteOf(s.deps.store).sqlite), r);

beforeAll(async () => {
  s = await startTestServer({ now: NOW, env: { GLASSBOX_READ_WORKERS: '2', GLASSBOX_COMPACT_INTERVAL_MS: '0' } });
  pool = s.deps.reads as ReadPool;
  await createRetentionModel(s, 'w');
  await ingest(s, 'w', 'baseline', events('b', T0 - 7 * DAY_MS, 24, 20));
  // the first two days compacted into hours and a day roll-up, the third left as partials
  await ingest(s, 'w', 'predictions', events('e', T0, 48, 12));
  await compact(s.deps, NOW);
  await ingest(s, 'w', 'predictions', events('f', T0 + 2 * DAY_MS, 24, 12));
  model = (await findModel(s.deps, 'w'))!;
});
afterAll(async () => {
  await s?.stop(true);
});

describe('read workers', () => {
  it('are what the server uses on a file, and answer every read as the main thread does', async () => {
    expect(pool.threads).toBeTypeOf('function');
    for (const r of reads(model)) expect(await pool.read(r), `${r.kind} ${r.from}`).toEqual(inProcess(r));
    expect(pool.threads().length).toBeGreaterThan(0);
  });

  it.runIf(process.platform === 'linux')('run at a lower priority than the main thread (nice 10 on Linux)', async () => {
    await Promise.all([pool.read(reads(model)[0]!), pool.read(reads(model)[0]!)]);
    const nice = (task: string) => {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const niced = readdirSync('/proc/self/task').filter((t) => nice(t) === 10);
    expect(niced.length).toBe(pool.threads().length);
    expect(nice(String(process.pid))).toBe(0);
  });

  it('see an ingest in the very next read, batch after batch', async () => {
    const r: MetricRead = { kind: 'performance', model, from: T0, to: T0 + 10 * DAY_MS };
    let count = (await pool.read(r)).count;
    for (let i = 0; i < 12; i++) {
      const batch = events(`n${i}`, T0 + 3 * DAY_MS + i * HOUR_MS, 1, 5);
      expect(await ingest(s, 'w', 'predictions', batch)).toMatchObject({ accepted: 5 });
      count += 5;
      const got = (await everything(s, 'w', T0, T0 + 10 * DAY_MS)).performance;
      expect(got.count).toBe(count);
      expect(await pool.read(r)).toEqual(inProcess(r));
    }
  });

  it('see a new baseline at once, even one set at the same instant with as many rows', async () => {
    const r: MetricRead = { kind: 'drift', model, from: T0, to: T0 + 3 * DAY_MS };
    const before = await pool.read(r);
    // the clock is fixed: the baseline's time and row count stay the same, only its values change
    await ingest(s, 'w', 'baseline', events('b2', T0 - 7 * DAY_MS, 24, 20).map((e, i) => ({ ...e, features: { x: i % 7, c: 'a' } })));
    const after = await pool.read(r);
    expect(after).toEqual(inProcess(r));
    expect(after[0]!.psi).not.toBe(before[0]!.psi);
  });

  it('never see compaction half done: reads while it commits hour after hour equal the reads before', async () => {
    // many partials an hour (three interleaved batches), then hours compacted one a transaction
    for (const part of [0, 1, 2]) {
      const batch = events(`g${part}`, T0 + 5 * DAY_MS, 72, 9).filter((_, i) => i % 3 === part);
      expect(await ingest(s, 'w', 'predictions', batch)).toMatchObject({ accepted: 72 * 3 });
    }
    const r: MetricRead = { kind: 'traffic', model, from: T0, to: T0 + 10 * DAY_MS };
    // both workers up; a read first writes out the model's head (the batches' partials)
    await Promise.all([pool.read(r), pool.read(r)]);
    const expected = inProcess(r);
    const hours = hoursWithPartials(sqliteOf(s.deps.store).sqlite).filter(([id]) => id === model.id).map(([, , h]) => h);
    expect(hours.length).toBeGreaterThan(70);
    // each hour's commit waits for the next answers, so commits and reads interleave
    let wake = () => {};
    const nextAnswers = () => new Promise<void>((resolve) => (wake = resolve));
    let done = false;
    const compaction = (async () => {
      for (const h of hours) {
        const answered = nextAnswers();
        compactHours(sqliteOf(s.deps.store).sqlite, model, 0, [h]);
        await answered;
      }
      done = true;
    })();
    const answers: unknown[] = [];
    while (!done) {
      answers.push(...(await Promise.all([pool.read(r), pool.read(r)])));
      wake();
    }
    await compaction;
    expect(hoursWithPartials(sqliteOf(s.deps.store).sqlite)).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(2 * hours.length);
    for (const a of answers) expect(a).toEqual(expected);
  });

  it('fail the query of a worker killed while it holds it, with a clean error, and answer the next', async () => {
    const r: MetricRead = { kind: 'series', model, metric: 'PSI', feature: 'x', granularity: 'HOUR', from: T0, to: T0 + 6 * DAY_MS };
    // A worker may answer (from its cache) before terminate() lands: each attempt must end
    // in the right answer or the clean error, and some attempt must see the kill mid-query.
    const expected = inProcess(r);
    let killed = 0;
    for (let attempt = 0; attempt < 20 && killed === 0; attempt++) {
      await Promise.all([pool.read(r), pool.read(r)]); // the workers up
      const outcome = pool.read(r).then(
        (value) => ({ value }),
        (error: Error) => ({ error }),
      );
      const victims = pool.threads();
      await Promise.all(victims.map((t) => t.terminate()));
      const o = await outcome;
      if ('error' in o) {
        expect(o.error.message).toMatch(/read worker exited/);
        killed++;
      } else expect(o.value).toEqual(expected);
      for (const t of victims) expect(pool.threads()).not.toContain(t);
    }
    expect(killed).toBe(1);
    expect(await pool.read(r)).toEqual(expected);

    // over GraphQL: the error is the contract's internal error, and the server goes on
    const read = pool.read.bind(pool);
    pool.read = (q) => {
      const p = read(q);
      for (const t of pool.threads()) void t.terminate();
      return p;
    };
    try {
      const q = `{ model(name: "w") { series(metric: PSI, feature: "x", granularity: HOUR, from: "${new Date(T0).toISOString()}", to: "${new Date(T0 + 6 * DAY_MS).toISOString()}") { value } } }`;
      let answer = await s.gql(q);
      for (let attempt = 0; attempt < 20 && !answer.errors; attempt++) answer = await s.gql(q); // answered before the kill
      expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(answer.errors?.[0]?.message).toBe('internal error (see the server log)');
    } finally {
      pool.read = read;
    }
    expect((await everything(s, 'w', T0, NOW)).traffic).toMatchObject({ predictionCount: expect.any(Number) });
  });

  it('end with the server', async () => {
    const threads = pool.threads();
    expect(threads.length).toBeGreaterThan(0);
    const exited = threads.map((t) => new Promise((resolve) => t.once('exit', resolve)));
    await s.stop();
    await Promise.all(exited);
    await expect(pool.read({ kind: 'traffic', model, from: T0, to: NOW })).rejects.toThrow(/closed/);
  });
});
