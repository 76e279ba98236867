// The ingest hot path on PostgreSQL (prototype for the adapter): already-validated event
// rows are stored idempotently on (model, eventId) across every replica. One transaction:
// COPY into a temporary staging table, then one statement that inserts the keys into
// `event_keys` (ON CONFLICT DO NOTHING, in eventId order so that concurrent writers take
// row locks in the same order and never deadlock) and copies the rows whose key was new
// into the partitioned `events`. A concurrent writer of the same eventId waits for the
// first one's commit and then skips it: the database decides, not a process's memory.
import type pg from 'pg';
import { copyField, copyIn } from './copy-text.js';
import { daysOf, ensureEventPartitions, forgetEventPartitions } from './partitions.js';

/** One event as the store keeps it (the columns of `events` but id and model_id). */
export interface AppendRow {
  eventId: string;
  ts: number;
  /** the features object as JSON text, stored as it came */
  features: string;
  score: number | null;
  predictedLabel: string | null;
  value: number | null;
  actualLabel: string | null;
  actualValue: number | null;
  actualAt: number | null;
}

export interface AppendResult {
  /** eventIds stored by this call, in input order */
  stored: string[];
  /** rows skipped: eventId already stored (by anyone) or repeated earlier in the batch */
  duplicates: number;
}

const COLUMNS = 'event_id, ts, features, score, predicted_label, value, actual_label, actual_value, actual_at';

const STAGING = `CREATE TEMP TABLE IF NOT EXISTS glassbox_staging (
  event_id text NOT NULL, ts bigint NOT NULL, features text NOT NULL, score float8, predicted_label text,
  value float8, actual_label text, actual_value float8, actual_at bigint) ON COMMIT DELETE ROWS`;

const MOVE = `WITH fresh AS (
    INSERT INTO event_keys (model_id, event_id, ts)
    SELECT $1, event_id, ts FROM glassbox_staging ORDER BY event_id
    ON CONFLICT DO NOTHING RETURNING event_id)
  INSERT INTO events (model_id, ${COLUMNS})
  SELECT $1, ${COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')} FROM glassbox_staging s JOIN fresh f ON f.event_id = s.event_id
  RETURNING event_id`;

/** Clients (connections) whose session already has the staging table. */
const staged = new WeakSet<pg.PoolClient>();

/** 23514: a row for a partition that retention dropped after we checked; 40P01: deadlock. */
const RETRYABLE = new Set(['23514', '40P01']);

function copyText(rows: AppendRow[]): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    lines[i] =
      `${copyField(r.eventId)}\t${r.ts}\t${copyField(r.features)}\t${copyField(r.score)}\t${copyField(r.predictedLabel)}\t` +
      `${copyField(r.value)}\t${copyField(r.actualLabel)}\t${copyField(r.actualValue)}\t${copyField(r.actualAt)}\n`;
  }
  return lines.join('');
}

async function appendOnce(pool: pg.Pool, modelId: number, rows: AppendRow[], text: string): Promise<Set<string>> {
  await ensureEventPartitions(pool, modelId, daysOf(rows.map((r) => r.ts)));
  const client = await pool.connect();
  try {
    if (!staged.has(client)) {
      await client.query(STAGING);
      staged.add(client);
    }
    await client.query('BEGIN');
    try {
      await copyIn(client, `glassbox_staging (${COLUMNS})`, text);
      const r = await client.query<{ event_id: string }>(MOVE, [modelId]);
      await client.query('COMMIT');
      return new Set(r.rows.map((row) => row.event_id));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    client.release();
  }
}

/**
 * Stores the rows whose (model, eventId) is not stored yet, in one transaction; the first
 * of repeated eventIds in the batch wins. Creates the days' partitions first if needed.
 */
export async function appendEvents(pool: pg.Pool, modelId: number, rows: AppendRow[]): Promise<AppendResult> {
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.eventId) && seen.add(r.eventId) !== undefined);
  if (unique.length === 0) return { stored: [], duplicates: rows.length };
  const text = copyText(unique);
  let fresh: Set<string>;
  try {
    fresh = await appendOnce(pool, modelId, unique, text);
  } catch (err) {
    if (!RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
    forgetEventPartitions(pool);
    fresh = await appendOnce(pool, modelId, unique, text);
  }
  const stored = unique.filter((r) => fresh.has(r.eventId)).map((r) => r.eventId);
  return { stored, duplicates: rows.length - stored.length };
}
