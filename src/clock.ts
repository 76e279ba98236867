/** The only source of "now". main.ts makes the system clock; tests pass a fixed one. */
export interface Clock {
  now(): number;
}

/** Wall-clock time in epoch milliseconds. */
export function systemClock(): Clock {
  return { now: () => Date.now() };
}

/** A clock that stands still until moved: for tests and backtests. */
export function fixedClock(start: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
