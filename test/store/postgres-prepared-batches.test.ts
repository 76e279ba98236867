// PostgreSQL's prediction writer prepares a full batch (its COPY text, its statistics as
// the last batch saw the model) while the batch before commits (PredictionWriter.prepare).
// What it assumed may no longer hold when the batch is written: repeats of stored events,
// an actual now waiting for one of its rows, a purge mark moved, a new baseline. Each
// batch here is written twice, to two models with the same baseline: prepared first on
// one, unprepared on the other, with the same change in between; both must store and
// answer the same. Prepared two ways: from the full batch (prepare alone), and folded in
// row by row as the batch fills (admit, then prepare: held-batch.ts), whose rows read
// themselves back from their COPY lines where the writer must redo the batch.
import { drizzle } from 'drizzle-orm/node-postgres';
import { describe, expect, it } from 'vitest';
import type { PredictionRow } from '../../src/domain/ingest/validate.js';
import type { PredictionWriter } from '../../src/store/ports/data.js';
import { pgContext } from '../../src/store/postgres/context.js';
import { pgData } from '../../src/store/postgres/data/repo.js';
import * as schema from '../../src/store/postgres/schema/index.js';
import { loadFixture, type FixtureEvent } from '../domain/metrics/load-fixture.js';
import { close } from '../services/stats-helpers.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { prediction } from './data-twin.js';
import { pairOf, pgAnswer, readsOver, usePgPool, type Pair } from './pg-stats-helpers.js';

const admin = await testPostgres();
const EVENTS = loadFixture('penguins').events;
const NOW = Date.parse('2024-05-12T00:00:00Z');

/** The events as validated rows, without their actuals (so that a pending one can join). */
const rowsOf = (events: FixtureEvent[]): PredictionRow[] => events.map((e, i) => prediction(i, e));

/**
 * The rows with, at `k`, the features as NDJSON text may carry them (indented by tabs, on lines;
 * a tab, a backslash, a quote and characters beyond ASCII in a string), an actual on its
 * line, and a repeat of row 0 at the end: what a COPY line must carry and give back.
 */
function withEdges(rows: PredictionRow[], k: number): PredictionRow[] {
  const r = rows[k]!;
  const features = { ...r.features, island: 'Tor\tger\\sen "ø" 😀\n' };
  const edged: PredictionRow = { ...r, features, featuresText: JSON.stringify(features, null, '\t'), actualLabel: 'Adelie' };
  return [...rows.slice(0, k), edged, ...rows.slice(k + 1), { ...rows[0]!, index: rows.length }];
}

