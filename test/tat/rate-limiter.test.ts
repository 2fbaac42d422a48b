import { describe, expect, test } from "@jest/globals";
import { RateLimiter, rateLimitKey } from "../../src/tat/rate-limiter.js";
import { manualTime, skippingTime } from "./fake-time.js";

/** True when no `limit + 1` grants fall within one window. */
function withinLimit(grants: number[], limit: number, intervalMs: number): boolean {
  const sorted = [...grants].sort((a, b) => a - b);
  for (let i = limit; i < sorted.length; i++) {
    if ((sorted[i] as number) - (sorted[i - limit] as number) < intervalMs) return false;
  }
  return true;
}

describe("RateLimiter", () => {
  test("lets `limit` requests through at once, then one window later", async () => {
    const time = manualTime();
    const limiter = new RateLimiter({ limit: 3, intervalMs: 1000, ...time });
    const start = time.now();
    const grants: number[] = [];
    const all = Promise.all(
      Array.from({ length: 8 }, () =>
        limiter.acquire("k").then(() => grants.push(time.now() - start)),
      ),
    );
    for (let i = 0; i < 25; i++) await time.advance(100);
    await all;
    expect(grants).toEqual([0, 0, 0, 1000, 1000, 1000, 2000, 2000]);
  });

  test("default is TAT's 20 per second with headroom: 50 callers never exceed 20 per window", async () => {
    const time = manualTime();
    const limiter = new RateLimiter(time);
    expect(limiter.limit).toBe(20);
    expect(limiter.intervalMs).toBeGreaterThanOrEqual(1000);
    const grants: number[] = [];
    const all = Promise.all(
      Array.from({ length: 50 }, () => limiter.acquire("k").then(() => grants.push(time.now()))),
    );
    for (let i = 0; i < 40; i++) await time.advance(100);
    await all;
    expect(grants).toHaveLength(50);
    expect(withinLimit(grants, 20, 1000)).toBe(true);
    expect(Math.max(...grants) - Math.min(...grants)).toBeLessThan(2 * limiter.intervalMs + 1);
  });

  test("serves waiters in arrival order (FIFO)", async () => {
    const time = skippingTime();
    const limiter = new RateLimiter({ limit: 2, intervalMs: 1000, ...time });
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) => limiter.acquire("k").then(() => order.push(i))),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test("a request arriving later queues behind waiters instead of jumping ahead", async () => {
    const time = manualTime();
    const limiter = new RateLimiter({ limit: 1, intervalMs: 1000, ...time });
    const order: string[] = [];
    const a = limiter.acquire("k").then(() => order.push("a"));
    const b = limiter.acquire("k").then(() => order.push("b"));
    await time.advance(1000); // b's slot is due now
    const c = limiter.acquire("k").then(() => order.push("c"));
    await time.advance(1000);
    await Promise.all([a, b, c]);
    expect(order).toEqual(["a", "b", "c"]);
  });

  test("keys are independent: one busy action does not delay another", async () => {
    const time = manualTime();
    const limiter = new RateLimiter({ limit: 1, intervalMs: 1000, ...time });
    const busy = rateLimitKey("http://x", "DescribeInvocations");
    await limiter.acquire(busy);
    const queued = limiter.acquire(busy);
    let other = false;
    void limiter.acquire(rateLimitKey("http://x", "DescribeInvocationTasks")).then(() => {
      other = true;
    });
    await time.advance(0);
    expect(other).toBe(true);
    expect(limiter.queued(busy)).toBe(1);
    await time.advance(1000);
    await queued;
    expect(limiter.queued(busy)).toBe(0);
  });

  test("the window slides: a slot frees exactly one interval after the grant that filled it", async () => {
    const time = manualTime();
    const limiter = new RateLimiter({ limit: 2, intervalMs: 1000, ...time });
    await limiter.acquire("k");
    await time.advance(400);
    await limiter.acquire("k");
    let third = false;
    const p = limiter.acquire("k").then(() => {
      third = true;
    });
    await time.advance(599);
    expect(third).toBe(false);
    await time.advance(1);
    await p;
    expect(third).toBe(true);
  });

  test("abort removes the waiter at once with the signal's reason and frees its place", async () => {
    const time = manualTime();
    const limiter = new RateLimiter({ limit: 1, intervalMs: 1000, ...time });
    await limiter.acquire("k");
    const controller = new AbortController();
    const reason = new Error("stop");
    const order: string[] = [];
    const aborted = limiter.acquire("k", controller.signal).then(
      () => order.push("aborted-granted"),
      (e: unknown) => {
        order.push("aborted");
        return e;
      },
    );
    const next = limiter.acquire("k").then(() => order.push("next"));
    controller.abort(reason);
    expect(await aborted).toBe(reason);
    expect(limiter.queued("k")).toBe(1);
    await time.advance(1000);
    await next;
    expect(order).toEqual(["aborted", "next"]);
  });

  test("an already aborted signal rejects without queueing", async () => {
    const limiter = new RateLimiter({ limit: 1, intervalMs: 1000, ...manualTime() });
    const reason = new Error("gone");
    await expect(limiter.acquire("k", AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(limiter.queued("k")).toBe(0);
  });

  test("when the last waiter aborts, the pump's sleep is cancelled too", async () => {
    const time = manualTime();
    const limiter = new RateLimiter({ limit: 1, intervalMs: 1000, ...time });
    await limiter.acquire("k");
    const controller = new AbortController();
    const p = limiter.acquire("k", controller.signal).catch(() => "aborted");
    await time.advance(0);
    expect(time.pending()).toBe(1);
    controller.abort();
    expect(await p).toBe("aborted");
    await time.advance(0);
    expect(time.pending()).toBe(0);
  });

  test("rejects nonsensical options", () => {
    expect(() => new RateLimiter({ limit: 0 })).toThrow(/limit/);
    expect(() => new RateLimiter({ intervalMs: -1 })).toThrow(/intervalMs/);
  });
});
