// LivenessRepo on SQLite: one server process per file, so no heartbeat table.
import type { LivenessRepo } from '../ports/liveness.js';
import type { SqliteContext } from './context.js';

/** The SQLite liveness repository. */
export function sqliteLiveness({ tx, statement }: SqliteContext): LivenessRepo {
  return {
    ping: () => tx.exec(() => void statement('SELECT 1').get()),
    beat: async () => {},
    leave: async () => {},
    live: async () => 1,
  };
}