describe.skipIf(admin === null)('prepared batches on PostgreSQL', () => {
  const pool = usePgPool(useTempDatabase(admin));

  it.each(['prepared', 'admitted'] as const)('store and answer as unprepared ones whatever changed between preparing and writing (%s)', async (way) => {
    const prepared = await pairOf(pool(), 'penguins', `-${way}`);
    const plain = await pairOf(pool(), 'penguins', `-plain-${way}`);
    const writerOf = (p: Pair): PredictionWriter => pgData(pgContext(pool(), drizzle({ client: pool(), schema }))).predictionWriter(p.model);
    const wp = writerOf(prepared);
    const wq = writerOf(plain);
    expect(wp.prepare).toBeTypeOf('function');
    expect(wp.admit).toBeTypeOf('function');
    /** `admittedAt`: the batch's time as guessed when its first row came (admit) */
    const both = async (given: PredictionRow[], change: (p: Pair) => Promise<void> = async () => {}, admittedAt = NOW) => {
      const rows = way === 'admitted' ? given.map((r, i) => wp.admit!(r, i, admittedAt)) : given;
      wp.prepare!(rows, NOW);
      for (const p of [prepared, plain]) await change(p);
      const a = await wp.write(rows, NOW, false);
      const b = await wq.write(given, NOW, false);
      // refused rows are rejected by index and eventId (a held batch's are HeldRows)
      const plainOf = (r: typeof a) => ({ ...r, beforePurge: r.beforePurge.map(({ index, eventId, ts }) => ({ index, eventId, ts })) });
      expect(plainOf(a)).toEqual(plainOf(b));
      return a;
    };
    const n = EVENTS.length;
    const part = (k: number) => EVENTS.slice(Math.floor((k * n) / 5), Math.floor(((k + 1) * n) / 5));

    // the first batch has seen nothing: it prepares nothing
    await both(rowsOf(part(0)));
    // as the last batch saw the model: prepared work used as it is
    await both(rowsOf(part(1)));
    // the same edges where the work done before holds: stored from the held COPY text as it is
    const edges = await both(withEdges(rowsOf(part(1).slice(20, 40)).map((r) => ({ ...r, eventId: `${r.eventId}-edge` })), 3));
    expect(edges).toMatchObject({ accepted: 20, duplicates: 1 });
    // an actual on a line, its time guessed otherwise when the batch began: redone at the batch's time
    const late = await both(withEdges(rowsOf(part(1).slice(0, 20)).map((r) => ({ ...r, eventId: `${r.eventId}-late` })), 3), undefined, NOW - 5);
    expect(late.duplicates).toBe(1);
    // repeats of stored events: only the new ones count
    const repeats = await both(withEdges([...rowsOf(part(0).slice(0, 7)), ...rowsOf(part(2))], 9));
    expect(repeats.duplicates).toBe(8);
    // an actual that came first now waits for a row of the batch: it joins
    const waiting = part(3)[5]!;
    const joined = await both(withEdges(rowsOf(part(3)), 4), async (p) => {
      await pool().query('INSERT INTO pending_actuals (model_id, event_id, actual_label, actual_value, received_at) VALUES ($1, $2, $3, NULL, $4)', [
        p.model.id,
        waiting.eventId,
        'Adelie',
        NOW - 1,
      ]);
    });
    expect(joined.accepted).toBe(part(3).length);
    expect(joined.duplicates).toBe(1);
    // a purge mark moved past some of the rows, and a new baseline stamp: refused rows, another statistics context
    const last = part(4);
    const cut = last[Math.floor(last.length / 2)]!.ts;
    const purged = await both(withEdges(rowsOf(last), last.length - 2), async (p) => {
      await pool().query('UPDATE models SET purged_before = $2 WHERE id = $1', [p.model.id, cut]);
      await pool().query('UPDATE baselines SET updated_at = updated_at + 1 WHERE model_id = $1', [p.model.id]);
    });
    expect(purged.beforePurge.length).toBeGreaterThan(0);

    for (const p of [prepared, plain]) {
      const r = await pool().query('SELECT actual_label, actual_at FROM events WHERE model_id = $1 AND event_id = $2', [p.model.id, waiting.eventId]);
      expect(r.rows[0]).toEqual({ actual_label: 'Adelie', actual_at: NOW - 1 });
      expect((await pool().query('SELECT count(*)::int AS n FROM pending_actuals WHERE model_id = $1', [p.model.id])).rows[0].n).toBe(0);
    }
    const from = Date.parse('2024-05-01T00:00:00Z');
    const to = Date.parse('2024-06-01T00:00:00Z');
    for (const r of readsOver(prepared.model, from, to)) close(await pgAnswer(plain, { ...r, model: plain.model }), await pgAnswer(prepared, r), r.kind);
    // the same rows, column for column (ids apart: the two models' rows interleave)
    const stored = async (p: Pair) =>
      (
        await pool().query(
          `SELECT event_id, ts, features, score, predicted_label, value, actual_label, actual_value, actual_at, version_id, attributions
             FROM events WHERE model_id = $1 ORDER BY id`,
          [p.model.id],
        )
      ).rows;
    const mine = await stored(prepared);
    expect(mine).toEqual(await stored(plain));
    expect(mine.filter((r) => String(r.features).includes('😀')).length).toBe(5);
  });
});
