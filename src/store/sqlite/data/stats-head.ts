// The head of a model's ingest in this process (as in Prometheus): the statistics of its
// committed batches kept in memory per UTC hour and written as one partial per hour when
// due (every few seconds, when it grows large), before the model is read, and at close
// (shared-heads.ts), instead of one partial per hour per batch (a batch shuffled over a
// week touches ~170 hours; so does each 1000-event GraphQL call of such traffic). Exact
// under kill -9: each batch whose statistics are not written yet has a row in
// `stats_uncovered` (its range of event rows), committed with its events; the transaction
// that writes statistics for a batch deletes its row. Whoever deletes a row accounts for
// its events: the head itself, or recovery after a crash (`foldUncovered`, from the raw
// rows). A head that finds one of its rows gone (recovered, or covered by a rebuild)
// drops what it holds and folds the rows it still has from the raw rows.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../../domain/model.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { addLogged, emptyStats, readRow, settleLog, valueRowsFor, type ColumnStats, type StatsEvent, type WindowStats } from '../../../domain/metrics/window-stats.js';
import { RowLog, type ValueRows } from '../../../domain/metrics/value-log.js';
import { groupByHour, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../../domain/time.js';
import { presetPartialValues, trimPartialValues } from './stats-hints.js';
import { appendPartial, eventOf, modelSlices, noteIngestWrite } from './stats-store.js';
import { hintKey, itemsBySlice } from './slice-routing.js';

/** A stored event: its row id, timestamp and version with what the statistics take. */
export type HeadEvent = StatsEvent & { id: number; ts: number; versionId?: number | null };

/**
 * The statistics of one slice's hour being accumulated: its events' numeric values logged
 * (their rows) while it has few (most slices' hours: value-log.ts), then in its tables.
 */
interface HourStats {
  stats: WindowStats;
  ctx: StatsContext;
  log: RowLog | null;
}

/** Per slice (0 = the model), per hour: the statistics being accumulated, with the rows their logs point to. */
interface SliceHours {
  slices: Map<number, Map<number, HourStats>>;
  rows: ValueRows | null;
}

const noHours = (): SliceHours => ({ slices: new Map(), rows: null });

/** Estimated bytes of a head beyond which it is written out (a busy hour with a baseline is ~1.3 MB). */
const HEAD_MAX_BYTES = 48 * 2 ** 20;
/**
 * Events between two counts of a head's bytes, per slice (a count visits every slice's
 * hours; the head may pass HEAD_MAX_BYTES by what they add: ~6 MB with 11 slices).
 */
const BYTES_EVERY = 2000;
/** Events in a head at most: bounds what recovery reads back after a crash. */
const HEAD_MAX_EVENTS = 250_000;
/** Statistics of a streaming call reach readers at least this often (by the injected clock). */
export const HEAD_MAX_MS = 2 * SECOND_MS;
/** A row of another process untouched this long is taken as left by a crash. */
const ORPHAN_AFTER_MS = MINUTE_MS;

const PROCESS = randomUUID().slice(0, 13);
let heads = 0;
/** Owners of the heads open in this process: their rows are not recovered. */
const live = new Set<string>();

interface Stmts {
  insert: Database.Statement;
  owned: Database.Statement;
  deleteOwned: Database.Statement;
  deleteRow: Database.Statement;
  deleteModel: Database.Statement;
  all: Database.Statement;
  events: Database.Statement;
}

const statements = new WeakMap<Database.Database, Stmts>();

function stmts(sqlite: Database.Database): Stmts {
  let s = statements.get(sqlite);
  if (!s) {
    const p = (sql: string) => sqlite.prepare(sql);
    s = {
      insert: p('INSERT INTO stats_uncovered (model_id, first_id, last_id, owner, at) VALUES (?, ?, ?, ?, ?)'),
      owned: p('SELECT first_id, last_id FROM stats_uncovered WHERE owner = ? ORDER BY id').raw(),
      deleteOwned: p('DELETE FROM stats_uncovered WHERE owner = ?'),
      deleteRow: p('DELETE FROM stats_uncovered WHERE id = ?'),
      deleteModel: p('DELETE FROM stats_uncovered WHERE model_id = ?'),
      all: p('SELECT id, model_id, first_id, last_id, owner, at FROM stats_uncovered ORDER BY id').raw(),
      events: p(
        `SELECT ts, features, score, predicted_label, value, actual_label, actual_value, version_id, attributions FROM events
         WHERE id >= ? AND id <= ? AND model_id = ?`,
      ).raw(),
    };
    statements.set(sqlite, s);
  }
  return s;
}

const hourOf = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;

/**
 * The events grouped by hour, in arrival order within each: one hour's tables are then
 * worked on while they sit in the CPU's cache (a shuffled batch touches ~170 hours; taken
 * in arrival order, every event would land in another hour's tables). The same order
 * within an hour keeps every sum bit for bit what arrival order gives.
 */
export function byHour<T extends { ts: number }>(events: readonly T[]): Iterable<T[]> {
  return groupByHour(events, (e) => e.ts).values();
}

/** Rough bytes held by statistics being accumulated (Maps ~100 bytes an entry). */
function bytesOf({ stats: s, log }: HourStats): number {
  // called for every hour of every slice at each count: no allocation
  let n = 512 + (log ? log.bytes : 0) + columnBytes(s.output, log !== null);
  for (let i = 0; i < s.features.length; i++) n += columnBytes(s.features[i]!, log !== null);
  return n;
}

function columnBytes(c: ColumnStats, logging: boolean): number {
  if (c.kind === 'categorical') return c.counts.size * 100;
  // while an hour logs, its numeric values are in the log (counted apart), not in tables
  if (logging) return 0;
  let n = 0;
  if (c.hist) n += c.hist.form === 'dense' ? c.hist.counts.length * 16 : c.hist.form === 'map' ? c.hist.table.bytes : c.hist.idx.length * 24;
  if (c.values?.form === 'counts') n += c.values.bytes;
  return n;
}

/** Accumulates events into the hours of each slice they belong to. */
function addAll(hours: SliceHours, sqlite: Database.Database, model: ModelRecord, events: ReadonlyArray<StatsEvent & { ts: number; versionId?: number | null }>): void {
  const slices = itemsBySlice(sqlite, model, events.map((e, i) => i), (i) => events[i]!);
  // each event's numeric values read once, for the model and every slice it goes to
  const rows = (hours.rows ??= valueRowsFor(slices[0]!.ctx));
  const first = rows.n;
  for (const e of events) readRow(rows, e, slices[0]!.ctx);
  for (const { slice, ctx, items } of slices) {
    let mine = hours.slices.get(slice);
    if (!mine) hours.slices.set(slice, (mine = new Map()));
    const key = hintKey(model, slice);
    for (const group of groupByHour(items, (i) => events[i]!.ts).values()) {
      for (const i of group) {
        const e = events[i]!;
        const h = hourOf(e.ts);
        let s = mine.get(h);
        if (!s) {
          mine.set(h, (s = { stats: emptyStats(ctx), ctx, log: new RowLog() }));
          presetPartialValues(sqlite, key, h, s.stats);
        }
        addLogged(s, e, ctx, rows, first + i);
      }
    }
  }
}

function appendAll(sqlite: Database.Database, model: ModelRecord, hours: SliceHours): void {
  for (const [slice, mine] of hours.slices) {
    const key = hintKey(model, slice);
    for (const [h, { stats, ctx, log }] of mine) {
      if (log) settleLog(stats, ctx, hours.rows!, log);
      trimPartialValues(sqlite, key, h, stats, ctx);
      appendPartial(sqlite, model.id, slice, h, stats);
    }
  }
}

/** Accumulates the model's events of rows first..last (one uncovered batch) from the raw rows. */
function addRange(sqlite: Database.Database, model: ModelRecord, hours: SliceHours, first: number, last: number): void {
  const rows = stmts(sqlite).events.all(first, last, model.id) as Parameters<typeof eventOf>[0][];
  addAll(hours, sqlite, model, rows.map(eventOf));
}

/** The head of a model's predictions. Each method runs inside the caller's write transaction. */
export class StatsHead {
  private readonly owner = `${PROCESS}:${++heads}`;
  private hours: SliceHours = noHours();
  private key: string | null = null;
  /** rows written to stats_uncovered since the last write-out */
  private rows = 0;
  private events = 0;
  private since: number | null = null;
  /** events when the bytes were last counted */
  private sized = 0;
  /** the head may not match what is committed (a transaction failed): fold from raw rows */
  private lost = false;

  constructor() {
    live.add(this.owner);
  }

  /** Adds a batch's stored events; writes the head out when it is due. */
  add(sqlite: Database.Database, model: ModelRecord, events: HeadEvent[], now: number): void {
    this.check(sqlite, model);
    if (!this.lost) addAll(this.hours, sqlite, model, events);
    this.events += events.length;
    this.since ??= now;
    noteIngestWrite(sqlite);
    if (this.lost || this.due(now)) this.writeOut(sqlite, model, events);
    else if (events.length > 0) {
      stmts(sqlite).insert.run(model.id, events[0]!.id, events[events.length - 1]!.id, this.owner, now);
      this.rows++;
    }
  }

  /** The transaction of the last `add` failed: the head may hold events that were rolled back. */
  failed(): void {
    this.lost = true;
  }

  /** Whether committed batches wait to be written out. */
  pending(): boolean {
    return this.rows > 0 || this.lost;
  }

  /** Writes out what the committed batches hold (before a read, a call cut off), inside the caller's transaction. */
  flush(sqlite: Database.Database, model: ModelRecord): void {
    if (!this.pending()) return;
    this.check(sqlite, model);
    this.writeOut(sqlite, model, []);
  }

  /** The head is dropped unwritten: its rows, if any are left, may be recovered. */
  close(): void {
    live.delete(this.owner);
  }

  /** A new baseline, threshold or slice set: what the head holds is stale, take it from the raw rows. */
  private check(sqlite: Database.Database, model: ModelRecord): void {
    const { ctx, set } = modelSlices(sqlite, model);
    const key = `${ctx.statsKey}#${set.stamp}`;
    if (this.key !== null && this.key !== key) this.lost = true;
    this.key = key;
  }

  private due(now: number): boolean {
    if (this.events >= HEAD_MAX_EVENTS || (this.since !== null && now - this.since >= HEAD_MAX_MS)) return true;
    // bytes are counted over every slice's hours: only every BYTES_EVERY events a slice
    if (this.events < this.sized + BYTES_EVERY * Math.max(1, this.hours.slices.size)) return false;
    this.sized = this.events;
    let bytes = this.hours.rows?.bytes ?? 0;
    for (const mine of this.hours.slices.values()) for (const s of mine.values()) bytes += bytesOf(s);
    return bytes > HEAD_MAX_BYTES;
  }

  private writeOut(sqlite: Database.Database, model: ModelRecord, current: HeadEvent[]): void {
    const st = stmts(sqlite);
    const owned = st.owned.all(this.owner) as Array<[number, number]>;
    if (this.lost || owned.length !== this.rows) {
      // some batch was covered by someone else (or the head is unusable): the rest from the raw rows
      const hours = noHours();
      for (const [first, last] of owned) addRange(sqlite, model, hours, first, last);
      addAll(hours, sqlite, model, current);
      appendAll(sqlite, model, hours);
    } else appendAll(sqlite, model, this.hours);
    if (owned.length > 0) st.deleteOwned.run(this.owner);
    this.hours = noHours();
    this.rows = 0;
    this.events = 0;
    this.sized = 0;
    this.since = null;
    this.lost = false;
  }
}

/**
 * Which uncovered batches recovery takes: `crashed` those of heads dropped in this process or
 * untouched for a minute in another (the compaction pass), `stopped` every one whose head
 * is not open in this process (startup), `all` (before a purge or a backfill step).
 */
export type UncoveredScope = 'crashed' | 'stopped' | 'all';

function inScope(scope: UncoveredScope, owner: string, at: number, now: number): boolean {
  if (scope === 'all') return true;
  if (live.has(owner)) return false;
  return scope === 'stopped' || owner.startsWith(`${PROCESS}:`) || now - at >= ORPHAN_AFTER_MS;
}

type UncoveredRow = [number, number, number, number, string, number];

/**
 * Folds the model's uncovered batches in `scope` into partials from their raw rows, in the
 * caller's write transaction. Returns how many batches.
 */
export function foldUncovered(sqlite: Database.Database, model: ModelRecord, now: number, scope: UncoveredScope): number {
  const st = stmts(sqlite);
  const hours = noHours();
  let n = 0;
  for (const [id, modelId, first, last, owner, at] of st.all.all() as UncoveredRow[]) {
    if (modelId !== model.id || !inScope(scope, owner, at, now)) continue;
    addRange(sqlite, model, hours, first, last);
    st.deleteRow.run(id);
    n++;
  }
  appendAll(sqlite, model, hours);
  return n;
}

/** Models with uncovered batches in `scope`. */
export function modelsWithUncovered(sqlite: Database.Database, now: number, scope: UncoveredScope): number[] {
  const out = new Set<number>();
  for (const [, modelId, , , owner, at] of stmts(sqlite).all.all() as UncoveredRow[]) if (inScope(scope, owner, at, now)) out.add(modelId);
  return Array.from(out);
}

/** Forgets the model's uncovered batches: a rebuild from the raw rows covers them (caller's transaction). */
export function dropUncovered(sqlite: Database.Database, modelId: number): void {
  stmts(sqlite).deleteModel.run(modelId);
}
