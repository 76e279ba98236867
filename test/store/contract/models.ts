// The models repository: records exactly as created, lookups, ordering, patches, removal
// with everything of the model.
import { expect, it } from 'vitest';
import type { RepoHarness } from '../repos.contract.js';
import { T0, names, newModel } from './support.js';

/** The models part of the contract. */
export function modelsContract(h: RepoHarness): void {
  const m = () => h.store.models;

  it('creates a model and reads back the same record by name, by id and in the list', async () => {
    const input = newModel('churn');
    const rec = await m().create(input);
    expect(rec).toEqual({
      id: expect.any(Number),
      name: 'churn',
      task: 'BINARY_CLASSIFICATION',
      description: 'the churn model',
      positiveClass: 'yes',
      decisionThreshold: 0.7,
      features: input.features,
      createdAt: T0,
      updatedAt: T0,
      retentionDays: 30,
      currentVersionId: null,
    });
    // key order too: features are shown and exported as they were declared
    expect(JSON.stringify(rec!.features)).toBe(JSON.stringify(input.features));
    expect(await m().byName('churn')).toEqual(rec);
    expect(await m().byId(rec!.id)).toEqual(rec);
    expect(await m().list()).toEqual([rec]);
  });

  it('keeps nulls as nulls and numbers as numbers', async () => {
    const rec = await m().create(
      newModel('r', { task: 'REGRESSION', description: null, positiveClass: null, decisionThreshold: null, retentionDays: null, features: [], createdAt: 2 ** 53 - 1 }),
    );
    const back = await m().byName('r');
    expect(back).toEqual(rec);
    expect(back).toMatchObject({ description: null, positiveClass: null, decisionThreshold: null, retentionDays: null, features: [], createdAt: 2 ** 53 - 1, updatedAt: 2 ** 53 - 1 });
    const zero = await m().create(newModel('z', { decisionThreshold: 0, retentionDays: 0 }));
    expect(zero).toMatchObject({ decisionThreshold: 0, retentionDays: 0 });
  });

  it('answers null for a name or id that is not there', async () => {
    await m().create(newModel('a'));
    expect(await m().byName('A')).toBeNull();
    expect(await m().byName('a ')).toBeNull();
    expect(await m().byId(987654)).toBeNull();
  });

  it('returns null for a taken name and leaves the model as it was', async () => {
    const first = await m().create(newModel('a'));
    expect(await m().create(newModel('a', { description: 'other', createdAt: T0 + 1 }))).toBeNull();
    expect(await m().list()).toEqual([first]);
  });

  it('gives increasing numeric ids in creation order', async () => {
    const a = await m().create(newModel('b'));
    const b = await m().create(newModel('a'));
    expect(typeof a!.id).toBe('number');
    expect(b!.id).toBeGreaterThan(a!.id);
  });

  it('lists models by name in code point order (upper case before lower, accents after)', async () => {
    for (const n of ['b', 'Ä', 'a-b', 'ab', '_x', 'B', 'a', 'a b', 'é', 'Z9']) await m().create(newModel(n));
    expect(names(await m().list())).toEqual(['B', 'Z9', '_x', 'a', 'a b', 'a-b', 'ab', 'b', 'Ä', 'é']);
  });

  it('finds the models of a list of names that exist, in code point order whatever the order asked', async () => {
    for (const n of ['b', 'a', 'B', 'é', 'c']) await m().create(newModel(n));
    expect(names(await m().byNames(['é', 'c', 'nope', 'a', 'B', 'a']))).toEqual(['B', 'a', 'c', 'é']);
    expect(await m().byNames(['b'])).toEqual([await m().byName('b')]);
    expect(await m().byNames([])).toEqual([]);
    expect(await h.store.transaction(() => m().byNames(['c', 'b']))).toEqual([await m().byName('b'), await m().byName('c')]);
  });

  it('updates only the fields a patch gives, null included, and returns the model as it is', async () => {
    const rec = (await m().create(newModel('a')))!;
    const u1 = await m().update(rec.id, { description: null, updatedAt: T0 + 5 });
    expect(u1).toEqual({ ...rec, description: null, updatedAt: T0 + 5 });
    const u2 = await m().update(rec.id, { decisionThreshold: 0.25, retentionDays: null });
    expect(u2).toEqual({ ...rec, description: null, updatedAt: T0 + 5, decisionThreshold: 0.25, retentionDays: null });
    expect(await m().update(rec.id, { retentionDays: 7, decisionThreshold: undefined })).toEqual({ ...u2, retentionDays: 7 });
    expect(await m().byId(rec.id)).toEqual({ ...u2, retentionDays: 7 });
  });

  it('answers an empty patch with the model, and any patch of an unknown id with null', async () => {
    const rec = (await m().create(newModel('a')))!;
    expect(await m().update(rec.id, {})).toEqual(rec);
    expect(await m().update(rec.id + 1000, {})).toBeNull();
    expect(await m().update(rec.id + 1000, { description: 'x' })).toBeNull();
  });

  it('removes a model once: true, then false; its name is free again', async () => {
    const rec = (await m().create(newModel('a')))!;
    expect(await m().remove(rec.id)).toBe(true);
    expect(await m().remove(rec.id)).toBe(false);
    expect(await m().byId(rec.id)).toBeNull();
    expect(await m().byName('a')).toBeNull();
    const again = await m().create(newModel('a'));
    expect(again!.id).not.toBe(rec.id);
  });

  it('removes everything of the model with it, and nothing of another', async () => {
    const gone = (await m().create(newModel('gone')))!;
    const kept = (await m().create(newModel('kept')))!;
    await h.query(`INSERT INTO channels (name, kind, created_at) VALUES ('c', 'webhook', 1)`);
    for (const model of [gone, kept]) await seed(h, model.id);
    const before = await counts(h, kept.id);
    expect(Object.values(before).every((n) => n > 0)).toBe(true);
    expect(await m().remove(gone.id)).toBe(true);
    expect(Object.values(await counts(h, gone.id)).every((n) => n === 0)).toBe(true);
    expect(await counts(h, kept.id)).toEqual(before);
    expect(await h.query(`SELECT name FROM channels`)).toEqual([{ name: 'c' }]);
  });
}

