// What every service function takes first: storage, time and a logger (ARCHITECTURE:
// services receive their dependencies, they never reach for globals).
import type { OpenStore } from '../store/port.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { MetricReader } from '../domain/metrics/reads.js';
import type { Role } from '../domain/api-key.js';

export type { Role };

export interface Deps {
  /** SQLite or PostgreSQL: services see the port only */
  store: OpenStore;
  clock: Clock;
  log: Logger;
  /** where metric reads run (the server's read workers); absent: in process, on `store` */
  reads?: MetricReader;
  /** this server's name (GLASSBOX_INSTANCE, else host:pid): whose claims a claim is; absent: host:pid */
  instance?: string;
  /** whom services tell about their changes: the process's scheduler (startJobs) */
  events?: ServiceEvents;
}

/** What services announce after a change commits, so the rest of the process follows it. */
export interface ServiceEvents {
  /** a monitor was created, changed or deleted: the scheduler re-reads the monitors */
  monitorsChanged?: () => void;
}

/** Who is acting: the key's name, `local`, `admin` (bootstrap key) or `slack:<user id>`. */
export interface Actor {
  name: string;
  role: Role;
}

const RANK: Record<Role, number> = { VIEWER: 0, INGEST: 1, EDITOR: 2, ADMIN: 3 };

/** True when `role` may do what `needed` may. */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
