// Stores a batch of new events inside the caller's transaction (on its connection),
// idempotently on (model, eventId) across replicas: the primary key of `event_keys`
// decides, as in ../append-events.ts (whose two ways this follows), but within one
// transaction that also joins pending actuals and appends the statistics:
// - direct: COPY the keys, then the rows, under a savepoint; a key already stored (23505,
//   after waiting for its writer if uncommitted) rolls back to the savepoint and
// - staged: COPY into a temporary table, then one statement inserting the keys with
//   ON CONFLICT DO NOTHING and the rows whose key was new, in the batch's order (so that
//   `events.id` follows it, as SQLite's rowids do: ties in ts are read in that order).
// Keys go in eventId order both ways, so two writers of the same ids lock in the same order.
import type pg from 'pg';
import { copyField, copyIn } from '../copy-text.js';
import type { AppendRow } from '../append-events.js';
import { codeOf } from './locks.js';

const COLUMNS = 'event_id, ts, features, score, predicted_label, value, actual_label, actual_value, actual_at, version_id, attributions';

// `ord` numbers the rows in COPY order (its sequence only grows: the order is what counts)
const STAGING = `CREATE TEMP TABLE IF NOT EXISTS glassbox_event_batch (
  ord bigserial, event_id text NOT NULL, ts bigint NOT NULL, features text NOT NULL, score float8, predicted_label text,
  value float8, actual_label text, actual_value float8, actual_at bigint, version_id int, attributions text) ON COMMIT DELETE ROWS`;

const MOVE = `WITH fresh AS (
    INSERT INTO event_keys (model_id, event_id, ts)
    SELECT $1, event_id, ts FROM glassbox_event_batch ORDER BY event_id COLLATE "C"
    ON CONFLICT DO NOTHING RETURNING event_id)
  INSERT INTO events (model_id, ${COLUMNS})
  SELECT $1, ${COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')} FROM glassbox_event_batch s JOIN fresh f ON f.event_id = s.event_id
  ORDER BY s.ord
  RETURNING event_id`;

/**
 * COPY text of the keys (distinct eventIds and their times) in eventId order: UTF-16 code
 * units, as `COLLATE "C"` but beyond U+FFFF. The default sort compares strings so, without
 * a comparator called from JavaScript: 0.52 -> 0.43 µs a key (scratch micro-benchmark, 2000 UUIDs).
 */
export function keysText(modelId: number, eventIds: readonly string[], times: readonly number[]): string {
  const tsOf = new Map<string, number>();
  for (let i = 0; i < eventIds.length; i++) tsOf.set(eventIds[i]!, times[i]!);
  const sorted = eventIds.slice().sort();
  // joined, not appended: one flat string (a large object, which a young-generation GC
  // never copies) instead of a chain of small pieces that lives until the COPY is sent
  const lines = new Array<string>(sorted.length);
  for (let i = 0; i < sorted.length; i++) lines[i] = `${modelId}\t${copyField(sorted[i]!)}\t${tsOf.get(sorted[i]!)}\n`;
  return lines.join('');
}

const keysOf = (modelId: number, rows: readonly AppendRow[]): string =>
  keysText(
    modelId,
    rows.map((r) => r.eventId),
    rows.map((r) => r.ts),
  );

/** The columns after `score` of a row that has none of them (most predictions): one constant, not seven pieces. */
const NO_TAIL = '\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n';

function tailText(r: AppendRow): string {
  const versionId = r.versionId ?? null;
  const attributions = r.attributions ?? null;
  if (r.predictedLabel === null && r.value === null && r.actualLabel === null && r.actualValue === null && r.actualAt === null && versionId === null && attributions === null) {
    return NO_TAIL;
  }
  return (
    `\t${copyField(r.predictedLabel)}\t${copyField(r.value)}\t${copyField(r.actualLabel)}\t${copyField(r.actualValue)}\t` +
    `${copyField(r.actualAt)}\t${copyField(versionId)}\t${copyField(attributions)}\n`
  );
}

/** A row's COPY text line (COLUMNS, after `prefix`), newline included. */
export const rowLine = (r: AppendRow, prefix: string): string =>
  `${prefix}${copyField(r.eventId)}\t${r.ts}\t${copyField(r.features)}\t${copyField(r.score)}${tailText(r)}`;

function rowsText(rows: AppendRow[], prefix: string): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) lines[i] = rowLine(rows[i]!, prefix);
  return lines.join('');
}

/** A batch's COPY text (keys in eventId order, rows in batch order): what the direct way sends. */
export interface BatchTexts {
  keys: string;
  /** the rows' lines, as text or already encoded (held-batch.ts) */
  rows: string | Buffer;
}

/** The COPY text of rows (distinct eventIds) of the model, computable before the transaction. */
export function batchTexts(modelId: number, rows: AppendRow[]): BatchTexts {
  return { keys: keysOf(modelId, rows), rows: rowsText(rows, `${modelId}\t`) };
}


/** The savepoint the direct way rolls back to; a caller may take and release it itself (`inSavepoint`). */
export const EVENT_BATCH_SAVEPOINT = 'SAVEPOINT event_batch';
export const EVENT_BATCH_RELEASE = 'RELEASE SAVEPOINT event_batch';

/**
 * Stores the rows (distinct eventIds, their partitions existing) whose key is new, in the
 * open transaction of `client`; returns the eventIds stored ('all' when every one was).
 * With `inSavepoint` the caller has taken EVENT_BATCH_SAVEPOINT and releases it after
 * (each in a round trip it makes anyway), else this does both. `texts`: the rows' batchTexts,
 * made before (the staged way makes its own). `rows` may be a function that makes them when
 * asked (only the staged way asks), `texts` then given.
 */
export async function storeEventBatch(
  client: pg.PoolClient,
  modelId: number,
  rowsOrMake: AppendRow[] | (() => AppendRow[]),
  opts: { inSavepoint?: boolean; texts?: BatchTexts } = {},
): Promise<Set<string> | 'all'> {
  const lazy = typeof rowsOrMake === 'function' && opts.texts ? rowsOrMake : null;
  let made = lazy ? null : typeof rowsOrMake === 'function' ? rowsOrMake() : rowsOrMake;
  const rows = () => (made ??= lazy!());
  if (made ? made.length === 0 : opts.texts!.keys.length === 0) return 'all';
  if (!opts.inSavepoint) await client.query(EVENT_BATCH_SAVEPOINT);
  try {
    await copyIn(client, 'event_keys (model_id, event_id, ts)', opts.texts?.keys ?? keysOf(modelId, rows()));
    await copyIn(client, `events (model_id, ${COLUMNS})`, opts.texts?.rows ?? rowsText(rows(), `${modelId}\t`));
    if (!opts.inSavepoint) await client.query(EVENT_BATCH_RELEASE);
    return 'all';
  } catch (err) {
    if (codeOf(err) !== '23505') throw err;
    await client.query('ROLLBACK TO SAVEPOINT event_batch');
  }
  // every time: a creation in a transaction that rolled back did not last (a no-op once made)
  await client.query(STAGING);
  await copyIn(client, `glassbox_event_batch (${COLUMNS})`, rowsText(rows(), ''));
  const r = await client.query<{ event_id: string }>(MOVE, [modelId]);
  // emptied now, not at commit: the transaction may store another batch
  await client.query('DELETE FROM glassbox_event_batch');
  return new Set(r.rows.map((row) => row.event_id));
}
