// Three schedulers on one PostgreSQL database (three stores, three pools, in one process):
// every tick of every monitor is measured and evaluated once, whichever replicas fire it;
// a tick whose claimer died is taken over once the claim's lease ends, not before.
import { describe, expect, it, vi } from 'vitest';
import { createModel } from '../../src/services/models.js';
import { createMonitor, listEvaluations } from '../../src/services/monitors.js';
import type { ComputeMetric } from '../../src/services/evaluation.js';
import { catchUp, createEvaluationQueue, EVALUATION_LEASE_MS, run as evaluateDue, runTick, tickScope } from '../../src/jobs/evaluate-monitors.js';
import { startJobs } from '../../src/jobs/start.js';
import { testPostgres } from '../helpers/postgres.js';
import { useReplicas, type Replica } from './support.js';

const admin = await testPostgres();
const T0 = Date.parse('2026-11-02T00:00:00Z');
const MIN = 60_000;
const ADMIN = { name: 'ann', role: 'ADMIN' as const };

/** A metric that counts who measured which (monitor window end = tick). */
function countingMetric() {
  const calls: Array<{ instance: string; to: number }> = [];
  const compute: ComputeMetric = async (deps, _model, q) => {
    calls.push({ instance: deps.instance!, to: q.to });
    return { value: 5, sampleSize: 100 };
  };
  return { compute, calls };
}

async function setup(r: Replica, monitors: number): Promise<number[]> {
  await createModel(r, ADMIN, { name: 'm', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] });
  const ids: number[] = [];
  for (let i = 0; i < monitors; i++) {
    const m = await createMonitor(r, ADMIN, { model: 'm', name: `volume-${i}`, metric: 'PREDICTION_COUNT', window: '1h', schedule: '*/5 * * * *', comparator: 'GT', warningThreshold: 1 });
    ids.push(m.id);
  }
  return ids;
}

const count = async (r: Replica, sql: string) => Number((await r.store.pool.query(sql)).rows[0].n);

