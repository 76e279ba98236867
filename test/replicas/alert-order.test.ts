// Three replicas evaluating one monitor's ticks at once, with an operator acknowledging on
// one of them: the transitions serialise per monitor (alerts.lockMonitor first in every
// path), so the breach streak counts every evaluation, one alert opens once and is
// notified once, and the acknowledgement is kept by the evaluations after it.
import { describe, expect, it } from 'vitest';
import { createChannel } from '../../src/services/channels.js';
import { createModel } from '../../src/services/models.js';
import { createMonitor } from '../../src/services/monitors.js';
import { evaluateMonitor } from '../../src/services/evaluation.js';
import { acknowledgeAlert, listAlertEvents, listAlerts } from '../../src/services/alerts.js';
import { countDeliveries } from '../../src/services/outbox.js';
import { testPostgres } from '../helpers/postgres.js';
import { useReplicas, type Replica } from './support.js';

const admin = await testPostgres();
const T0 = Date.parse('2026-11-02T00:00:00Z');
const MIN = 60_000;
const ADMIN = { name: 'ann', role: 'ADMIN' as const };
const breach = { computeMetric: async () => ({ value: 5, sampleSize: 100 }) };

describe.skipIf(admin === null)('one monitor evaluated by three replicas at once', () => {
  const rs = useReplicas(admin, 3, T0);

  it('moves its alert through its states one transition at a time', async () => {
    const [r1, r2, r3] = rs as [Replica, Replica, Replica];
    await createModel(r1, ADMIN, { name: 'm', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] });
    await createChannel(r1, ADMIN, { name: 'hook', kind: 'WEBHOOK', webhookUrl: 'https://example.com/hook' });
    const m = await createMonitor(r1, ADMIN, { model: 'm', name: 'v', metric: 'PREDICTION_COUNT', window: '1h', schedule: '* * * * *', comparator: 'GT', warningThreshold: 1, forEvaluations: 2, repeatInterval: '1d', channels: ['hook'] });
    const ticks = Array.from({ length: 12 }, (_, i) => T0 + (i + 1) * MIN);
    // every replica evaluates every tick, at once (each tick is recorded once)
    await Promise.all(rs.map((r, k) => Promise.all(ticks.map((_, i) => evaluateMonitor(r, m.id, ticks[(i + 4 * k) % ticks.length]!, breach)))));
    const [alert] = await listAlerts(r2, { monitorId: m.id });
    expect(await listAlerts(r3, { monitorId: m.id })).toHaveLength(1);
    expect(alert).toMatchObject({ status: 'FIRING', severity: 'WARNING' });
    expect((await listAlertEvents(r1, alert!.id)).map((e) => e.kind)).toEqual(['opened']);
    expect((await r1.store.monitors.withStreak(m.id))!.streak).toBe(ticks.length);
    expect(await countDeliveries(r1)).toEqual({ PENDING: 1, DELIVERED: 0, FAILED: 0 });

    // acknowledged on r3 while r1 and r2 evaluate the next ticks
    const next = [T0 + 13 * MIN, T0 + 14 * MIN, T0 + 15 * MIN];
    await Promise.all([acknowledgeAlert(r3, ADMIN, alert!.id), ...next.map((at, i) => evaluateMonitor(rs[i % 2]!, m.id, at, breach))]);
    const kinds = (await listAlertEvents(r1, alert!.id)).map((e) => e.kind);
    expect(kinds).toEqual(['opened', 'acknowledged']);
    expect((await listAlerts(r1, { monitorId: m.id }))[0]).toMatchObject({ status: 'ACKNOWLEDGED' });
    expect((await r1.store.monitors.withStreak(m.id))!.streak).toBe(ticks.length + next.length);
  });
});
