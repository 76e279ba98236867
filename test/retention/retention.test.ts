// Retention end to end on a real server: events over 3x the retention period, a purge,
// and what it leaves: raw events gone, Model.storage saying so, every metric over purged
// hour-aligned windows as before, late actuals and predictions refused with their reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedValue } from '../helpers/stored-rows.js';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time.js';
import { loadConfig, ConfigError } from '../../src/config.js';
import { due, run as runRetentionJob } from '../../src/jobs/apply-retention.js';
import { createRetentionModel, events, everything, ingest, storage } from './support.js';

const NOW = T0 + 6 * DAY_MS + 30 * MINUTE_MS;
const CUT = T0 + 4 * DAY_MS; // floor(NOW - 2 days) to the hour
const PER_HOUR = 15;
const ALL = events('r', T0, 6 * 24, PER_HOUR);

let s: TestServer;
const windows: Array<[string, number, number]> = [
  ['purged days', T0, T0 + 4 * DAY_MS],
  ['purged and kept', T0 + DAY_MS, T0 + 6 * DAY_MS],
  ['kept, edges off the hour', T0 + 4 * DAY_MS + 17 * MINUTE_MS, T0 + 5 * DAY_MS + 3 * MINUTE_MS],
  ['purged hours', T0 + 5 * HOUR_MS, T0 + 29 * HOUR_MS],
];
const before = new Map<string, unknown>();

beforeAll(async () => {
  s = await startTestServer({ now: T0 + DAY_MS, env: { GLASSBOX_RETENTION_DAYS: '2' } });
  await createRetentionModel(s, 'r');
  await ingest(s, 'r', 'baseline', events('b', T0 - 7 * DAY_MS, 24, 20));
  // an actual whose prediction never comes: it waits past the retention and goes too
  expect(await ingest(s, 'r', 'actuals', [{ eventId: 'ghost', actualLabel: 'yes' }])).toMatchObject({ accepted: 1 });
  s.clock.set(NOW);
  expect(await ingest(s, 'r', 'predictions', ALL)).toMatchObject({ accepted: ALL.length, rejected: 0 });
  for (const [name, from, to] of windows) before.set(name, await everything(s, 'r', from, to));
  // an off-hour window inside purged time reads as its hour-aligned cover afterwards
  before.set('cover', await everything(s, 'r', T0 + 5 * HOUR_MS, T0 + 30 * HOUR_MS));
});
afterAll(async () => {
  await s.stop(true);
});

const count = (q: string, ...p: unknown[]) => storedValue(s.deps.store, q, ...p);

