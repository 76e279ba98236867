// The compaction loop: every `intervalMs`, one pass of the store's compaction
// (`store.data.compact`: partials folded into hours, roll-ups of ended spans built), giving
// way to ingest between steps. `run(deps, now)` is also what tests call.
import type { Deps } from '../services/deps.js';
import type { CompactReport } from '../store/ports/data.js';

export type { CompactReport } from '../store/ports/data.js';

/**
 * One full compaction pass at `now`; `shouldStop` ends it early between steps. With
 * `giveWay`, each step first waits for a pause in ingest (the timer's passes do).
 */
export function run(deps: Deps, now: number, shouldStop: () => boolean = () => false, giveWay = false): Promise<CompactReport> {
  return deps.store.data.compact(now, { shouldStop, giveWay });
}

export interface Compaction {
  /** Runs a pass now (after the one in progress, if any). */
  runNow(): Promise<CompactReport>;
  /** Stops the timer; waits for the step in progress. */
  stop(): Promise<void>;
}

/** Starts the loop (intervalMs 0: only on request). */
export function startCompaction(deps: Deps, intervalMs: number): Compaction {
  let stopped = false;
  let running = false;
  let current: Promise<CompactReport> = Promise.resolve({ partials: 0, hours: 0, rollups: 0 });
  const pass = () => {
    running = true;
    current = current
      .catch(() => undefined)
      .then(() => run(deps, deps.clock.now(), () => stopped, true))
      .then((r) => {
        if (r.partials > 0 || r.rollups > 0) deps.log.debug({ ...r }, 'statistics compacted');
        return r;
      })
      .finally(() => {
        running = false;
      });
    current.catch((err: unknown) => deps.log.error({ err }, 'statistics compaction failed'));
    return current;
  };
  const timer = intervalMs > 0 ? setInterval(() => {
        if (!running) void pass();
      }, intervalMs) : null;
  timer?.unref();
  return {
    runNow: pass,
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await current.catch(() => undefined);
    },
  };
}
