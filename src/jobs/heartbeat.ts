// The heartbeat: this server records in the store that it is alive, at start and every
// HEARTBEAT_MS, and forgets itself at a graceful stop, so that `Query.server.liveInstances`
// counts the replicas sharing a database (src/store/ports/liveness.ts). No-op on SQLite.
import type { Deps } from '../services/deps.js';
import { beat, leave } from '../services/instances.js';
import { HEARTBEAT_MS } from '../store/ports/liveness.js';

export interface Heartbeat {
  /** Stops beating and forgets this instance; waits for a beat in progress. */
  stop(): Promise<void>;
}

/** Beats now and every `intervalMs`; a failed beat is logged and retried at the next tick. */
export function startHeartbeat(deps: Deps, instance: string, intervalMs = HEARTBEAT_MS): Heartbeat {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(() => beat(deps, instance)).catch((err: unknown) => deps.log.warn({ err, instance }, 'heartbeat failed; retrying at the next tick'));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await leave(deps, instance).catch((err: unknown) => deps.log.warn({ err, instance }, 'could not remove this instance from the live ones'));
    },
  };
}
