// LivenessRepo on PostgreSQL: one heartbeat row a server process (table `instances`).
import { sql } from 'drizzle-orm';
import { LIVE_WITHIN_MS, type LivenessRepo } from '../ports/liveness.js';
import type { PgContext } from './context.js';
import { int8 } from './int8.js';
import { DAY_MS } from '../../domain/time.js';

/** The PostgreSQL liveness repository. */
export function pgLiveness({ tx }: PgContext): LivenessRepo {
  return {
    ping: async () => {
      await tx.q().execute(sql`SELECT 1`);
    },
    // rows of processes gone for a day (killed, never left) go with the next beat of anyone
    beat: async (instance, now) => {
      const q = tx.q();
      await q.execute(sql`DELETE FROM instances WHERE beat_at < ${now - DAY_MS}`);
      await q.execute(sql`INSERT INTO instances (name, started_at, beat_at) VALUES (${instance}, ${now}, ${now})
        ON CONFLICT (name) DO UPDATE SET beat_at = EXCLUDED.beat_at`);
    },
    leave: async (instance) => {
      await tx.q().execute(sql`DELETE FROM instances WHERE name = ${instance}`);
    },
    live: async (now) => int8((await tx.q().execute<{ n: unknown }>(sql`SELECT count(*) AS n FROM instances WHERE beat_at > ${now - LIVE_WITHIN_MS}`)).rows[0]!.n),
  };
}
