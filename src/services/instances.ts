// Which server answered and how many are alive (Query.server, GET /healthz). The count
// comes from the store's heartbeats (src/store/ports/liveness.ts), never from this
// process's memory, so that any replica gives the same answer.
import { hostname } from 'node:os';
import type { Deps } from './deps.js';
import type { StoreKind } from '../store/port.js';
import { VERSION } from '../version.js';

export interface ServerInfo {
  version: string;
  store: StoreKind;
  instance: string;
  liveInstances: number;
}

/** This process's name: GLASSBOX_INSTANCE when set, else `host:pid`. */
export function instanceName(configured: string | undefined): string {
  return configured ?? `${hostname()}:${process.pid}`;
}

/** The name this process's claims (outbox rows, ticks, the daily run) are held under. */
export function thisInstance(deps: Deps): string {
  return deps.instance ?? instanceName(undefined);
}

/** What `Query.server` answers for the server named `instance`. */
export async function serverInfo(deps: Deps, instance: string): Promise<ServerInfo> {
  return { version: VERSION, store: deps.store.kind, instance, liveInstances: await deps.store.liveness.live(deps.clock.now()) };
}

/** The store's kind once it answers a trivial query; rejects when it does not. */
export async function storeHealth(deps: Deps): Promise<StoreKind> {
  await deps.store.liveness.ping();
  return deps.store.kind;
}

/** Records that `instance` is alive now (a no-op on SQLite). */
export function beat(deps: Deps, instance: string): Promise<void> {
  return deps.store.liveness.beat(instance, deps.clock.now());
}

/** Forgets `instance` at a graceful stop, so it stops counting at once. */
export function leave(deps: Deps, instance: string): Promise<void> {
  return deps.store.liveness.leave(instance);
}

/**
 * Releases, at start-up, the claims on scheduled work (ticks, the daily run) that this
 * instance's previous run left open (every open one on SQLite: one process per file).
 */
export function releaseWorkClaims(deps: Deps): Promise<number> {
  return deps.store.claims.release(thisInstance(deps));
}
