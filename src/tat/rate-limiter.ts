// A client-side limiter so that tat-assert never trips TAT's documented 20 requests/second/action
// limit by itself, however many specs poll at once. Every client in the process shares one instance
// by default, keyed by endpoint and action, because the service counts per action, not per client.
//
// Sliding window: a request may start when fewer than `limit` requests started in the last
// `intervalMs`. Waiters are served strictly in arrival order (one queue per key, one pump per
// queue), and a waiter whose signal aborts leaves the queue at once.

import { realSleep, type Sleep } from "./sleep.js";
import { REQUESTS_PER_SECOND_PER_ACTION } from "./types.js";

export interface RateLimiterOptions {
  /** Requests allowed per window. Default 20, TAT's documented limit per action. */
  limit?: number;
  /**
   * Window length in ms. Default 1100: the service counts arrival times over one second, so 100 ms
   * of headroom keeps network jitter between two requests a window apart from looking like a
   * burst (a RequestLimitExceeded that still happens, e.g. from another process, is retried).
   */
  intervalMs?: number;
  now?: () => number;
  sleep?: Sleep;
}

interface Waiter {
  resolve: () => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Lane {
  /** Start times of the most recent grants, oldest first, at most `limit` of them. */
  grants: number[];
  queue: Waiter[];
  pumping: boolean;
  /** Aborts the pump's sleep when its queue empties, so no timer outlives the last waiter. */
  wake?: AbortController;
}

export class RateLimiter {
  readonly limit: number;
  readonly intervalMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #lanes = new Map<string, Lane>();

  constructor(options: RateLimiterOptions = {}) {
    this.limit = options.limit ?? REQUESTS_PER_SECOND_PER_ACTION;
    this.intervalMs = options.intervalMs ?? 1100;
    if (!Number.isInteger(this.limit) || this.limit < 1) {
      throw new TypeError(`RateLimiter limit must be a positive integer, got ${this.limit}.`);
    }
    if (!Number.isFinite(this.intervalMs) || this.intervalMs <= 0) {
      throw new TypeError(
        `RateLimiter intervalMs must be a positive number, got ${this.intervalMs}.`,
      );
    }
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
  }

  /** Resolves when a request for `key` may start; rejects with the signal's reason on abort. */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const lane = this.#lane(key);
    if (lane.queue.length === 0 && this.#waitTime(lane) <= 0) {
      this.#grant(lane);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const at = lane.queue.indexOf(waiter);
          if (at >= 0) lane.queue.splice(at, 1);
          if (lane.queue.length === 0) lane.wake?.abort();
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      lane.queue.push(waiter);
      if (!lane.pumping) void this.#pump(lane);
    });
  }

  /** Requests waiting for `key` right now (for diagnostics and tests). */
  queued(key: string): number {
    return this.#lanes.get(key)?.queue.length ?? 0;
  }

  #lane(key: string): Lane {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { grants: [], queue: [], pumping: false };
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  #waitTime(lane: Lane): number {
    const now = this.#now();
    while (lane.grants.length > 0 && (lane.grants[0] as number) + this.intervalMs <= now) {
      lane.grants.shift();
    }
    if (lane.grants.length < this.limit) return 0;
    // Clamped: a clock that stepped backwards must not park the queue for longer than one window.
    return Math.min((lane.grants[0] as number) + this.intervalMs - now, this.intervalMs);
  }

  #grant(lane: Lane): void {
    lane.grants.push(this.#now());
    if (lane.grants.length > this.limit) lane.grants.shift();
  }

  async #pump(lane: Lane): Promise<void> {
    lane.pumping = true;
    try {
      while (lane.queue.length > 0) {
        const wait = this.#waitTime(lane);
        if (wait <= 0) {
          const waiter = lane.queue.shift() as Waiter;
          if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
          this.#grant(lane);
          waiter.resolve();
          continue;
        }
        const wake = new AbortController();
        lane.wake = wake;
        try {
          await this.#sleep(wait, wake.signal);
        } catch {
          // Woken early because the queue emptied; the loop condition ends the pump.
        } finally {
          lane.wake = undefined;
        }
      }
    } finally {
      lane.pumping = false;
    }
  }
}

/** The limiter every client uses unless given its own. */
export const defaultRateLimiter = new RateLimiter();

export function rateLimitKey(origin: string, action: string): string {
  return `${origin} ${action}`;
}
