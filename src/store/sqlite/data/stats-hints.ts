// What this process knows about an hour's exact values: once more than HOUR_PARTS distinct
// values of a column reached the hour, its merged values are null for good (more events
// never bring them back), so later partials of that hour need not carry them. Without
// this, a batch spread over a week would write every value of every column in ~170
// partials. Only a saving: not knowing (another process, a restart) just writes them.
// A failed write transaction forgets the model's hints (they may hold its values).
import type Database from 'better-sqlite3';
import { HOUR_PARTS } from '../../../domain/metrics/merge-stats.js';
import { dropExactValues, type WindowStats } from '../../../domain/metrics/window-stats.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { addDistinct, sortedValues, type DistinctValues } from '../../../domain/metrics/exact-values.js';

/** Values held in all open sets at most (then the least recently used hours go). */
const MAX_TRACKED_VALUES = 400_000;

/** What a new hour's sets start from (addDistinct replaces it as they grow, never writes into it). */
const EMPTY = new Float64Array(0);

interface HourHint {
  /** per column (features, then output): the values seen, or null once over HOUR_PARTS */
  seen: Array<DistinctValues | null>;
  size: number;
}


interface Hints {
  hours: Map<string, HourHint>;
  tracked: number;
}

const all = new WeakMap<Database.Database, Hints>();

function hintsOf(sqlite: Database.Database): Hints {
  let h = all.get(sqlite);
  if (!h) all.set(sqlite, (h = { hours: new Map(), tracked: 0 }));
  return h;
}

const keyOf = (modelKey: string, hour: number) => `${modelKey}|${hour}`;

/**
 * Drops from `part` (a partial of the hour, before it is stored) the exact values of the
 * columns whose hour is known to be past HOUR_PARTS distinct values, learning from it.
 * `modelKey` must change when the model's id is reused.
 */
export function trimPartialValues(sqlite: Database.Database, modelKey: string, hour: number, part: WindowStats, ctx: StatsContext): void {
  const hints = hintsOf(sqlite);
  const key = keyOf(modelKey, hour);
  const cols = [...part.features, part.output];
  const ctxs = [...ctx.features, ctx.output];
  let hint = hints.hours.get(key);
  if (hint) hints.hours.delete(key);
  else hint = { seen: cols.map(() => ({ v: EMPTY, n: 0 })), size: 0 };
  hints.hours.set(key, hint);
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    if (c.kind !== 'numeric' || c.values === null) continue;
    const seen = hint.seen[i];
    if (!seen) {
      dropExactValues(c, ctxs[i]!);
      continue;
    }
    const mine = sortedValues(c.values);
    const before = seen.n;
    if (addDistinct(seen, mine.v, HOUR_PARTS)) c.values = mine;
    else {
      hint.seen[i] = null;
      dropExactValues(c, ctxs[i]!);
    }
    const after = hint.seen[i] ? seen.n : 0;
    hints.tracked += after - before;
    hint.size += after - before;
  }
  while (hints.tracked > MAX_TRACKED_VALUES && hints.hours.size > 1) {
    const [k, h] = hints.hours.entries().next().value!;
    hints.hours.delete(k);
    hints.tracked -= h.size;
  }
}

/** Starts a partial of the hour without exact values where the hour is known to be past them (saves accumulating them). */
export function presetPartialValues(sqlite: Database.Database, modelKey: string, hour: number, part: WindowStats): void {
  const hint = hintsOf(sqlite).hours.get(keyOf(modelKey, hour));
  if (!hint) return;
  const cols = [...part.features, part.output];
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    if (c.kind === 'numeric' && !hint.seen[i]) c.values = null;
  }
}

/** Forgets every hint (a write transaction failed: its values never reached the hours). */
export function forgetStatsHints(sqlite: Database.Database): void {
  all.delete(sqlite);
}
