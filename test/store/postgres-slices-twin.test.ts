// The PostgreSQL slices held to SQLite's for the same calls (data-twin.ts): each slice's
// partials byte for byte (predictions with versions, actuals), and its hour rows after a
// baseline replaced and rebuilt every slice. Slices are matched by their version and
// segment names (their ids are each database's own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import type { PredictionRow } from '../../src/domain/ingest/validate.js';
import type { NewModel } from '../../src/store/ports/models.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { sqliteOf } from '../helpers/test-store.js';
import { loadFixture } from '../domain/metrics/load-fixture.js';
import { actual, postgresSide, prediction, sqliteSide, type Side } from './data-twin.js';

const admin = await testPostgres();
const fx = loadFixture('penguins');
const NOW = Date.parse('2024-05-12T00:00:00Z');
let seq = 0;
const def = (): NewModel => ({ ...fx.model, name: `twin-slices-${++seq}`, description: null, retentionDays: null, createdAt: NOW });
const SEGMENTS = {
  biscoe: [{ feature: 'island', in: ['Biscoe'], gte: null, gt: null, lte: null, lt: null, isMissing: null }],
  heavy: [{ feature: 'body_mass_g', in: null, gte: 4000, gt: null, lte: null, lt: null, isMissing: null }],
};

/** Rows of a statistics table with each row's slice named by its version and segment ('' for none). */
const named = (table: 'stats_partial' | 'stats_hourly', order: string) =>
  `SELECT coalesce(v.name, '') AS version, coalesce(g.name, '') AS segment, t.hour, t.data, t.hists FROM ${table} t
     LEFT JOIN stats_slices s ON s.id = t.slice LEFT JOIN model_versions v ON v.id = s.version_id LEFT JOIN segments g ON g.id = s.segment_id
    WHERE t.model_id = ? ORDER BY version, segment, t.hour${order}`;
const PARTIALS = named('stats_partial', ', t.id');
const HOURS = named('stats_hourly', '');

describe.skipIf(admin === null)('PostgreSQL slices as SQLite', () => {
  const db = useTempDatabase(admin);
  let a: PostgresStore;
  beforeAll(async () => {
    a = await openPostgres(db.url);
  });
  afterAll(async () => {
    await a?.close();
  });

  it('writes the same partials per slice for predictions with versions and actuals, and the same hours after a baseline', async () => {
    const lite = await sqliteSide(def(), NOW);
    const pg = await postgresSide(a, def());
    const sides: Array<[Side, (sql: string, args: unknown[]) => Promise<number>, { syncSlices(m: Side['model']): Promise<void> }]> = [
      [lite, async (sql, args) => Number((sqliteOf(lite.deps.store).sqlite.prepare(`${sql} RETURNING id`).get(...args) as { id: number }).id), lite.deps.store.data],
      [pg, async (sql, args) => (await a.pool.query(`${sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split('?').length}`)} RETURNING id`, args)).rows[0].id, a.data],
    ];
    const rowsBy: PredictionRow[][] = [];
    for (const [side, insert, data] of sides) {
      const v = [await insert('INSERT INTO model_versions (model_id, name, created_at) VALUES (?, ?, ?)', [side.model.id, 'v1', NOW])];
      v.push(await insert('INSERT INTO model_versions (model_id, name, created_at) VALUES (?, ?, ?)', [side.model.id, 'v2', NOW]));
      for (const [name, conditions] of Object.entries(SEGMENTS)) await insert('INSERT INTO segments (model_id, name, conditions, created_at) VALUES (?, ?, ?, ?)', [side.model.id, name, JSON.stringify(conditions), NOW]);
      await data.syncSlices(side.model);
      rowsBy.push(fx.events.map((e, i) => ({ ...prediction(i, e), versionId: i % 3 === 2 ? null : v[i % 3]! })));
    }
    for (let k = 0; k < 2; k++) {
      const [side] = sides[k]!;
      const rows = rowsBy[k]!;
      await side.predict(rows.slice(0, 120), NOW + 1);
      await side.actuals(fx.events.slice(0, 60).map((e, i) => actual(i, e.eventId, e.actualLabel ?? 'Adelie')), NOW + 2);
      await side.predict(rows.slice(100), NOW + 3);
      await side.actuals(fx.events.slice(0, 20).map((e, i) => actual(i, e.eventId, 'Gentoo')), NOW + 4);
    }
    const partials = await pg.rows(PARTIALS);
    expect(new Set(partials.map((p) => `${p.version}/${p.segment}`)).size).toBe(9);
    expect(partials).toEqual(await lite.rows(PARTIALS));
    const rows = fx.baseline.map((r, index) => ({ ...r, attributions: null, index, featuresText: null }));
    const entry = { at: NOW + 10, actor: 'test', action: 'setBaseline', target: 'x', details: {} };
    await lite.replaceBaseline(rows, entry);
    await pg.replaceBaseline(rows, entry);
    const hours = await pg.rows(HOURS);
    expect(new Set(hours.map((p) => `${p.version}/${p.segment}`)).size).toBe(9);
    expect(hours).toEqual(await lite.rows(HOURS));
    expect(await pg.rows(PARTIALS)).toEqual([]);
  });
});
