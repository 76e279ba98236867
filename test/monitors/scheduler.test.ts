// The cron side: one task per enabled monitor, kept in step with the table, catch-up after
// downtime runs once, and two hundred monitors sharing a minute all run in it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createModel } from '../../src/services/models.js';
import { createMonitor, deleteMonitor, listEvaluations, updateMonitor } from '../../src/services/monitors.js';
import { evaluateMonitor } from '../../src/services/evaluation.js';
import { catchUp, run as evaluateDue } from '../../src/jobs/evaluate-monitors.js';
import { startJobs, type Jobs } from '../../src/jobs/start.js';
import { ADMIN, HOUR, MIN, T0, dispose, freshDeps, scriptedMetric, type TestDeps } from './helpers.js';

let d: TestDeps;
let jobs: Jobs | null = null;
const metric = scriptedMetric({ value: 0.01, sampleSize: 50 });
const opts = { computeMetric: metric.compute };
const monitor = (name: string, schedule = '0 * * * *', extra: Record<string, unknown> = {}) =>
  createMonitor(d, ADMIN, { model: 'm', name, metric: 'PREDICTION_COUNT', window: '1h', schedule, comparator: 'LT', criticalThreshold: 10, ...extra });
/** Every monitor's evaluations, through the port. */
const evaluations = async () => (await Promise.all((await d.store.monitors.list()).map((m) => d.store.evaluations.list(m.id, 1000)))).flat();
const evaluationCount = async () => (await evaluations()).length;
const distinctAts = async () => [...new Set((await evaluations()).map((e) => e.at))];

beforeEach(async () => {
  d = await freshDeps(T0);
  await createModel(d, ADMIN, { name: 'm', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] });
});
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
  vi.useRealTimers();
  await dispose(d);
});

describe('catch-up after downtime', () => {
  it('runs a monitor whose ticks were missed once, at the latest missed tick', async () => {
    const m = await monitor('hourly');
    await evaluateMonitor(d, m.id, T0 + HOUR, opts);
    // Down from 01:00 to 05:30: ticks 02:00..05:00 were missed.
    expect(await catchUp(d, T0 + 5 * HOUR + 30 * MIN, opts)).toEqual([m.id]);
    expect((await listEvaluations(d, m.id)).map((e) => e.at)).toEqual([T0 + 5 * HOUR, T0 + HOUR]);
    expect(await catchUp(d, T0 + 5 * HOUR + 40 * MIN, opts)).toEqual([]);
    expect(await evaluationCount()).toBe(2);
  });

  it('leaves alone monitors that are up to date, disabled, or created after the latest tick', async () => {
    d.clock.set(T0 + 10 * MIN);
    const fresh = await monitor('fresh'); // created 00:10; latest tick 00:00 predates it
    const off = await monitor('off', '0 * * * *', { enabled: false });
    expect(await catchUp(d, T0 + 30 * MIN, opts)).toEqual([]);
    const upToDate = await monitor('daily', '0 0 * * *');
    await evaluateMonitor(d, upToDate.id, T0 + 24 * HOUR, opts);
    expect(await catchUp(d, T0 + 25 * HOUR, opts)).toEqual([fresh.id]);
    expect(await listEvaluations(d, off.id)).toEqual([]);
  });
});

describe('evaluating due monitors', () => {
  it('200 monitors on one model all evaluate at their shared minute', async () => {
    for (let i = 0; i < 200; i++) await monitor(`traffic-${i}`, '* * * * *');
    const at = T0 + 7 * MIN;
    expect(await evaluateDue(d, at, opts)).toBe(200);
    expect(await evaluationCount()).toBe(200);
    expect(await distinctAts()).toEqual([at]);
  });

  it('only monitors whose schedule fires at that time', async () => {
    await monitor('hourly', '0 * * * *');
    await monitor('quarter', '*/15 * * * *');
    expect(await evaluateDue(d, T0 + 15 * MIN, opts)).toBe(1);
    expect(await evaluateDue(d, T0 + HOUR, opts)).toBe(2);
  });
});

