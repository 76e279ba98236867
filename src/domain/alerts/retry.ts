// When to try a failed delivery again. Exponential backoff with "equal jitter" (half the
// delay fixed, half random) so that many deliveries failing together do not retry in
// step; a receiver's Retry-After wins; after `maxAttempts` the delivery is given up.
import { HOUR_MS } from '../time.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 10_000, capMs: HOUR_MS };

/** No retry sooner than this, so a `Retry-After: 0` cannot spin. */
const FLOOR_MS = 1_000;

/**
 * The delay before the next attempt after failed attempt `attempt` (1-based), or null to
 * give up. `random` is in [0, 1) (injected, for tests). `retryAfterMs`, when the receiver
 * sent one, replaces the backoff, up to the cap.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: number, retryAfterMs?: number): number | null {
  if (attempt >= policy.maxAttempts) return null;
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) return Math.min(policy.capMs, Math.max(FLOOR_MS, retryAfterMs));
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(FLOOR_MS, Math.round(exp / 2 + (random * exp) / 2));
}
