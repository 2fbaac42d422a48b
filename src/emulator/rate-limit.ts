// Tencent's documented default: 20 requests per second per action. A sliding one-second window
// over the wall clock; only admitted requests count, so a client that backs off gets back in.
import { REQUESTS_PER_SECOND_PER_ACTION } from "../tat/types.js";

const WINDOW_MS = 1000;

export class RateLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly limit: number = REQUESTS_PER_SECOND_PER_ACTION) {}

  /** Records the request and returns true when it may proceed. */
  admit(action: string, nowMs: number): boolean {
    const recent = (this.admitted.get(action) ?? []).filter((t) => t > nowMs - WINDOW_MS);
    const ok = recent.length < this.limit;
    if (ok) recent.push(nowMs);
    this.admitted.set(action, recent);
    return ok;
  }
}
