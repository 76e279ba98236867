// The PostgreSQL data adapter's write half (src/store/postgres/data/) held to SQLite's
// results for the same calls (data-twin.ts): stored events, pending actuals and the
// statistics rows byte for byte, counts, retention; and what only PostgreSQL has: two
// replicas writing the same eventIds at once, actuals racing their predictions, whole day
// partitions dropped by retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import { deserializeStats } from '../../src/domain/metrics/stats-codec.js';
import { makeStatsContext } from '../../src/domain/metrics/context.js';
import type { ModelRecord } from '../../src/domain/model.js';
import type { NewModel } from '../../src/store/ports/models.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { loadFixture } from '../domain/metrics/load-fixture.js';
import { actual, EVENTS, HOURS, PARTIALS, PENDING, postgresSide, prediction, sqliteSide, type Side } from './data-twin.js';

const admin = await testPostgres();
const fx = loadFixture('penguins');
const T = (s: string) => Date.parse(s);
const NOW = T('2024-05-12T00:00:00Z');
const audit = (at: number, action = 'logPredictions') => ({ at, actor: 'test', action, target: 'penguins', details: { via: 'test' } });

let seq = 0;
const def = (over: Partial<NewModel> = {}): NewModel => ({
  name: `penguins-${++seq}`,
  task: fx.model.task,
  description: null,
  positiveClass: fx.model.positiveClass,
  decisionThreshold: fx.model.decisionThreshold,
  features: fx.model.features,
  retentionDays: null,
  createdAt: NOW,
  ...over,
});

const ev = fx.events;
const rowsOf = (from: number, to: number, withActual = false) => ev.slice(from, to).map((e, i) => prediction(i, e, withActual ? { label: e.actualLabel } : {}));

/**
 * One story of calls: predictions with repeats inside a batch and resends, actuals that
 * attach, replace (twice in one batch) or wait, predictions joining waiting actuals (one
 * with its own actual on the line, which wins), a second round of replacements.
 */
async function feed(s: Side): Promise<unknown[]> {
  const out: unknown[] = [];
  const first = rowsOf(0, 80);
  first.push(prediction(80, { ...ev[3]!, score: 0.01 }));
  out.push(await s.predict(first, NOW + 1));
  out.push(
    await s.actuals(
      [
        ...ev.slice(0, 40).map((e, i) => actual(i, e.eventId, e.actualLabel)),
        ...ev.slice(100, 120).map((e, i) => actual(40 + i, e.eventId, e.actualLabel)),
        actual(60, ev[5]!.eventId, 'Gentoo'),
        actual(61, ev[5]!.eventId, ev[5]!.actualLabel),
        actual(62, 'never-logged', 'Adelie'),
      ],
      NOW + 2,
    ),
  );
  const second = rowsOf(60, 150);
  second[110 - 60] = prediction(50, ev[110]!, { label: 'Chinstrap' });
  out.push(await s.predict(second, NOW + 3));
  out.push(await s.actuals(ev.slice(0, 10).map((e, i) => actual(i, e.eventId, e.actualLabel === 'Adelie' ? 'Gentoo' : 'Adelie')), NOW + 4));
  out.push(await s.predict(rowsOf(150, ev.length, true), NOW + 5));
  return out;
}

/** Every statistics count of the partials, summed (decoded under the model's context). */
async function partialCount(s: Side, model: ModelRecord): Promise<{ count: number; labeled: number }> {
  const ctx = makeStatsContext(model, null);
  let count = 0;
  let labeled = 0;
  for (const r of await s.rows(PARTIALS)) {
    const st = deserializeStats(r.data as Buffer, r.hists as Buffer | null, ctx);
    count += st.count;
    labeled += st.labeled;
  }
  return { count, labeled };
}

