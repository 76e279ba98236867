// The data port's write half (src/store/ports/data.ts), one contract for every adapter:
// what ingest stores and counts, how actuals attach, wait and replace, what retention
// deletes and refuses afterwards, baselines. Only through the port (MaybePromise answers
// awaited), so both stores run the very same cases; byte-level agreement of the statistics
// is test/store/postgres-data.test.ts's.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/domain/audit.js';
import type { ActualRow, PredictionRow } from '../../../src/domain/ingest/validate.js';
import type { ModelRecord } from '../../../src/domain/model.js';
import type { DataRepo } from '../../../src/store/ports/data.js';
import type { ModelsRepo } from '../../../src/store/ports/models.js';
import type { AuditRepo } from '../../../src/store/ports/audit.js';
import { newModel, T0 } from './support.js';

export interface DataHarness {
  store: { models: ModelsRepo; audit: AuditRepo; data: DataRepo };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const p = (index: number, eventId: string, ts: number, over: Partial<PredictionRow> = {}): PredictionRow => ({
  index,
  eventId,
  ts,
  features: { age: 30 + index, country: index % 2 ? 'fr' : 'de' },
  featuresText: null,
  score: 0.1 + (index % 9) / 10,
  predictedLabel: null,
  value: null,
  actualLabel: null,
  actualValue: null,
  ...over,
});
const act = (index: number, eventId: string, label: string): ActualRow => ({ index, eventId, actualLabel: label, actualValue: null });
const entry = (at: number, action: string): AuditRecord => ({ at, actor: 'contract', action, target: 'm', details: { n: 1 } });

export function dataWritesContract(h: DataHarness): void {
  let model: ModelRecord;
  beforeEach(async () => {
    model = (await h.store.models.create(newModel(`data-${Math.random().toString(36).slice(2, 8)}`, { retentionDays: null })))!;
  });
  /** labels of the model's events in [from, to), in (ts, id) order */
  const labels = async (from = T0 - 10 * DAY, to = T0 + 10 * DAY) => (await h.store.data.eventsAsBaselineRows(model.id, from, to)).map((r) => r.actualLabel);

  it('stores each eventId once: a repeat in a batch and a resend are duplicates (the first wins), the audit entry commits with the batch', async () => {
    const w = h.store.data.predictionWriter(model);
    const first = await w.write([p(0, 'a', T0), p(1, 'b', T0 + HOUR), p(2, 'a', T0 + 2 * HOUR, { score: 0.99 })], T0, false);
    expect(first).toMatchObject({ accepted: 2, duplicates: 1, beforePurge: [], purgedBefore: null });
    const second = await w.write([p(3, 'c', T0 + DAY), p(4, 'b', T0)], T0, true, (r) => ({ ...entry(T0 + 5, 'logPredictions'), details: { accepted: r.accepted } }));
    expect(second).toMatchObject({ accepted: 1, duplicates: 1 });
    const rows = await h.store.data.eventsAsBaselineRows(model.id, T0 - DAY, T0 + 2 * DAY);
    expect(rows.map((r) => r.score)).toEqual([0.1, 0.2, 0.4]);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(await h.store.data.storedSpan(model.id)).toEqual({ rawEvents: 3, oldestRawEvent: T0, newestEvent: T0 + DAY, purgedBefore: null, ownRetentionDays: null });
    expect((await h.store.audit.list(5)).filter((e) => e.at === T0 + 5)).toEqual([{ ...entry(T0 + 5, 'logPredictions'), details: { accepted: 1 } }]);
  });

  it('attaches actuals, replaces them (the last of a batch wins), parks unknown ones until their prediction comes', async () => {
    await h.store.data.predictionWriter(model).write([p(0, 'a', T0), p(1, 'b', T0 + 1)], T0, true);
    const aw = h.store.data.actualWriter(model);
    expect(await aw.write([act(0, 'a', 'no'), act(1, 'a', 'yes'), act(2, 'early', 'yes'), act(3, 'early2', 'no')], T0 + 2)).toEqual({ accepted: 4, purged: [] });
    expect(await labels()).toEqual(['yes', null]);
    // the parked actuals join; one on the prediction line is the later and wins
    await h.store.data.predictionWriter(model).write([p(2, 'early', T0 + 3), p(3, 'early2', T0 + 4, { actualLabel: 'yes' })], T0 + 5, true);
    expect(await labels()).toEqual(['yes', null, 'yes', 'yes']);
    await aw.write([act(0, 'early', 'no')], T0 + 6);
    expect(await labels()).toEqual(['yes', null, 'no', 'yes']);
  });

  it('purges before the cut, refuses late predictions and actuals of deleted events after, and drops parked actuals older than the cut', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => p(i, `e${i}`, T0 + i * 4 * HOUR));
    await h.store.data.predictionWriter(model).write(rows, T0, true);
    await h.store.data.actualWriter(model).write([act(0, 'waited', 'yes')], T0);
    const cut = T0 + 2 * DAY + 6 * HOUR; // e0..e13 go (ts < cut)
    const now = T0 + 10 * DAY;
    expect(await h.store.data.purge(model, cut, now, now + 30 * DAY)).toBe(14);
    expect(await h.store.data.purge(model, cut, now, now + 30 * DAY)).toBe(0);
    expect(await h.store.data.purgedBefore(model.id)).toBe(cut);
    expect(await h.store.data.storedSpan(model.id)).toEqual({ rawEvents: 16, oldestRawEvent: T0 + 14 * 4 * HOUR, newestEvent: T0 + 29 * 4 * HOUR, purgedBefore: cut, ownRetentionDays: null });
    const late = await h.store.data.predictionWriter(model).write([p(0, 'late', cut - 1), p(1, 'e3', T0 + 12), p(2, 'new', cut)], now, true);
    expect(late).toMatchObject({ accepted: 1, duplicates: 0, purgedBefore: cut });
    expect(late.beforePurge.map((r) => r.eventId)).toEqual(['late', 'e3']);
    const actuals = await h.store.data.actualWriter(model).write([act(0, 'e3', 'yes'), act(1, 'e20', 'yes'), act(2, 'nobody', 'no')], now);
    expect(actuals).toEqual({ accepted: 2, purged: [act(0, 'e3', 'yes')] });
    // the tombstones' time over, a late actual of a deleted event waits like any unknown one
    await h.store.data.expireTombstones(now + 30 * DAY);
    expect(await h.store.data.actualWriter(model).write([act(0, 'e3', 'yes')], now + 30 * DAY)).toEqual({ accepted: 1, purged: [] });
    // 'waited' (parked at T0, before the cut) went with the purge: the event now arrives without it
    await h.store.data.predictionWriter(model).write([p(0, 'waited', now)], now, true);
    expect((await h.store.data.eventsAsBaselineRows(model.id, now, now + 1)).map((r) => r.actualLabel)).toEqual([null]);
  });

  it('replaces the baseline whole with its audit entry; its time is the entry’s', async () => {
    expect(await h.store.data.baseline(model.id)).toBeNull();
    await h.store.data.predictionWriter(model).write([p(0, 'a', T0), p(1, 'b', T0 + HOUR)], T0, true);
    const rows = [0, 1, 2].map((i) => {
      const { eventId: _id, ts: _ts, ...row } = p(i, 'x', 0);
      return row;
    });
    expect(await h.store.data.replaceBaseline(model, rows, entry(T0 + 7, 'setBaseline'))).toEqual({ rowCount: 3, updatedAt: T0 + 7 });
    expect(await h.store.data.replaceBaseline(model, rows.slice(0, 2), entry(T0 + 8, 'setBaseline'))).toEqual({ rowCount: 2, updatedAt: T0 + 8 });
    expect(await h.store.data.baseline(model.id)).toEqual({ rowCount: 2, updatedAt: T0 + 8 });
    expect((await h.store.audit.list(5)).filter((e) => e.action === 'setBaseline' && e.at >= T0 + 7).map((e) => e.at).sort()).toEqual([T0 + 7, T0 + 8]);
    await h.store.data.rebuildStats(model);
  });
}

/** Describes the contract on one adapter; `h.store` is set by the caller's beforeAll (each test makes its own model). */
export function describeDataWrites(name: string, h: DataHarness): void {
  describe(`the data port's writes on ${name}`, () => {
    dataWritesContract(h);
  });
}
