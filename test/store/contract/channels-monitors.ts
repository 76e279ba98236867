// Channels (names by code point, config as written, links), monitors (every field, orderings,
// streak, cascades), evaluations (one per monitor and tick, newest first), and a channel's
// deletion beside a monitor linking it on another replica.
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import { gate, newModel, newMonitor, T0 } from './support.js';

const hook = (url: string) => ({ webhookUrl: url, webhookSecret: 's3cret' });

/** The channels, monitors and evaluations part of the contract. */
export function channelsMonitorsContract(h: RepoHarness): void {
  const setup = async () => {
    const model = (await h.store.models.create(newModel('fraud')))!;
    const other = (await h.store.models.create(newModel('churn')))!;
    return { model, other };
  };

  it('creates channels and finds them by id and name; lists them by code point', async () => {
    const made = [];
    for (const n of ['b', 'B', 'a', '_x']) made.push(await h.store.channels.create({ name: n, kind: 'WEBHOOK', config: hook(`https://h/${n}`) }, T0));
    expect(made[0]).toEqual({ id: expect.any(Number), name: 'b', kind: 'WEBHOOK', config: { webhookUrl: 'https://h/b', webhookSecret: 's3cret' }, createdAt: T0 });
    expect((await h.store.channels.list()).map((c) => c.name)).toEqual(['B', '_x', 'a', 'b']);
    expect(await h.store.channels.get(made[1]!.id)).toEqual(made[1]);
    expect(await h.store.channels.byName('a')).toEqual(made[2]);
    expect(await h.store.channels.byName('A')).toBeNull();
    expect(await h.store.channels.get(made[0]!.id + 1000)).toBeNull();
    await h.store.channels.update(made[0]!.id, { name: 'c', kind: 'SLACK', config: { slackChannel: '#ops' } });
    expect(await h.store.channels.get(made[0]!.id)).toEqual({ ...made[0], name: 'c', kind: 'SLACK', config: { slackChannel: '#ops' } });
    await expect(h.store.channels.create({ name: 'a', kind: 'SLACK', config: {} }, T0)).rejects.toThrow(/UNIQUE/);
    expect(await h.store.channels.idsByName(['a', 'nope', 'a', 'B'])).toEqual(new Map([['a', made[2]!.id], ['B', made[1]!.id]]));
    expect(await h.store.channels.idsByName([])).toEqual(new Map());
  });

  it('creates monitors with every field as given, and lists them by model id then name', async () => {
    const { model, other } = await setup();
    const m = await h.store.monitors.create(newMonitor(model.id, 'psi-age'));
    const { createdAt, modelId: _, ...spec } = newMonitor(model.id, 'psi-age');
    expect(m).toEqual({ ...spec, id: expect.any(Number), modelId: model.id, createdAt, updatedAt: createdAt });
    const bare = await h.store.monitors.create(
      newMonitor(other.id, 'B', { feature: null, attribute: 'segment', warningThreshold: null, criticalThreshold: -0.5, enabled: false, windowMs: 2 ** 40, createdAt: T0 + 1 }),
    );
    const b2 = await h.store.monitors.create(newMonitor(model.id, 'a'));
    const b3 = await h.store.monitors.create(newMonitor(model.id, 'B'));
    expect(await h.store.monitors.get(bare.id)).toEqual(bare);
    expect(bare).toMatchObject({ feature: null, attribute: 'segment', warningThreshold: null, criticalThreshold: -0.5, enabled: false, windowMs: 2 ** 40 });
    expect(await h.store.monitors.get(bare.id + 1000)).toBeNull();
    expect(await h.store.monitors.list()).toEqual([b3, b2, m, bare]);
    expect(await h.store.monitors.list({ modelId: other.id })).toEqual([bare]);
    expect(await h.store.monitors.list({ modelName: 'fraud' })).toEqual([b3, b2, m]);
    expect(await h.store.monitors.list({ modelName: 'nope' })).toEqual([]);
    expect(await h.store.monitors.idByName(model.id, 'a')).toBe(b2.id);
    expect(await h.store.monitors.idByName(other.id, 'a')).toBeNull();
    await expect(h.store.monitors.create(newMonitor(model.id, 'a'))).rejects.toThrow(/UNIQUE/);
  });

  it('updates a monitor’s definition and streak; null for a monitor that is gone', async () => {
    const { model } = await setup();
    const m = await h.store.monitors.create(newMonitor(model.id, 'm'));
    expect(await h.store.monitors.withStreak(m.id)).toEqual({ monitor: m, streak: 0 });
    await h.store.monitors.setStreak(m.id, 3);
    const auto = { lookback: '28d', lookbackMs: 28 * 86_400_000, warningSigmas: null, criticalSigmas: 2.5, seasonality: 'WEEKLY' as const };
    const { modelId: _, createdAt: __, ...spec } = newMonitor(model.id, 'renamed', { warningThreshold: null, criticalThreshold: null, autoThreshold: auto, enabled: false, metric: 'accuracy', comparator: 'LT' });
    const updated = await h.store.monitors.update(m.id, spec, T0 + 9);
    expect(updated).toEqual({ ...spec, id: m.id, modelId: model.id, createdAt: T0, updatedAt: T0 + 9 });
    expect(await h.store.monitors.get(m.id)).toEqual(updated);
    const fixedAgain = await h.store.monitors.update(m.id, { ...spec, autoThreshold: null, criticalThreshold: 0.7 }, T0 + 10);
    expect(fixedAgain).toMatchObject({ autoThreshold: null, criticalThreshold: 0.7 });
    expect(await h.store.monitors.withStreak(m.id)).toEqual({ monitor: fixedAgain, streak: 3 });
    expect(await h.store.monitors.update(m.id + 1000, spec, T0)).toBeNull();
    expect(await h.store.monitors.withStreak(m.id + 1000)).toBeNull();
  });

  it('links monitors to channels: by name, by id, their users and uses, listed with names', async () => {
    const { model, other } = await setup();
    const cx = await h.store.channels.create({ name: 'x', kind: 'SLACK', config: { slackChannel: '#x' } }, T0);
    const cy = await h.store.channels.create({ name: 'Y', kind: 'WEBHOOK', config: hook('https://y') }, T0);
    const cz = await h.store.channels.create({ name: 'z', kind: 'SLACK', config: { slackChannel: '#z' } }, T0);
    const m1 = await h.store.monitors.create(newMonitor(model.id, 'm1'));
    const m2 = await h.store.monitors.create(newMonitor(other.id, 'm2'));
    await h.store.monitors.setChannels(m1.id, [cz.id, cx.id]);
    await h.store.monitors.setChannels(m1.id, [cz.id, cy.id, cx.id]);
    await h.store.monitors.setChannels(m2.id, [cx.id]);
    expect(await h.store.channels.ofMonitor(m1.id)).toEqual([cy, cx, cz]);
    expect(await h.store.channels.idsOfMonitor(m1.id)).toEqual([cx.id, cy.id, cz.id]);
    const users = await h.store.channels.usersOf(cx.id);
    expect(users.sort((a, b) => a.id - b.id)).toEqual([{ id: m1.id, name: 'm1' }, { id: m2.id, name: 'm2' }]);
    const uses = (await h.store.channels.uses()).map((u) => `${u.channel}/${u.model}`).sort();
    expect(uses).toEqual(['Y/fraud', 'x/churn', 'x/fraud', 'z/fraud']);
    const linked = await h.store.monitors.listLinked();
    expect(linked).toEqual([
      { record: m2, model: 'churn', channels: ['x'] },
      { record: m1, model: 'fraud', channels: ['Y', 'x', 'z'] },
    ]);
    await h.store.monitors.setChannels(m1.id, []);
    expect(await h.store.channels.ofMonitor(m1.id)).toEqual([]);
    await h.store.channels.delete(cx.id);
    expect(await h.store.channels.idsOfMonitor(m2.id)).toEqual([]);
    expect(await h.store.channels.get(cx.id)).toBeNull();
  });

  it('records one evaluation per monitor and tick, lists them newest first, and deletes them with the monitor', async () => {
    const { model } = await setup();
    const m = await h.store.monitors.create(newMonitor(model.id, 'm'));
    const ev = (at: number, value: number | null) => ({
      monitorId: m.id,
      at,
      from: at - 86_400_000,
      to: at,
      value,
      sampleSize: 500,
      severity: 'OK' as const,
      // the thresholds used, as given (a learned warning may sit anywhere; null: none at that level)
      warningThreshold: value === null ? null : value + 0.125,
      criticalThreshold: at === T0 + 3 ? null : 1e-300,
    });
    expect(await h.store.evaluations.record(ev(T0 + 2, 0.5), T0)).toEqual(ev(T0 + 2, 0.5));
    expect(await h.store.evaluations.record({ ...ev(T0 + 2, 0.9), severity: 'CRITICAL' }, T0)).toBeNull();
    expect(await h.store.evaluations.record(ev(T0 + 1, null), T0)).toEqual(ev(T0 + 1, null));
    expect(await h.store.evaluations.record(ev(T0 + 3, -1.25), T0)).toEqual(ev(T0 + 3, -1.25));
    expect(await h.store.evaluations.find(m.id, T0 + 2)).toEqual(ev(T0 + 2, 0.5));
    expect(await h.store.evaluations.find(m.id, T0 + 4)).toBeNull();
    expect(await h.store.evaluations.list(m.id, 10)).toEqual([ev(T0 + 3, -1.25), ev(T0 + 2, 0.5), ev(T0 + 1, null)]);
    expect(await h.store.evaluations.list(m.id, 1)).toEqual([ev(T0 + 3, -1.25)]);
    expect(await h.store.monitors.delete(m.id)).toBe(true);
    expect(await h.store.monitors.delete(m.id)).toBe(false);
    expect(await h.store.evaluations.list(m.id, 10)).toEqual([]);
    expect(await h.store.monitors.get(m.id)).toBeNull();
  });

  it('serialises deleting a channel with another replica linking a monitor to it: the deletion sees the link', async () => {
    const { model } = await setup();
    const c = await h.store.channels.create({ name: 'x', kind: 'SLACK', config: { slackChannel: '#x' } }, T0);
    const m = await h.store.monitors.create(newMonitor(model.id, 'm'));
    const linked = gate();
    const end = gate();
    // what createMonitor and deleteChannel do in their transactions
    const link = h.store.transaction(async () => {
      const ids = await h.store.channels.idsByName(['x']);
      await h.store.monitors.setChannels(m.id, [...ids.values()]);
      linked.open();
      await end.wait;
    });
    await linked.wait;
    const remove = h.replica.transaction(async () => {
      const row = (await h.replica.channels.byName('x'))!;
      if ((await h.replica.channels.usersOf(row.id)).length) return false;
      await h.replica.channels.delete(row.id);
      return true;
    });
    await h.lockWaited(); // PostgreSQL: the lookup waits for the linking transaction
    end.open();
    await link;
    expect(await remove).toBe(false);
    expect(await h.store.channels.idsOfMonitor(m.id)).toEqual([c.id]);
  });

  it('serialises linking a monitor to a channel with another replica deleting it: the linker no longer finds it', async () => {
    const { model } = await setup();
    const c = await h.store.channels.create({ name: 'x', kind: 'SLACK', config: { slackChannel: '#x' } }, T0);
    const m = await h.store.monitors.create(newMonitor(model.id, 'm'));
    const deleted = gate();
    const end = gate();
    const remove = h.store.transaction(async () => {
      const row = (await h.store.channels.byName('x'))!;
      expect(await h.store.channels.usersOf(row.id)).toEqual([]);
      await h.store.channels.delete(row.id);
      deleted.open();
      await end.wait;
    });
    await deleted.wait;
    const link = h.replica.transaction(async () => {
      const ids = await h.replica.channels.idsByName(['x']);
      await h.replica.monitors.setChannels(m.id, [...ids.values()]);
      return ids;
    });
    await h.lockWaited(); // PostgreSQL: the lookup waits for the deleting transaction
    end.open();
    await remove;
    expect(await link).toEqual(new Map());
    expect(await h.store.channels.get(c.id)).toBeNull();
    expect(await h.store.channels.idsOfMonitor(m.id)).toEqual([]);
  });
}