describe('applyRetention', () => {
  it('deletes the raw events before the cut, their pending actuals, and says so in Model.storage', async () => {
    expect(await storage(s, 'r')).toEqual({
      rawEvents: ALL.length,
      oldestRawEvent: new Date(T0).toISOString(),
      newestEvent: ALL.at(-1)!.timestamp,
      retentionDays: 2,
      purgedBefore: null,
    });
    const r = await s.gql(`mutation { applyRetention { deletedEvents models } }`);
    expect(r.errors).toBeUndefined();
    const purged = ALL.filter((e) => Date.parse(e.timestamp as string) < CUT).length;
    expect(purged).toBe(4 * 24 * PER_HOUR);
    expect(r.data.applyRetention).toEqual({ deletedEvents: purged, models: 1 });

    expect(await count('SELECT count(*) AS n FROM events WHERE ts < ?', CUT)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM pending_actuals')).toBe(0);
    expect(await storage(s, 'r')).toEqual({
      rawEvents: ALL.length - purged,
      oldestRawEvent: new Date(CUT).toISOString(),
      newestEvent: ALL.at(-1)!.timestamp,
      retentionDays: 2,
      purgedBefore: new Date(CUT).toISOString(),
    });
    const audit = (await s.deps.store.audit.list(1000)).find((e) => e.action === 'applyRetention')!;
    expect(audit.actor).toBe('local');
    expect(audit.details).toEqual({ deletedEvents: purged, models: [{ model: 'r', before: new Date(CUT).toISOString(), deleted: purged }] });

    // a second run at the same time has nothing left to do
    expect((await s.gql(`mutation { applyRetention { deletedEvents models } }`)).data.applyRetention).toEqual({ deletedEvents: 0, models: 0 });
  });

  it('keeps every metric over purged hour-aligned windows, and exact windows in kept time', async () => {
    for (const [name, from, to] of windows) expect(await everything(s, 'r', from, to), name).toEqual(before.get(name));
  });

  it('moves a window edge inside purged time out to the UTC hour', async () => {
    expect(await everything(s, 'r', T0 + 5 * HOUR_MS + 20 * MINUTE_MS, T0 + 29 * HOUR_MS + 1)).toEqual(before.get('cover'));
  });

  it('rejects an actual for a purged event, and a prediction timed before the cut, saying why', async () => {
    const a = await ingest(s, 'r', 'actuals', [
      { eventId: 'r-0', actualLabel: 'yes' },
      { eventId: ALL.at(-1)!.eventId, actualLabel: 'no' },
    ]);
    expect(a).toMatchObject({ accepted: 1, rejected: 1 });
    expect(a.errors).toEqual([{ index: 0, eventId: 'r-0', message: expect.stringMatching(/^eventId: its prediction was deleted by retention/) }]);
    const g = await s.gql(`mutation { logActuals(model: "r", actuals: [{ eventId: "r-1", actualLabel: "no" }]) { accepted rejected errors { message } } }`);
    expect(g.data.logActuals.rejected).toBe(1);

    const p = await ingest(s, 'r', 'predictions', [{ ...ALL[0], eventId: 'late' }, { ...ALL.at(-1), eventId: 'fresh' }]);
    expect(p).toMatchObject({ accepted: 1, rejected: 1 });
    expect(p.errors[0]).toEqual({ index: 0, eventId: 'late', message: expect.stringContaining(`timestamp: is before ${new Date(CUT).toISOString()}`) });
    // a resend of a purged event is refused too, so it is never counted twice
    expect(await ingest(s, 'r', 'predictions', [ALL[3]])).toMatchObject({ accepted: 0, rejected: 1 });
    expect(await everything(s, 'r', T0, T0 + 4 * DAY_MS)).toEqual(before.get('purged days'));
  });

  it('takes retentionDays per model: validated, 0 keeps forever', async () => {
    const bad = await s.gql(`mutation { updateModel(name: "r", input: { retentionDays: -1 }) { name } }`);
    expect(bad.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].message).toMatch(/^input\.retentionDays: must be a whole number of days/);
    await createRetentionModel(s, 'keep');
    const set = await s.gql(`mutation { updateModel(name: "keep", input: { retentionDays: 0 }) { name storage { retentionDays } } }`);
    expect(set.data.updateModel.storage.retentionDays).toBe(0);
    await ingest(s, 'keep', 'predictions', events('k', T0, 24, 2));
    expect((await s.gql(`mutation { applyRetention { deletedEvents } }`)).data.applyRetention.deletedEvents).toBe(0);
    expect((await storage(s, 'keep')).rawEvents).toBe(48);
  });

  it('refuses, never guesses, metrics over purged hours after the baseline changed', async () => {
    await ingest(s, 'r', 'baseline', events('b2', T0 - 9 * DAY_MS, 10, 30));
    const r = await s.gql(`query { model(name: "r") { performance(from: "${new Date(T0).toISOString()}", to: "${new Date(NOW).toISOString()}") { count } } }`);
    expect(r.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toContain(`from: the events before ${new Date(CUT).toISOString()} were deleted by retention`);
    // kept time was rebuilt against the new baseline and answers
    const kept = await everything(s, 'r', CUT, NOW);
    expect(kept.traffic.predictionCount).toBe(ALL.length - 4 * 24 * PER_HOUR + 1);
    expect(kept.drift[0].baselineSize).toBe(300);
  });
});

describe('the daily job and the setting', () => {
  it('runs at its tick with the injected time, once a day', async () => {
    await createRetentionModel(s, 'job');
    await s.gql(`mutation { updateModel(name: "job", input: { retentionDays: 1 }) { name } }`);
    await ingest(s, 'job', 'predictions', events('j', NOW - 3 * DAY_MS, 24, 4));
    const at = NOW + 2 * HOUR_MS;
    // all of "job" (one day kept), and the two hours of "r" the cut moved over (two days kept)
    expect(await runRetentionJob(s.deps, at, 2)).toEqual({ deletedEvents: 96 + 2 * PER_HOUR, models: 2 });
    expect((await storage(s, 'job')).purgedBefore).toBe(new Date(Math.floor((at - DAY_MS) / HOUR_MS) * HOUR_MS).toISOString());
    expect(await due(s.deps, at + HOUR_MS)).toBe(false);
    expect(await due(s.deps, at + DAY_MS)).toBe(true);
  });

  it('validates GLASSBOX_RETENTION_DAYS', () => {
    expect(loadConfig({}).retentionDays).toBe(0);
    expect(loadConfig({ GLASSBOX_RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    for (const bad of ['-1', '1.5', 'week']) {
      expect(() => loadConfig({ GLASSBOX_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ GLASSBOX_RETENTION_DAYS: bad })).toThrow(/GLASSBOX_RETENTION_DAYS=/);
    }
  });
});
