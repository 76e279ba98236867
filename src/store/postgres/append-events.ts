// The ingest hot path on PostgreSQL (prototype for the adapter): already-validated event
// rows are stored idempotently on (model, eventId) across every replica: the database
// decides, through the primary key of `event_keys`, not a process's memory. One
// transaction per batch, two ways:
// - direct (the usual case, nothing stored yet): COPY the keys into `event_keys`, then the
//   rows into the partitioned `events`. A key already there fails the COPY (after waiting
//   for the writer of it, if it is not committed yet), and the batch goes the second way.
// - staged: COPY into a temporary staging table, then one statement inserting the keys
//   with ON CONFLICT DO NOTHING and copying the rows whose key was new into `events`.
// Keys are written in eventId order (bytewise) both ways, so that two writers of the same
// eventIds take their row locks in the same order and do not deadlock.
import type pg from 'pg';
import { copyField, copyIn } from './copy-text.js';
import { daysOf, ensureEventPartitions, forgetEventPartitions } from './partitions.js';
import { inTransaction } from './own-connection.js';

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
  /** the version the event belongs to (null: none), and its attributions as JSON text (null: none) */
  versionId?: number | null;
  attributions?: string | null;
}

export interface AppendResult {
  /** eventIds stored by this call, in input order */
  stored: string[];
  /** rows skipped: eventId already stored (by anyone) or repeated earlier in the batch */
  duplicates: number;
}

export interface AppendOptions {
  /** 'staged' skips the direct way (to compare the two: bench/postgres-ingest.ts) */
  way?: 'auto' | 'staged';
}

const COLUMNS = 'event_id, ts, features, score, predicted_label, value, actual_label, actual_value, actual_at';

const STAGING = `CREATE TEMP TABLE IF NOT EXISTS glassbox_staging (
  event_id text NOT NULL, ts bigint NOT NULL, features text NOT NULL, score float8, predicted_label text,
  value float8, actual_label text, actual_value float8, actual_at bigint) ON COMMIT DELETE ROWS`;

const MOVE = `WITH fresh AS (
    INSERT INTO event_keys (model_id, event_id, ts)
    SELECT $1, event_id, ts FROM glassbox_staging ORDER BY event_id COLLATE "C"
    ON CONFLICT DO NOTHING RETURNING event_id)
  INSERT INTO events (model_id, ${COLUMNS})
  SELECT $1, ${COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')} FROM glassbox_staging s JOIN fresh f ON f.event_id = s.event_id
  RETURNING event_id`;

/** Clients (connections) whose session already has the staging table. */
const staged = new WeakSet<pg.PoolClient>();

/** 23514: a row for a partition that retention dropped after we checked; 40P01: deadlock. */
const RETRYABLE = new Set(['23514', '40P01']);
/** Why the direct way gives a batch up to the staged way: a key already stored (23505), or a deadlock. */
const STAGE = new Set(['23505', '40P01']);

const codeOf = (err: unknown) => (err as { code?: string }).code ?? '';

/** COPY text of the batch's keys in eventId order: UTF-16 code units, as `COLLATE "C"` but beyond U+FFFF. */
function keysText(modelId: number, rows: AppendRow[]): string {
  const ids = rows.map((r) => r.eventId);
  const ts = new Map(rows.map((r) => [r.eventId, r.ts]));
  ids.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  let text = '';
  for (const id of ids) text += `${modelId}\t${copyField(id)}\t${ts.get(id)}\n`;
  return text;
}

/** COPY text of the rows' COLUMNS, each line after `prefix` (e.g. the model id's field). */
function copyText(rows: AppendRow[], prefix = ''): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    lines[i] =
      `${prefix}${copyField(r.eventId)}\t${r.ts}\t${copyField(r.features)}\t${copyField(r.score)}\t${copyField(r.predictedLabel)}\t` +
      `${copyField(r.value)}\t${copyField(r.actualLabel)}\t${copyField(r.actualValue)}\t${copyField(r.actualAt)}\n`;
  }
  return lines.join('');
}

/** The eventIds stored (all of them when the direct way succeeds). */
async function appendOnce(pool: pg.Pool, modelId: number, rows: AppendRow[], direct: boolean): Promise<Set<string> | 'all'> {
  await ensureEventPartitions(pool, modelId, daysOf(rows.map((r) => r.ts)));
  const client = await pool.connect();
  try {
    if (direct) {
      try {
        await inTransaction(client, async () => {
          await copyIn(client, 'event_keys (model_id, event_id, ts)', keysText(modelId, rows));
          await copyIn(client, `events (model_id, ${COLUMNS})`, copyText(rows, `${modelId}\t`));
        });
        return 'all';
      } catch (err) {
        if (!STAGE.has(codeOf(err))) throw err;
      }
    }
    if (!staged.has(client)) {
      await client.query(STAGING);
      staged.add(client);
    }
    return await inTransaction(client, async () => {
      await copyIn(client, `glassbox_staging (${COLUMNS})`, copyText(rows));
      const r = await client.query<{ event_id: string }>(MOVE, [modelId]);
      return new Set(r.rows.map((row) => row.event_id));
    });
  } finally {
    client.release();
  }
}

/**
 * Stores the rows whose (model, eventId) is not stored yet, in one transaction; the first
 * of repeated eventIds in the batch wins. Creates the days' partitions first if needed.
 */
export async function appendEvents(pool: pg.Pool, modelId: number, rows: AppendRow[], opts: AppendOptions = {}): Promise<AppendResult> {
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.eventId) && seen.add(r.eventId) !== undefined);
  if (unique.length === 0) return { stored: [], duplicates: rows.length };
  let fresh: Set<string> | 'all';
  try {
    fresh = await appendOnce(pool, modelId, unique, opts.way !== 'staged');
  } catch (err) {
    if (!RETRYABLE.has(codeOf(err))) throw err;
    forgetEventPartitions(pool);
    fresh = await appendOnce(pool, modelId, unique, opts.way !== 'staged');
  }
  const stored = fresh === 'all' ? unique.map((r) => r.eventId) : unique.filter((r) => fresh.has(r.eventId)).map((r) => r.eventId);
  return { stored, duplicates: rows.length - stored.length };
}
