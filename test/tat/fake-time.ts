// Injected time for tests: nothing here touches real timers, so no test waits on the wall clock.

/** A clock whose sleeps complete at once by moving the clock forward (every delay is recorded). */
export function skippingTime(startMs = Date.UTC(2026, 10, 28, 1, 2, 3)) {
  let t = startMs;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    sleep: async (ms: number, signal?: AbortSignal): Promise<void> => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      t += ms;
      await Promise.resolve();
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

interface Timer {
  at: number;
  resolve: () => void;
}

/** A clock that only moves when the test calls `advance`; sleeps are abortable and stay pending until due. */
export function manualTime(startMs = Date.UTC(2026, 10, 28, 1, 2, 3)) {
  let t = startMs;
  let timers: Timer[] = [];
  const flush = () => new Promise<void>((r) => setImmediate(r));
  return {
    now: () => t,
    pending: () => timers.length,
    sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer: Timer = { at: t + ms, resolve };
        timers.push(timer);
        signal?.addEventListener(
          "abort",
          () => {
            timers = timers.filter((x) => x !== timer);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
    /** Moves the clock forward, firing due sleeps in time order and letting their continuations run. */
    async advance(ms: number): Promise<void> {
      const target = t + ms;
      for (;;) {
        await flush();
        const due = timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((x) => x !== due);
        t = Math.max(t, due.at);
        due.resolve();
      }
      t = target;
      await flush();
    },
  };
}