describe.skipIf(admin === null)('three schedulers on one PostgreSQL database', () => {
  const rs = useReplicas(admin, 3, T0);

  it('evaluate each tick of each monitor once, whichever replica claims it', async () => {
    const ids = await setup(rs[0]!, 4);
    const metric = countingMetric();
    const ticks = Array.from({ length: 6 }, (_, i) => T0 + (i + 1) * 5 * MIN);
    let evaluated = 0;
    for (const at of ticks) {
      for (const r of rs) r.clock.set(at);
      // every replica's cron fires the tick at once
      const n = await Promise.all(rs.map((r) => evaluateDue(r, at, { computeMetric: metric.compute })));
      evaluated += n.reduce((a, b) => a + b, 0);
    }
    expect(evaluated).toBe(ids.length * ticks.length);
    expect(metric.calls).toHaveLength(ids.length * ticks.length);
    expect(new Set(metric.calls.map((c) => c.to)).size).toBe(ticks.length);
    for (const id of ids) expect((await listEvaluations(rs[0]!, id)).map((e) => e.at).sort()).toEqual(ticks);
    expect(await count(rs[0]!, 'SELECT count(*) AS n FROM claims WHERE done_at IS NOT NULL')).toBe(ids.length * ticks.length);
    // firing an evaluated tick again does nothing anywhere
    expect(await Promise.all(rs.map((r) => evaluateDue(r, ticks[0]!, { computeMetric: metric.compute })))).toEqual([0, 0, 0]);
    expect(metric.calls).toHaveLength(ids.length * ticks.length);
  });

  it('catch up at once after a restart of all three: each missed tick once', async () => {
    const ids = await setup(rs[0]!, 5);
    const metric = countingMetric();
    const now = T0 + 62 * MIN; // latest tick 01:00
    for (const r of rs) r.clock.set(now);
    const ran = await Promise.all(rs.map((r) => catchUp(r, now, { computeMetric: metric.compute })));
    expect(ran.flat().sort((a, b) => a - b)).toEqual(ids);
    expect(metric.calls.map((c) => c.to)).toEqual(ids.map(() => T0 + 60 * MIN));
  });

  it('a tick whose claimer died is evaluated by another once the lease is over, not before', async () => {
    const [id] = await setup(rs[0]!, 1);
    const metric = countingMetric();
    const at = T0 + 5 * MIN;
    for (const r of rs) r.clock.set(at);
    // r1 claims the tick and dies before evaluating (kill -9): nobody cleans up
    expect(await rs[0]!.store.claims.claim(tickScope(id!), at, 'r1', at, EVALUATION_LEASE_MS)).toEqual({ claimed: true });
    expect(await runTick(rs[1]!, id!, at, { computeMetric: metric.compute })).toEqual({ heldUntil: at + EVALUATION_LEASE_MS });
    rs[1]!.clock.set(at + EVALUATION_LEASE_MS - 1);
    expect(await runTick(rs[1]!, id!, at, { computeMetric: metric.compute })).toEqual({ heldUntil: at + EVALUATION_LEASE_MS });
    expect(metric.calls).toEqual([]);
    rs[1]!.clock.set(at + EVALUATION_LEASE_MS);
    rs[2]!.clock.set(at + EVALUATION_LEASE_MS);
    const outcomes = await Promise.all([runTick(rs[1]!, id!, at, { computeMetric: metric.compute }), runTick(rs[2]!, id!, at, { computeMetric: metric.compute })]);
    // one takes it over; the other finds it done, or held by the new holder (until its own lease ends)
    expect(outcomes.filter((o) => o === 'evaluated')).toHaveLength(1);
    expect([['done'], [{ heldUntil: at + 2 * EVALUATION_LEASE_MS }]]).toContainEqual(outcomes.filter((o) => o !== 'evaluated'));
    expect(metric.calls).toHaveLength(1);
    expect((await listEvaluations(rs[0]!, id!)).map((e) => e.at)).toEqual([at]);
  });

  it('the scheduler looks again at a held tick when its lease ends, and takes it over', async () => {
    const [id] = await setup(rs[0]!, 1);
    const metric = countingMetric();
    const at = T0 + 5 * MIN;
    await rs[0]!.store.claims.claim(tickScope(id!), at, 'r1', at, EVALUATION_LEASE_MS);
    // r2 fires the tick a second before r1's lease ends: it looks again a second after it ends
    rs[1]!.clock.set(at + EVALUATION_LEASE_MS - 1000);
    const queue = createEvaluationQueue(rs[1]!, { computeMetric: metric.compute });
    try {
      await queue.enqueue(id!, at);
      expect(metric.calls).toEqual([]);
      rs[1]!.clock.set(at + EVALUATION_LEASE_MS + 1000);
      await vi.waitFor(() => expect(metric.calls).toEqual([{ instance: 'r2', to: at }]), { timeout: 10_000, interval: 50 });
      await vi.waitFor(async () => expect(await rs[0]!.store.claims.claim(tickScope(id!), at, 'r3', at + 10 * EVALUATION_LEASE_MS, 1)).toMatchObject({ done: true, heldBy: 'r2' }));
    } finally {
      queue.stop();
    }
  });

  it('a replica restarted under its name releases its own tick claims and catches up at once; another leaves them to the lease', async () => {
    const [id] = await setup(rs[0]!, 1);
    const metric = countingMetric();
    const tick = T0 + 5 * MIN;
    // r1 claimed the tick and was killed
    await rs[0]!.store.claims.claim(tickScope(id!), tick, 'r1', tick, EVALUATION_LEASE_MS);
    for (const r of rs) r.clock.set(tick + 10_000); // within r1's lease
    const opts = { scheduler: true, notifiers: {}, computeMetric: metric.compute, deliveryIntervalMs: 3_600_000 };
    const r2 = startJobs(rs[1]!, opts);
    try {
      expect(await r2.caughtUp).toEqual([]);
    } finally {
      await r2.stop();
    }
    const r1 = startJobs(rs[0]!, opts);
    try {
      expect(await r1.caughtUp).toEqual([id]);
    } finally {
      await r1.stop();
    }
    expect(metric.calls).toEqual([{ instance: 'r1', to: tick }]);
  });
});
