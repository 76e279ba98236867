// Replay protection for Slack requests: keys (hashed) remembered until they expire.

export interface SlackSeenRepo {
  /** Prunes keys expired at `now`, then records `hash` until `expiresAt`; true when it was not already there. */
  claim(hash: string, now: number, expiresAt: number): Promise<boolean>;
  /** How many keys are remembered. */
  count(): Promise<number>;
}