describe.skipIf(admin === null)('PostgreSQL data writes', () => {
  const db = useTempDatabase(admin);
  let a: PostgresStore;
  let b: PostgresStore;
  beforeAll(async () => {
    a = await openPostgres(db.url);
    b = await openPostgres(db.url, { migrate: false });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('stores, joins, replaces and counts as SQLite does: the same events, pending actuals and partial bytes', async () => {
    const lite = await sqliteSide(def(), NOW);
    const pg = await postgresSide(a, def());
    const want = await feed(lite);
    expect(await feed(pg)).toEqual(want);
    expect(want[0]).toEqual({ accepted: 80, duplicates: 1, refused: 0 });
    expect(want[2]).toEqual({ accepted: 70, duplicates: 20, refused: 0 });
    expect(await pg.rows(EVENTS)).toEqual(await lite.rows(EVENTS));
    expect(await pg.rows(PENDING)).toEqual(await lite.rows(PENDING));
    expect((await pg.rows(PENDING)).map((p) => p.event_id)).toEqual(['never-logged']);
    const partials = await pg.rows(PARTIALS);
    expect(partials.length).toBeGreaterThan(10);
    expect(partials).toEqual(await lite.rows(PARTIALS));
    const labeled = (await pg.rows(EVENTS)).filter((r) => r.actual_label !== null).length;
    expect(labeled).toBe(116);
    expect(await partialCount(pg, pg.model)).toEqual({ count: ev.length, labeled });
  });

  it('replaces the baseline and rebuilds every hour as SQLite does, in one transaction with its audit entry', async () => {
    const lite = await sqliteSide(def(), NOW);
    const pg = await postgresSide(a, def());
    await feed(lite);
    await feed(pg);
    const rows = fx.baseline.map((r, index) => ({ ...r, index, featuresText: null, attributions: null }));
    const entry = audit(NOW + 10, 'setBaseline');
    await lite.replaceBaseline(rows, entry);
    await pg.replaceBaseline(rows, entry);
    expect(await a.data.baseline(pg.model.id)).toEqual({ rowCount: rows.length, updatedAt: NOW + 10 });
    expect(await pg.rows(PARTIALS)).toEqual([]);
    const hours = await pg.rows(HOURS);
    expect(hours.length).toBeGreaterThan(20);
    expect(hours).toEqual(await lite.rows(HOURS));
    expect((await a.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'setBaseline' AND at = $1`, [NOW + 10])).rows[0].n).toBe(1);
    // the events of a window as baseline rows, in (ts, id) order
    const window = await a.data.eventsAsBaselineRows(pg.model.id, T('2024-05-07T00:00:00Z'), T('2024-05-08T00:00:00Z'));
    const lw = await lite.rows(`SELECT features, score FROM events WHERE model_id = ? AND ts >= ${T('2024-05-07T00:00:00Z')} AND ts < ${T('2024-05-08T00:00:00Z')} ORDER BY ts, id`);
    expect(window.map((r) => [r.featuresText, r.score])).toEqual(lw.map((r) => [r.features, r.score]));
    expect(window.map((r) => r.index)).toEqual(lw.map((_, i) => i));
    // a threshold change: every hour rebuilt under it, as on SQLite
    for (const [store, side] of [[lite.deps.store, lite], [a, pg]] as const) {
      await store.models.update(side.model.id, { decisionThreshold: 0.3, updatedAt: NOW + 20 });
      const changed = { ...side.model, decisionThreshold: 0.3, updatedAt: NOW + 20 };
      await store.data.rebuildStats(changed);
    }
    const rebuilt = await pg.rows(HOURS);
    expect(rebuilt).toEqual(await lite.rows(HOURS));
    expect(rebuilt.map((h) => h.data)).not.toEqual(hours.map((h) => h.data));
  });

  it('purges as SQLite does: whole days dropped, the cut day deleted in batches, late predictions and actuals refused', async () => {
    const lite = await sqliteSide(def(), NOW);
    const pg = await postgresSide(a, def());
    const early = [actual(0, 'waited-long', 'Adelie')];
    for (const s of [lite, pg]) {
      await feed(s);
      await s.actuals(early, T('2024-05-01T00:00:00Z'));
    }
    const at = T('2024-05-11T10:30:00Z');
    const partitions = async () =>
      (await a.pool.query(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'events\\_m${pg.model.id}\\_d%' ORDER BY relname`)).rows.map((r) => r.relname);
    expect((await partitions()).length).toBe(6);
    const deleted = await lite.retain(2, at);
    expect(deleted).toBeGreaterThan(50);
    expect(await pg.retain(2, at)).toBe(deleted);
    expect(await partitions()).toEqual([`events_m${pg.model.id}_d20240509`, `events_m${pg.model.id}_d20240510`, `events_m${pg.model.id}_d20240511`]);
    expect(await pg.rows(EVENTS)).toEqual(await lite.rows(EVENTS));
    expect(await pg.rows(PENDING)).toEqual(await lite.rows(PENDING));
    expect(await pg.storedSpan()).toEqual({ ...(await lite.storedSpan()), ownRetentionDays: 2 });
    expect(await a.data.purgedBefore(pg.model.id)).toBe(T('2024-05-09T10:00:00Z'));
    expect(await lite.storedSpan()).toMatchObject({ purgedBefore: T('2024-05-09T10:00:00Z') });
    const keys = async () => (await a.pool.query('SELECT count(*)::int AS n FROM event_keys WHERE model_id = $1', [pg.model.id])).rows[0].n;
    expect(await keys()).toBe(ev.length - deleted);
    expect((await a.pool.query('SELECT count(*)::int AS n FROM purged_events WHERE model_id = $1', [pg.model.id])).rows[0].n).toBe(deleted);
    // again: nothing more
    expect(await pg.retain(2, at)).toBe(0);
    expect(await lite.retain(2, at)).toBe(0);
    // five hours later, three rows a statement: the cut day's rows go batch by batch
    const later = at + 5 * 3_600_000;
    const more = await lite.retain(2, later, 3);
    expect(more).toBeGreaterThan(6);
    expect(await pg.retain(2, later, 3)).toBe(more);
    expect(await pg.rows(EVENTS)).toEqual(await lite.rows(EVENTS));
    expect(await pg.storedSpan()).toEqual({ ...(await lite.storedSpan()), ownRetentionDays: 2 });
    // late: a prediction before the cut, an actual of a deleted event, one of an unknown event
    const gone = ev.find((e) => e.ts < T('2024-05-08T00:00:00Z'))!;
    const late = [prediction(0, { ...gone, eventId: 'late', ts: T('2024-05-09T14:59:59Z') }), prediction(1, { ...gone, eventId: 'fresh', ts: T('2024-05-09T15:00:00Z') })];
    const lateActuals = [actual(0, gone.eventId, 'Adelie'), actual(1, 'unknown', 'Adelie')];
    for (const s of [lite, pg]) {
      expect(await s.predict(late, later + 1)).toEqual({ accepted: 1, duplicates: 0, refused: 1 });
      expect(await s.actuals(lateActuals, later + 2)).toEqual({ accepted: 1, purged: [gone.eventId] });
    }
    expect(await pg.rows(EVENTS)).toEqual(await lite.rows(EVENTS));
    expect(await pg.rows(PENDING)).toEqual(await lite.rows(PENDING));
    expect(await pg.rows(PARTIALS)).toEqual(await lite.rows(PARTIALS));
    // a rebuild keeps the purged hours' statistics as they are
    await lite.deps.store.data.rebuildStats(lite.model);
    await a.data.rebuildStats(pg.model);
    expect(await pg.rows(HOURS)).toEqual(await lite.rows(HOURS));
    expect(await pg.rows(PARTIALS)).toEqual(await lite.rows(PARTIALS));
    expect((await pg.rows(PARTIALS)).every((p) => (p.hour as number) < T('2024-05-09T15:00:00Z'))).toBe(true);
    // tombstones expire one retention after the purge: the late actual then waits as pending
    await a.data.expireTombstones(later + 2 * 86_400_000);
    expect((await a.pool.query('SELECT count(*)::int AS n FROM purged_events WHERE model_id = $1', [pg.model.id])).rows[0].n).toBe(0);
    expect(await pg.actuals([lateActuals[0]!], later + 3)).toEqual({ accepted: 1, purged: [] });
  });

  it('finishes a day partition an older version left detached (its events are tombstoned and counted)', async () => {
    const pg = await postgresSide(a, def());
    await pg.predict(rowsOf(0, ev.length), NOW);
    const at = T('2024-05-11T10:30:00Z');
    const cut = T('2024-05-09T10:00:00Z');
    // an older version's dead run (it detached in its own statement): the mark moved, one day detached, nothing dropped
    await a.pool.query('UPDATE models SET purged_before = $2 WHERE id = $1', [pg.model.id, cut]);
    await a.pool.query(`ALTER TABLE "events_m${pg.model.id}" DETACH PARTITION "events_m${pg.model.id}_d20240506"`);
    const day6 = ev.filter((e) => e.ts < T('2024-05-07T00:00:00Z')).length;
    expect(day6).toBeGreaterThan(5);
    const before = (await pg.storedSpan())!.rawEvents;
    expect(before).toBe(ev.length - day6);
    const deleted = await pg.retain(2, at);
    expect(deleted).toBe(ev.filter((e) => e.ts < cut).length);
    expect((await pg.storedSpan())!.rawEvents).toBe(ev.length - deleted);
    const q = async (sql: string) => (await a.pool.query(sql, [pg.model.id])).rows[0].n;
    expect(await q('SELECT count(*)::int AS n FROM purged_events WHERE model_id = $1')).toBe(deleted);
    expect(await q('SELECT count(*)::int AS n FROM event_keys WHERE model_id = $1')).toBe(ev.length - deleted);
    expect(await q(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'events\\_m' || $1 || '\\_d2024050%' AND relname < 'events_m' || $1 || '_d20240509'`)).toBe(0);
  });

  it('stores each eventId once when two replicas write overlapping batches at once, in any order', async () => {
    for (let round = 0; round < 6; round++) {
      const m = (await a.models.create(def()))!;
      const row = (i: number) => prediction(i, { eventId: `e${i}`, ts: T('2024-05-06T00:00:00Z') + i * 60_000, features: ev[i % ev.length]!.features, score: 0.5, predictedLabel: null });
      const x = Array.from({ length: 1000 }, (_, i) => row(i)).reverse();
      const y = Array.from({ length: 1000 }, (_, i) => row(i + 500));
      y.push(row(700)); // a repeat inside the batch
      const [rx, ry] = await Promise.all([a.data.predictionWriter(m).write(x, NOW, true), b.data.predictionWriter(m).write(y, NOW, true)]);
      expect(rx.accepted + ry.accepted, `round ${round}`).toBe(1500);
      expect(rx.duplicates + ry.duplicates).toBe(501);
      const n = (await a.pool.query('SELECT (SELECT count(*) FROM events WHERE model_id = $1)::int AS e, (SELECT count(*) FROM event_keys WHERE model_id = $1)::int AS k', [m.id])).rows[0];
      expect(n).toEqual({ e: 1500, k: 1500 });
      const side = { rows: async (sql: string) => (await a.pool.query(sql.replace('?', '$1'), [m.id])).rows } as Side;
      expect((await partialCount(side, m)).count).toBe(1500);
    }
  });

  it('joins every actual that races its prediction on another replica (none is left pending)', async () => {
    for (let round = 0; round < 8; round++) {
      const m = (await a.models.create(def()))!;
      const batch = ev.slice(0, 100).map((e, i) => prediction(i, e));
      const acts = ev.slice(0, 100).map((e, i) => actual(i, e.eventId, e.actualLabel ?? 'Adelie'));
      const [, ra] = await Promise.all([a.data.predictionWriter(m).write(batch, NOW, true), b.data.actualWriter(m).write(acts, NOW + 1)]);
      expect(ra).toEqual({ accepted: 100, purged: [] });
      const r = (await a.pool.query('SELECT (SELECT count(*) FROM events WHERE model_id = $1 AND actual_label IS NULL)::int AS unlabeled, (SELECT count(*) FROM pending_actuals WHERE model_id = $1)::int AS pending', [m.id])).rows[0];
      expect(r, `round ${round}`).toEqual({ unlabeled: 0, pending: 0 });
      const side = { rows: async (sql: string) => (await a.pool.query(sql.replace('?', '$1'), [m.id])).rows } as Side;
      expect(await partialCount(side, m)).toEqual({ count: 100, labeled: 100 });
    }
  });

  it('writes the audit entry with the batch, and joins the caller’s transaction (a rollback keeps nothing)', async () => {
    const pg = await postgresSide(a, def());
    const auditCount = async (at: number) => (await a.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE at = $1', [at])).rows[0].n;
    await expect(
      a.transaction(async () => {
        await a.data.predictionWriter(pg.model).write(rowsOf(0, 10), NOW, true, () => audit(NOW + 77));
        await a.data.actualWriter(pg.model).write([actual(0, 'pending-one', 'Adelie')], NOW);
        throw new Error('the caller failed');
      }),
    ).rejects.toThrow('the caller failed');
    expect(await pg.rows(EVENTS)).toEqual([]);
    expect(await pg.rows(PENDING)).toEqual([]);
    expect(await auditCount(NOW + 77)).toBe(0);
    expect(await pg.predict(rowsOf(0, 10), NOW, audit(NOW + 78))).toEqual({ accepted: 10, duplicates: 0, refused: 0 });
    expect(await auditCount(NOW + 78)).toBe(1);
  });
});