/** A monitor with an evaluation and an alert (with an event and a delivery), events and the model's other rows. */
async function seed(h: RepoHarness, id: number): Promise<void> {
  const q = h.query;
  await q(`INSERT INTO monitors (model_id, name, metric, "window", window_ms, schedule, comparator, for_evaluations, min_sample_size,
           repeat_interval, repeat_interval_ms, enabled, created_at, updated_at)
           VALUES (${id}, 'mon', 'ACCURACY', '1h', 3600000, 'every 1h', 'LT', 1, 1, '1h', 3600000, true, 1, 1)`);
  const [mon] = await q(`SELECT id FROM monitors WHERE model_id = ${id}`);
  await q(`INSERT INTO evaluations (monitor_id, at, "from", "to", sample_size, severity, recorded_at) VALUES (${mon!.id}, 1, 0, 1, 5, 'OK', 1)`);
  await q(`INSERT INTO alerts (monitor_id, model_id, severity, status, message, opened_at, updated_at, last_notified_at)
           VALUES (${mon!.id}, ${id}, 'WARNING', 'OPEN', 'low', 1, 1, 1)`);
  const [alert] = await q(`SELECT id FROM alerts WHERE model_id = ${id}`);
  await q(`INSERT INTO alert_events (alert_id, at, kind) VALUES (${alert!.id}, 1, 'OPENED')`);
  const [ch] = await q(`SELECT id FROM channels WHERE name = 'c'`);
  await q(`INSERT INTO deliveries (alert_id, channel_id, type, idempotency_key, payload, status, created_at)
           VALUES (${alert!.id}, ${ch!.id}, 'ALERT', 'k${id}', '{}', 'PENDING', 1)`);
  await q(`INSERT INTO pending_actuals (model_id, event_id, actual_label, received_at) VALUES (${id}, 'late', 'yes', 1)`);
  await q(`INSERT INTO baselines (model_id, row_count, updated_at, profile) VALUES (${id}, 1, 1, '{}')`);
  await q(`INSERT INTO baseline_rows (model_id, features) VALUES (${id}, '{}')`);
  await q(`INSERT INTO purged_events (key, model_id, expires_at) VALUES (${id * 1000}, ${id}, 1)`);
  for (const [e, day] of [['e1', 0], ['e2', 1]] as const) await h.addEvent(id, e, T0 + day * 86_400_000);
}

/** How many rows of the model each table holds. */
async function counts(h: RepoHarness, id: number): Promise<Record<string, number>> {
  const n = async (sql: string) => Number((await h.query(sql))[0]!.n);
  const byModel = ['monitors', 'alerts', 'events', 'pending_actuals', 'baselines', 'baseline_rows', 'purged_events'];
  const out: Record<string, number> = {};
  for (const t of byModel) out[t] = await n(`SELECT count(*) AS n FROM ${t} WHERE model_id = ${id}`);
  const ofMonitors = `SELECT id FROM monitors WHERE model_id = ${id}`;
  const ofAlerts = `SELECT id FROM alerts WHERE model_id = ${id}`;
  // after the removal, rows whose monitor or alert is gone would be orphans: count those too
  out.evaluations = await n(`SELECT count(*) AS n FROM evaluations WHERE monitor_id IN (${ofMonitors}) OR monitor_id NOT IN (SELECT id FROM monitors)`);
  out.alert_events = await n(`SELECT count(*) AS n FROM alert_events WHERE alert_id IN (${ofAlerts}) OR alert_id NOT IN (SELECT id FROM alerts)`);
  out.deliveries = await n(`SELECT count(*) AS n FROM deliveries WHERE alert_id IN (${ofAlerts}) OR alert_id NOT IN (SELECT id FROM alerts)`);
  return out;
}
