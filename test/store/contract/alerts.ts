// Alerts (the stored form with its monitor's and model's names, changes, filters, newest
// first), their history, ended snoozes, and transitions of one monitor serialised across
// replicas by lockMonitor.
import { expect, it } from 'vitest';
import type { NewAlert } from '../../../src/store/ports/alerts.js';
import type { RepoHarness } from '../repos.contract.js';
import { gate, newModel, newMonitor, T0 } from './support.js';

/** The alerts part of the contract. */
export function alertsContract(h: RepoHarness): void {
  const setup = async () => {
    const model = (await h.store.models.create(newModel('fraud')))!;
    const other = (await h.store.models.create(newModel('churn')))!;
    const m = await h.store.monitors.create(newMonitor(model.id, 'psi-age', { attribute: 'segment' }));
    const n = await h.store.monitors.create(newMonitor(other.id, 'drift', { feature: null }));
    return { model, other, m, n };
  };
  const alert = (monitorId: number, modelId: number, at: number, over: Partial<NewAlert> = {}): NewAlert => ({
    monitorId,
    modelId,
    severity: 'WARNING',
    status: 'FIRING',
    value: 0.15,
    threshold: 0.1,
    sampleSize: 640,
    message: 'psi is 0.15',
    openedAt: at,
    updatedAt: at,
    lastNotifiedAt: at,
    ...over,
  });

  it('opens an alert and reads it with its monitor’s and model’s names; changes what is given, nulls included', async () => {
    const { model, m } = await setup();
    const id = await h.store.alerts.open(alert(m.id, model.id, T0, { value: null, sampleSize: null }));
    const stored = {
      id,
      monitorId: m.id,
      modelId: model.id,
      model: 'fraud',
      monitorName: 'psi-age',
      metric: 'psi',
      feature: 'age',
      attribute: 'segment',
      window: '24h',
      severity: 'WARNING',
      status: 'FIRING',
      value: null,
      threshold: 0.1,
      sampleSize: null,
      message: 'psi is 0.15',
      openedAt: T0,
      updatedAt: T0,
      resolvedAt: null,
      acknowledgedBy: null,
      snoozedUntil: null,
      lastNotifiedAt: T0,
    };
    expect(await h.store.alerts.get(id)).toEqual(stored);
    expect(await h.store.alerts.openOf(m.id)).toEqual(stored);
    await h.store.alerts.change(id, { status: 'SNOOZED', snoozedUntil: T0 + 60_000, acknowledgedBy: 'ann', value: 0.3, updatedAt: T0 + 5 });
    const snoozed = { ...stored, status: 'SNOOZED', snoozedUntil: T0 + 60_000, acknowledgedBy: 'ann', value: 0.3, updatedAt: T0 + 5 };
    expect(await h.store.alerts.get(id)).toEqual(snoozed);
    await h.store.alerts.change(id, {});
    expect(await h.store.alerts.snoozesEnded(T0 + 59_999)).toEqual([]);
    expect(await h.store.alerts.snoozesEnded(T0 + 60_000)).toEqual([id]);
    await h.store.alerts.change(id, { status: 'RESOLVED', resolvedAt: T0 + 7, snoozedUntil: null, acknowledgedBy: null, severity: 'CRITICAL', lastNotifiedAt: T0 + 7 });
    expect(await h.store.alerts.get(id)).toEqual({ ...snoozed, status: 'RESOLVED', resolvedAt: T0 + 7, snoozedUntil: null, acknowledgedBy: null, severity: 'CRITICAL', lastNotifiedAt: T0 + 7 });
    expect(await h.store.alerts.openOf(m.id)).toBeNull();
    expect(await h.store.alerts.get(id + 1000)).toBeNull();
  });

  it('lists alerts newest opened first (then highest id), filtered, without lastNotifiedAt', async () => {
    const { model, other, m, n } = await setup();
    const a1 = await h.store.alerts.open(alert(m.id, model.id, T0, { status: 'RESOLVED' }));
    const a2 = await h.store.alerts.open(alert(n.id, other.id, T0 + 2, { status: 'RESOLVED' }));
    const a3 = await h.store.alerts.open(alert(m.id, model.id, T0 + 2));
    const a4 = await h.store.alerts.open(alert(n.id, other.id, T0 + 1, { status: 'ACKNOWLEDGED' }));
    const ids = async (...args: Parameters<typeof h.store.alerts.list>) => (await h.store.alerts.list(...args)).map((a) => a.id);
    expect(await ids({}, 10)).toEqual([a3, a2, a4, a1]);
    expect(await ids({}, 2)).toEqual([a3, a2]);
    expect(await ids({ model: 'fraud' }, 10)).toEqual([a3, a1]);
    expect(await ids({ modelId: other.id }, 10)).toEqual([a2, a4]);
    expect(await ids({ monitorId: m.id, status: ['FIRING', 'ACKNOWLEDGED'] }, 10)).toEqual([a3]);
    expect(await ids({ status: ['RESOLVED'] }, 10)).toEqual([a2, a1]);
    expect(await ids({ status: [] }, 10)).toEqual([a3, a2, a4, a1]);
    expect(await ids({ model: 'nope' }, 10)).toEqual([]);
    const [first] = await h.store.alerts.list({ monitorId: m.id }, 1);
    const { lastNotifiedAt: _, ...shown } = (await h.store.alerts.get(a3))!;
    expect(first).toEqual(shown);
  });

  it('keeps each alert’s history oldest first, with increasing event ids; deleting the monitor deletes them', async () => {
    const { model, m } = await setup();
    const a = await h.store.alerts.open(alert(m.id, model.id, T0));
    const b = await h.store.alerts.open(alert(m.id, model.id, T0, { status: 'RESOLVED' }));
    const e1 = await h.store.alerts.addEvent(a, { at: T0 + 5, kind: 'opened', actor: null, note: null });
    await h.store.alerts.addEvent(b, { at: T0, kind: 'resolved', actor: 'bob', note: null });
    const e2 = await h.store.alerts.addEvent(a, { at: T0 + 1, kind: 'acknowledged', actor: 'ann', note: 'on it' });
    expect(e2).toBeGreaterThan(e1);
    expect(await h.store.alerts.events(a)).toEqual([
      { at: T0 + 5, kind: 'opened', actor: null, note: null },
      { at: T0 + 1, kind: 'acknowledged', actor: 'ann', note: 'on it' },
    ]);
    expect(await h.store.monitors.delete(m.id)).toBe(true);
    expect(await h.store.alerts.get(a)).toBeNull();
    expect(await h.store.alerts.events(a)).toEqual([]);
  });

  it('serialises two replicas’ transitions of one monitor: the second decides on what the first wrote', async () => {
    const { model, m } = await setup();
    const decided = gate();
    const end = gate();
    const seen: Array<number | null> = [];
    const transition = (store: typeof h.store, hold: boolean) =>
      store.transaction(async () => {
        await store.alerts.lockMonitor(m.id);
        const state = (await store.monitors.withStreak(m.id))!;
        const open = await store.alerts.openOf(m.id);
        seen.push(open?.id ?? null);
        if (hold) {
          decided.open();
          await end.wait;
        }
        if (open) await store.alerts.change(open.id, { severity: 'CRITICAL', updatedAt: T0 + 1 });
        else await store.alerts.open(alert(m.id, model.id, T0));
        await store.monitors.setStreak(m.id, state.streak + 1);
      });
    const first = transition(h.store, true);
    await decided.wait;
    const second = transition(h.replica, false);
    await h.lockWaited(); // PostgreSQL: the second waits for the monitor's lock
    end.open();
    await Promise.all([first, second]);
    const [opened] = await h.store.alerts.list({ monitorId: m.id }, 10);
    expect(seen).toEqual([null, opened!.id]);
    expect(await h.store.alerts.list({ monitorId: m.id }, 10)).toEqual([expect.objectContaining({ severity: 'CRITICAL', status: 'FIRING' })]);
    expect((await h.store.monitors.withStreak(m.id))!.streak).toBe(2);
  });
}
