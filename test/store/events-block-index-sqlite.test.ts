// SQLite indexes events by (model_id, ts / EVENT_BLOCK_MS), not by ts (schema/events.ts): every
// query by time searches that index (never a scan of the table or of all the model's
// entries), and answers exactly as a filter on ts would, for any window, negative times
// (before 1970, where the division truncates toward zero) and edges off the block included.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openStore } from '../../src/db/client.js';
import { BEFORE, beforeParams, EVENT_BLOCK, IN_WINDOW, SINCE, sinceParams, spanSql, windowParams } from '../../src/store/sqlite/data/event-blocks.js';
import { eventSpan, readEvents } from '../../src/store/sqlite/data/stored-events.js';
import { storedSpan } from '../../src/store/sqlite/data/retention.js';
import { HOUR_MS } from '../../src/domain/time.js';

const store = openStore(':memory:');
const { sqlite } = store;
afterAll(() => store.close());
sqlite.exec(`INSERT INTO models (id, name, task, features, created_at, updated_at) VALUES (1, 'm', 'REGRESSION', '[]', 0, 0), (2, 'other', 'REGRESSION', '[]', 0, 0)`);

const plan = (sql: string) => (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array((sql.match(/\?/g) ?? []).length).fill(1)) as Array<{ detail: string }>).map((r) => r.detail);

describe('events by (model, 3-hour block)', () => {
  it('every query by time searches the index', () => {
    const queries = [
      `SELECT ts FROM events WHERE ${IN_WINDOW} ORDER BY ${EVENT_BLOCK}, ts`,
      `SELECT 1 FROM events WHERE ${BEFORE} LIMIT 1`,
      `SELECT id FROM events WHERE ${BEFORE} ORDER BY ${EVENT_BLOCK} LIMIT ?`,
      `SELECT count(*) FROM events WHERE ${SINCE}`,
      `SELECT ${spanSql('?').join(', ')}`,
    ];
    for (const q of queries) {
      const p = plan(q);
      expect(p.some((d) => d.includes('USING INDEX events_model_block') && d.includes('<expr>')), `${q}: ${p.join(' | ')}`).toBe(true);
      expect(p.filter((d) => d.startsWith('SCAN events')), q).toEqual([]);
      // the whole window is never sorted at once: a block at a time, as the index gives them
      expect(p.filter((d) => d === 'USE TEMP B-TREE FOR ORDER BY'), q).toEqual([]);
    }
  });

  it('answers as a filter on ts: any window, negative times, edges off the block', () => {
    const H = HOUR_MS;
    const time = fc.integer({ min: -30 * H, max: 30 * H });
    fc.assert(
      fc.property(fc.array(fc.tuple(time, fc.constantFrom(1, 2)), { minLength: 0, maxLength: 60 }), time, time, (evs, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        sqlite.exec('DELETE FROM events');
        const ins = sqlite.prepare("INSERT INTO events (model_id, event_id, ts, features) VALUES (?, ?, ?, '{}')");
        evs.forEach(([ts, m], i) => ins.run(m, `e${i}`, ts));
        const mine = evs.filter(([, m]) => m === 1).map(([ts]) => ts);
        const inWindow = mine.filter((ts) => ts >= from && ts < to).sort((x, y) => x - y);
        expect(Array.from(readEvents(sqlite, 1, 0, from, to), (e) => e.ts)).toEqual(inWindow);
        expect(sqlite.prepare(`SELECT count(*) FROM events WHERE ${BEFORE}`).pluck().get(...beforeParams(1, from))).toBe(mine.filter((ts) => ts < from).length);
        expect(sqlite.prepare(`SELECT count(*) FROM events WHERE ${SINCE}`).pluck().get(...sinceParams(1, from))).toBe(mine.filter((ts) => ts >= from).length);
        expect(sqlite.prepare(`SELECT count(*) FROM events WHERE ${IN_WINDOW}`).pluck().get(...windowParams(1, from, to))).toBe(inWindow.length);
        const span = mine.length ? [Math.min(...mine), Math.max(...mine)] : null;
        expect(eventSpan(sqlite, 1)).toEqual(span);
        const stored = storedSpan(sqlite, 1)!;
        expect([stored.oldestRawEvent, stored.newestEvent]).toEqual(span ?? [null, null]);
      }),
      { numRuns: 200 },
    );
  });
});
