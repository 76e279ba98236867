// The events' storage stays flat under retention on PostgreSQL (the counterpart of
// file-size.test.ts, whose SQLite file reuses freed pages): each cycle of "a day of events
// in, the day before purged" drops the old day's whole partition, so what the events take
// is one day's partition, the same every cycle, not a table bloated by deleted rows; the
// statistics keep one row per hour (on purpose, docs/retention.md), partials folded away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import { onSqlite } from '../helpers/test-store.js';
import { storedRows, storedValue } from '../helpers/stored-rows.js';
import { run as compact } from '../../src/jobs/compact-stats.js';
import { findModel } from '../../src/services/models.js';
import { DAY_MS, HOUR_MS } from '../../src/domain/time.js';
import { createRetentionModel, ingest } from './support.js';

const PER_HOUR = 400;
const PAD = ['a', 'b', 'c'].map((l) => l.repeat(300));

function day(start: number, k: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 24 * PER_HOUR; i++) {
    const score = ((i * 7919) % 1000) / 1000;
    out.push({
      eventId: `d${k}-${i}`,
      timestamp: new Date(start + Math.floor((i * HOUR_MS) / PER_HOUR)).toISOString(),
      features: { x: (i * 31) % 997, c: PAD[i % 3] },
      score,
      actualLabel: i % 2 ? 'yes' : 'no',
    });
  }
  return out;
}

let s: TestServer;

// the SQLite side is file-size.test.ts (its file, WAL and free pages)
describe.skipIf(onSqlite)('the events partitions under retention on PostgreSQL', () => {
  beforeAll(async () => {
    s = await startTestServer({ now: T0 + DAY_MS, env: { GLASSBOX_RETENTION_DAYS: '1' } });
    await createRetentionModel(s, 'flat');
  });
  afterAll(async () => {
    await s?.stop(true);
  });

  it('keeps one day partition of the same size over repeated ingest-and-purge cycles', async () => {
    const id = (await findModel(s.deps, 'flat'))!.id;
    const partitions = () =>
      storedRows<{ name: string; bytes: number; n: number }>(
        s.deps.store,
        `SELECT c.relname AS name, pg_total_relation_size(c.oid)::bigint AS bytes, c.reltuples::bigint AS n FROM pg_class c
          WHERE c.relkind = 'r' AND c.relname LIKE ? ORDER BY c.relname`,
        `events\\_m${id}\\_d%`,
      );
    const statsBytes = () => storedValue(s.deps.store, `SELECT (pg_total_relation_size('stats_hourly') + pg_total_relation_size('stats_partial') + pg_total_relation_size('stats_rollup'))::bigint`);
    const count = (table: string) => storedValue(s.deps.store, `SELECT count(*)::int FROM ${table} WHERE model_id = ?`, id);
    const cycles: Array<{ events: number; days: string[]; stats: number; hourly: number; partials: number; keys: number; keysBytes: number }> = [];
    for (let k = 0; k < 8; k++) {
      // a day of events ending now, then the purge of the day before it, then a compaction pass
      s.clock.set(T0 + (k + 1) * DAY_MS);
      expect((await ingest(s, 'flat', 'predictions', day(T0 + k * DAY_MS, k))).accepted).toBe(24 * PER_HOUR);
      const r = await s.gql(`mutation { applyRetention { deletedEvents } }`);
      expect(r.data.applyRetention.deletedEvents).toBe(k === 0 ? 0 : 24 * PER_HOUR);
      await compact(s.deps, s.clock.now());
      const parts = await partitions();
      // only the day kept holds rows (partitions made ahead for the next days are empty)
      const held = [];
      for (const p of parts) if ((await storedValue(s.deps.store, `SELECT count(*)::int FROM "${p.name}"`)) > 0) held.push(p.name);
      cycles.push({
        events: parts.reduce((a, p) => a + Number(p.bytes), 0),
        days: held,
        stats: Number(await statsBytes()),
        hourly: await count('stats_hourly'),
        partials: await count('stats_partial'),
        keys: await count('event_keys'),
        keysBytes: Number(await storedValue(s.deps.store, `SELECT pg_total_relation_size('event_keys')::bigint`)),
      });
    }
    const dayBytes = cycles[0]!.events;
    console.log(JSON.stringify({ dayBytes, events: cycles.map((c) => c.events), stats: cycles.map((c) => c.stats), keysBytes: cycles.map((c) => c.keysBytes) }));
    for (const [k, c] of cycles.entries()) {
      // whole days dropped: one day's rows left, in that day's own partition
      expect(c.days, `cycle ${k}`).toEqual([`events_m${id}_d${new Date(T0 + k * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '')}`]);
      expect(c.keys, `cycle ${k}: idempotency keys of the day kept only`).toBe(24 * PER_HOUR);
      // the same volume takes the same room: no bloat from deleted rows, nothing left of dropped days
      expect(Math.abs(c.events - dayBytes), `cycle ${k}: ${c.events} bytes against ${dayBytes}`).toBeLessThan(0.1 * dayBytes);
      // statistics: one row per hour ingested (kept on purpose), the batches' partials folded away
      expect(c.hourly, `cycle ${k}`).toBe(24 * (k + 1));
      expect(c.partials, `cycle ${k}`).toBe(0);
    }
    const statsPerCycle = cycles.slice(1).map((c, i) => c.stats - cycles[i]!.stats);
    for (const g of statsPerCycle.slice(-3)) expect(g).toBeLessThan(0.15 * dayBytes);
    // the idempotency keys (one unpartitioned table): the purged ones' room is reused once the
    // run has vacuumed it; without that they grew ~1 MB a cycle here (8.3 MB by cycle 8)
    const keys = cycles.map((c) => c.keysBytes);
    expect(Math.max(...keys.slice(1)), `event_keys bytes per cycle: ${keys.join(', ')}`).toBeLessThan(1.5 * keys[1]!);
  }, 180_000);
});
