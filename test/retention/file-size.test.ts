// The file stops growing once retention holds: cycles of "a day of events in, the day
// before purged" reuse the freed pages, so after the first purge the file (and its WAL)
// grows only by the hourly statistics, which are kept on purpose (docs/retention.md).
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import { onSqlite, sqliteOf } from '../helpers/test-store.js';
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

const size = (p: string) => {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
};

// a SQLite file's size, WAL and free pages; on PostgreSQL whole day partitions are dropped instead
describe.runIf(onSqlite)('the database file under retention', () => {
  beforeAll(async () => {
    s = await startTestServer({ now: T0 + DAY_MS, env: { GLASSBOX_RETENTION_DAYS: '1' } });
    await createRetentionModel(s, 'flat');
  });
  afterAll(async () => {
    await s.stop(true);
  });

  it('does not grow over repeated ingest-and-purge cycles of the same volume', async () => {
    const { sqlite } = sqliteOf(s.deps.store);
    const statsBytes = () => sqlite.prepare('SELECT coalesce(sum(length(data) + coalesce(length(hists), 0)), 0) FROM stats_hourly').pluck().get() as number;
    const sizes: Array<{ file: number; wal: number; stats: number; free: number }> = [];
    for (let k = 0; k < 8; k++) {
      // a day of events ending now, then the purge of the day before it
      s.clock.set(T0 + (k + 1) * DAY_MS);
      expect((await ingest(s, 'flat', 'predictions', day(T0 + k * DAY_MS, k))).accepted).toBe(24 * PER_HOUR);
      const r = await s.gql(`mutation { applyRetention { deletedEvents } }`);
      expect(r.data.applyRetention.deletedEvents).toBe(k === 0 ? 0 : 24 * PER_HOUR);
      sqlite.pragma('wal_checkpoint(PASSIVE)');
      sizes.push({ file: size(s.dbPath), wal: size(`${s.dbPath}-wal`), stats: statsBytes(), free: sqlite.pragma('freelist_count', { simple: true }) as number });
    }
    // without reuse the file would grow by a day of events (what the first cycle wrote) every cycle
    const dayBytes = sizes[0]!.file;
    const perCycle = sizes.slice(1).map((x, i) => x.file - sizes[i]!.file);
    console.log(JSON.stringify({ dayBytes, perCycle, statsPerCycle: sizes[1]!.stats - sizes[0]!.stats, sizes }));
    // the second cycle adds the day that is kept; from then on the freed pages are reused and
    // what still grows is mostly the hourly statistics, which are kept on purpose
    for (const g of perCycle.slice(-3)) expect(g).toBeLessThan(0.15 * dayBytes);
    expect(sizes.at(-1)!.file).toBeLessThan(sizes[1]!.file + 0.5 * dayBytes);
    // the WAL is reused after each checkpoint: it holds at most what a cycle writes (ingest and
    // purge), never past the ~40 MB between automatic checkpoints (src/db/client.ts), and stops growing
    const walCap = 10_000 * (sqlite.pragma('page_size', { simple: true }) as number) * 1.01;
    expect(sizes.filter((x) => x.wal > walCap)).toEqual([]);
    for (const x of sizes.slice(-3)) expect(x.wal).toBeLessThanOrEqual(sizes[2]!.wal * 1.1);
  }, 120_000);
});
