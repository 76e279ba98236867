// The PostgreSQL ingest prototype (src/store/postgres/append-events.ts): idempotent on
// (model, eventId) across connections, exact round trip of what COPY carries, partitions
// made on demand, and retention dropping whole partitions with their keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import { appendEvents, type AppendRow } from '../../src/store/postgres/append-events.js';
import { dropEventPartitionsBefore, eventPartitions } from '../../src/store/postgres/partitions.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';

const admin = await testPostgres();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

const row = (eventId: string, ts: number, extra: Partial<AppendRow> = {}): AppendRow => ({
  eventId,
  ts,
  features: `{"x":${ts % 97}}`,
  score: 0.5,
  predictedLabel: 'yes',
  value: null,
  actualLabel: null,
  actualValue: null,
  actualAt: null,
  ...extra,
});

describe.skipIf(admin === null)('appending events to PostgreSQL', () => {
  const db = useTempDatabase(admin);
  let a: PostgresStore;
  let b: PostgresStore;
  let model = 0;
  const newModel = async () =>
    (await a.pool.query<{ id: number }>(
      `INSERT INTO models (name, task, features, created_at, updated_at) VALUES ($1, 'BINARY_CLASSIFICATION', '[]', 0, 0) RETURNING id`,
      [`m${++model}`],
    )).rows[0]!.id;
  const stored = async (modelId: number) =>
    (await a.pool.query(`SELECT event_id, ts, features, score, predicted_label, value, actual_label, actual_value, actual_at FROM events WHERE model_id = $1 ORDER BY event_id`, [modelId])).rows;

  beforeAll(async () => {
    a = await openPostgres(db.url);
    // a second replica: its own pool, its own connections
    b = await openPostgres(db.url, { migrate: false });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('stores new eventIds once: a resend and repeats inside a batch are duplicates (the first wins)', async () => {
    const m = await newModel();
    const first = await appendEvents(a.pool, m, [row('e1', T0), row('e2', T0 + 1), row('e1', T0 + 2, { score: 0.9 })]);
    expect(first).toEqual({ stored: ['e1', 'e2'], duplicates: 1 });
    const again = await appendEvents(b.pool, m, [row('e3', T0 + 3), row('e2', T0 + 4), row('e1', T0 + 5)]);
    expect(again).toEqual({ stored: ['e3'], duplicates: 2 });
    expect((await stored(m)).map((r) => [r.event_id, r.ts, r.score])).toEqual([
      ['e1', T0, 0.5],
      ['e2', T0 + 1, 0.5],
      ['e3', T0 + 3, 0.5],
    ]);
    // the same eventId under another model is another event
    const other = await newModel();
    expect(await appendEvents(a.pool, other, [row('e1', T0)])).toEqual({ stored: ['e1'], duplicates: 0 });
  });

  it('carries every column exactly, including tabs, newlines, backslashes and nulls', async () => {
    const m = await newModel();
    const odd = row('id\twith\\tab\nand newline', T0 + 7, {
      features: '{"text":"a\\tb\\\\c\\nd","q":"\\"","u":"\\u00e9 é"}',
      score: null,
      predictedLabel: 'back\\slash\r',
      value: -1.5e-7,
      actualLabel: '\\N',
      actualValue: 3,
      actualAt: T0 + 9,
    });
    expect((await appendEvents(a.pool, m, [odd])).stored).toEqual([odd.eventId]);
    expect(await stored(m)).toEqual([
      {
        event_id: odd.eventId,
        ts: odd.ts,
        features: odd.features,
        score: null,
        predicted_label: odd.predictedLabel,
        value: odd.value,
        actual_label: '\\N',
        actual_value: 3,
        actual_at: T0 + 9,
      },
    ]);
  });

  it('two replicas appending the same eventIds at once (in opposite orders) store each once', async () => {
    const m = await newModel();
    const rows = Array.from({ length: 3000 }, (_, i) => row(`ev-${(i * 7919) % 3000}`, T0 + i * 60_000));
    const reversed = [...rows].reverse();
    const results = await Promise.all([
      appendEvents(a.pool, m, rows.slice(0, 2000)),
      appendEvents(b.pool, m, reversed.slice(0, 2000)),
      appendEvents(a.pool, m, rows.slice(1000)),
      appendEvents(b.pool, m, reversed.slice(1000)),
    ]);
    const all = results.flatMap((r) => r.stored);
    expect(all).toHaveLength(3000);
    expect(new Set(all).size).toBe(3000);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(4 * 2000 - 3000);
    const counts = await a.pool.query(
      `SELECT (SELECT count(*) FROM events WHERE model_id = $1) AS events, (SELECT count(*) FROM event_keys WHERE model_id = $1) AS keys`,
      [m],
    );
    expect(counts.rows[0]).toEqual({ events: 3000, keys: 3000 });
  });

  it('makes the days partitions on demand; retention drops whole days with their keys', async () => {
    const m = await newModel();
    const rows = [0, 1, 2, 3].flatMap((d) => [row(`d${d}a`, T0 + d * DAY), row(`d${d}b`, T0 + d * DAY + DAY - 1)]);
    expect((await appendEvents(a.pool, m, rows)).stored).toHaveLength(8);
    expect((await eventPartitions(a.pool, m)).map((p) => p.day)).toEqual([T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY]);
    // a cutoff inside day 2 drops days 0 and 1 only
    expect(await dropEventPartitionsBefore(a.pool, m, T0 + 2 * DAY + 5)).toBe(4);
    expect((await eventPartitions(a.pool, m)).map((p) => p.day)).toEqual([T0 + 2 * DAY, T0 + 3 * DAY]);
    expect((await stored(m)).map((r) => r.event_id)).toEqual(['d2a', 'd2b', 'd3a', 'd3b']);
    const keys = await a.pool.query(`SELECT event_id FROM event_keys WHERE model_id = $1 ORDER BY event_id`, [m]);
    expect(keys.rows.map((r) => r.event_id)).toEqual(['d2a', 'd2b', 'd3a', 'd3b']);
    // both replicas knew the dropped days existed: appending there again recreates them
    expect((await appendEvents(b.pool, m, [row('late', T0 + 5)])).stored).toEqual(['late']);
    expect((await eventPartitions(a.pool, m)).map((p) => p.day)).toEqual([T0, T0 + 2 * DAY, T0 + 3 * DAY]);
  });

  it('a retention run that died after detaching a partition is finished by the next', async () => {
    const m = await newModel();
    await appendEvents(a.pool, m, [row('old', T0), row('new', T0 + 3 * DAY)]);
    await a.pool.query(`ALTER TABLE events_m${m} DETACH PARTITION events_m${m}_d20261101`);
    expect((await eventPartitions(a.pool, m)).map((p) => [p.day, p.attached])).toEqual([
      [T0, false],
      [T0 + 3 * DAY, true],
    ]);
    expect(await dropEventPartitionsBefore(a.pool, m, T0 + DAY)).toBe(1);
    expect((await eventPartitions(a.pool, m)).map((p) => p.day)).toEqual([T0 + 3 * DAY]);
    expect((await a.pool.query(`SELECT count(*) AS n FROM event_keys WHERE model_id = $1`, [m])).rows[0]).toEqual({ n: 1 });
  });
});

