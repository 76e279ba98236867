// A batch's statistics partials on PostgreSQL, built an event at a time: each event's
// numeric values are read once into a row (value-log.ts) that the model and every slice it
// goes to share, logged in its slice's hour, and each hour's numeric columns are settled
// at once from its log (a sort a column) instead of one hash-table update a value. The
// partials are the same bytes as accumulating the events one by one
// (test/store/partial-stats-by-slice.test.ts), as SQLite's ingest head does
// (store/sqlite/data/stats-head.ts).
// An event at a time so that ingest can fold each line in as it is read (held-batch.ts):
// its parsed features then die young instead of being held until the batch commits.
import type { StatsContext } from '../../../domain/metrics/context.js';
import type { StatsEvent } from '../../../domain/metrics/stats-event.js';
import { addLogged, emptyStats, readRow, settleLog, valueRowsFor, type LoggedStats } from '../../../domain/metrics/window-stats.js';
import { RowLog, type ValueRows } from '../../../domain/metrics/value-log.js';
import { MODEL_SLICE } from '../../../domain/slices.js';
import { floorTo, HOUR_MS } from '../../../domain/time.js';
import type { SliceSet } from './slice-set.js';
import type { SliceHours } from './stats-rows.js';

type Event = StatsEvent & { ts: number; versionId: number | null };

/** Each UTC hour's statistics so far, in the order the hours first came. */
type Hours = Map<number, LoggedStats>;

function hourOf(hours: Hours, hour: number, ctx: StatsContext): LoggedStats {
  let s = hours.get(hour);
  if (!s) hours.set(hour, (s = { stats: emptyStats(ctx), log: new RowLog() }));
  return s;
}

/** Accumulates events into their partials per slice (0, the model, and each slice an event is in) and UTC hour. */
export class PartialsBuilder {
  private readonly rows: ValueRows;
  private readonly model: Hours = new Map();
  private readonly bySlice = new Map<number, Hours>();
  private readonly ctxOf: Map<number, StatsContext>;

  constructor(
    private readonly ctx0: StatsContext,
    private readonly set: SliceSet,
  ) {
    this.rows = valueRowsFor(ctx0);
    this.ctxOf = new Map(set.slices.map((sl) => [sl.id, sl.ctx]));
  }

  add(e: Event): void {
    const row = readRow(this.rows, e, this.ctx0);
    const hour = floorTo(e.ts, HOUR_MS);
    addLogged(hourOf(this.model, hour, this.ctx0), e, this.ctx0, this.rows, row);
    if (this.set.slices.length === 0) return;
    for (const id of this.set.route(e.versionId, e.features)) {
      const ctx = this.ctxOf.get(id)!;
      let hours = this.bySlice.get(id);
      if (!hours) this.bySlice.set(id, (hours = new Map()));
      addLogged(hourOf(hours, hour, ctx), e, ctx, this.rows, row);
    }
  }

  /** The statistics per slice (0 first, then the set's order) and hour; call once, after the last add. */
  finish(): SliceHours {
    const out: SliceHours = new Map();
    if (this.model.size > 0) out.set(MODEL_SLICE, this.settled(this.model, this.ctx0));
    for (const sl of this.set.slices) {
      const hours = this.bySlice.get(sl.id);
      if (hours) out.set(sl.id, this.settled(hours, sl.ctx));
    }
    return out;
  }

  private settled(hours: Hours, ctx: StatsContext): Map<number, LoggedStats['stats']> {
    const out = new Map<number, LoggedStats['stats']>();
    for (const [h, s] of hours) {
      if (s.log) settleLog(s.stats, ctx, this.rows, s.log);
      out.set(h, s.stats);
    }
    return out;
  }
}

/** The partials of a batch's stored events (in their order). */
export function partialStatsBySlice(ctx0: StatsContext, set: SliceSet, items: readonly Event[]): SliceHours {
  const b = new PartialsBuilder(ctx0, set);
  for (const e of items) b.add(e);
  return b.finish();
}