describe('the live scheduler (node-cron under fake timers)', () => {
  it('runs 200 monitors sharing a minute within that minute, each once', { timeout: 90_000 }, async () => {
    vi.useFakeTimers({ now: T0 + 30_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    d.clock.set(T0 + 30_000); // created after the 00:00 tick: nothing to catch up
    for (let i = 0; i < 200; i++) await monitor(`traffic-${i}`, '* * * * *');
    jobs = startJobs(d, { scheduler: true, notifiers: {}, computeMetric: metric.compute, deliveryIntervalMs: 3_600_000 });
    expect(await jobs.caughtUp).toEqual([]);
    await vi.waitFor(() => expect(jobs!.scheduler!.tasks().size).toBe(200));
    await vi.advanceTimersByTimeAsync(31_000);
    // "within that minute" is the clock's minute (faked); the wall-clock wait only has to
    // outlast 200 evaluations on a busy machine (PostgreSQL: ~4 round trips each with claims)
    await vi.waitFor(async () => expect(await evaluationCount()).toBe(200), { timeout: 60_000, interval: 20 });
    expect(await distinctAts()).toEqual([T0 + MIN]);
  });

  it('follows the table: a changed schedule is replaced, a disabled or deleted monitor stops', async () => {
    const a = await monitor('a');
    const b = await monitor('b');
    jobs = startJobs(d, { scheduler: true, notifiers: {}, computeMetric: metric.compute, deliveryIntervalMs: 3_600_000 });
    await vi.waitFor(() => expect([...jobs!.scheduler!.tasks().keys()].sort()).toEqual([a.id, b.id]));
    const before = jobs.scheduler!.tasks().get(a.id)!;
    await updateMonitor(d, ADMIN, a.id, { schedule: '*/5 * * * *' });
    await updateMonitor(d, ADMIN, b.id, { enabled: false });
    jobs.sync();
    await vi.waitFor(() => expect([...jobs!.scheduler!.tasks().keys()]).toEqual([a.id]));
    expect(jobs.scheduler!.tasks().get(a.id)!.getPattern()).toBe('*/5 * * * *');
    expect(jobs.scheduler!.tasks().get(a.id)).not.toBe(before);
    await deleteMonitor(d, ADMIN, a.id);
    jobs.sync();
    await vi.waitFor(() => expect(jobs!.scheduler!.tasks().size).toBe(0));
  });

  it('a monitor created, changed or deleted through its service reaches the tasks with no one telling them', async () => {
    jobs = startJobs(d, { scheduler: true, notifiers: {}, computeMetric: metric.compute, deliveryIntervalMs: 3_600_000 });
    await vi.waitFor(() => expect(jobs!.scheduler!.tasks().size).toBe(0));
    const a = await monitor('a');
    await vi.waitFor(() => expect([...jobs!.scheduler!.tasks().keys()]).toEqual([a.id]));
    await updateMonitor(d, ADMIN, a.id, { schedule: '*/5 * * * *' });
    await vi.waitFor(() => expect(jobs!.scheduler!.tasks().get(a.id)?.getPattern()).toBe('*/5 * * * *'));
    await deleteMonitor(d, ADMIN, a.id);
    await vi.waitFor(() => expect(jobs!.scheduler!.tasks().size).toBe(0));
  });

  it('GLASSBOX_SCHEDULER=off: no tasks and no catch-up, deliveries still drain', async () => {
    const m = await monitor('hourly');
    await evaluateMonitor(d, m.id, T0 - HOUR, opts);
    d.clock.set(T0 + 5 * HOUR);
    jobs = startJobs(d, { scheduler: false, notifiers: {}, computeMetric: metric.compute, deliveryIntervalMs: 3_600_000 });
    expect(jobs.scheduler).toBeNull();
    expect(await jobs.caughtUp).toEqual([]);
    expect(await jobs.deliverNow()).toMatchObject({ delivered: 0, failed: 0 });
    expect(await evaluationCount()).toBe(1);
  });
});
