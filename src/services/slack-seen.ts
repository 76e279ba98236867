// Replay protection for Slack requests, in the database so that replicas share it: a key
// (a request's signature, a button press) is accepted once while it can still arrive.
import { createHash } from 'node:crypto';
import type { Deps } from './deps.js';

/**
 * Records `key` as seen until `expiresAt` (epoch ms) and says whether this is its first
 * sighting. Keys whose time is over are pruned first, so the table holds only what the
 * five-minute signature window can still bring: bounded by Slack's request rate.
 */
export function firstSighting(deps: Deps, key: string, expiresAt: number): Promise<boolean> {
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  return deps.store.slackSeen.claim(hash, deps.clock.now(), expiresAt);
}

/** How many keys are remembered now (for tests and metrics). */
export function seenCount(deps: Deps): Promise<number> {
  return deps.store.slackSeen.count();
}
