// Task timelines run on a Clock, never on wall time directly, so tests can jump forward instead
// of sleeping. Signature expiry and rate limits use a separate wall clock (see server options).

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export type ManualClock = Clock & { advance(ms: number): void; set(ms: number): void };

/** 2026-11-28T01:00:00Z: a fixed default so timestamps in tests are reproducible. */
export const DEFAULT_MANUAL_START_MS = Date.UTC(2026, 10, 28, 1, 0, 0);

export function manualClock(startMs: number = DEFAULT_MANUAL_START_MS): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
    set(ms: number) {
      current = ms;
    },
  };
}

/** Real time running `speed` times faster (or slower) from the moment it is created. */
export function scaledClock(speed: number, wallNow: () => number = Date.now): Clock {
  const origin = wallNow();
  return { now: () => origin + (wallNow() - origin) * speed };
}
