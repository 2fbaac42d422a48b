import { describe, expect, test } from "@jest/globals";
import { refreshingProvider, refreshMarginMs } from "../../src/credentials/refreshing-provider.js";
import type { Credentials } from "../../src/credentials/types.js";
import { CredentialsError } from "../../src/errors.js";
import { rejection, testClock } from "./helpers.js";

const HOUR = 3600_000;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fetcher handing out numbered credentials that live `lifetimeMs` from the clock's now. */
function numbered(now: () => number, lifetimeMs: number) {
  let n = 0;
  const fetcher = async (): Promise<Credentials> => {
    n += 1;
    return {
      secretId: `id-${n}`,
      secretKey: `key-${n}`,
      token: `t-${n}`,
      expiresAt: now() + lifetimeMs,
    };
  };
  return { fetcher, calls: () => n };
}

describe("refresh policy", () => {
  test("five minutes before expiry, or half the lifetime for short-lived credentials", () => {
    expect(refreshMarginMs(0, 2 * HOUR)).toBe(5 * 60_000);
    expect(refreshMarginMs(0, 10 * 60_000)).toBe(5 * 60_000);
    expect(refreshMarginMs(0, 60_000)).toBe(30_000);
    expect(refreshMarginMs(1000, 500)).toBe(0);
  });
});

describe("refreshingProvider", () => {
  test("fetches on first use, serves the cache, refreshes at the margin", async () => {
    const clock = testClock();
    const { fetcher, calls } = numbered(clock.now, HOUR);
    const provider = refreshingProvider({
      source: "test",
      fetchCredentials: fetcher,
      now: clock.now,
    });
    expect(provider.source).toBe("test");
    expect((await provider.get()).secretId).toBe("id-1");
    clock.advance(HOUR - 5 * 60_000 - 1);
    expect((await provider.get()).secretId).toBe("id-1");
    clock.advance(1);
    expect((await provider.get()).secretId).toBe("id-2");
    expect(calls()).toBe(2);
  });

  test("initial credentials are used without a fetch; long-term ones never refresh", async () => {
    const clock = testClock();
    const { fetcher, calls } = numbered(clock.now, HOUR);
    const initial = { secretId: "AKIDlong", secretKey: "k" };
    const provider = refreshingProvider({
      source: "t",
      fetchCredentials: fetcher,
      now: clock.now,
      initial,
    });
    clock.advance(1000 * HOUR);
    expect(await provider.get()).toBe(initial);
    expect(calls()).toBe(0);
  });

  test("concurrent callers during a refresh share one fetch", async () => {
    const clock = testClock();
    const pending = deferred<Credentials>();
    let calls = 0;
    const provider = refreshingProvider({
      source: "t",
      fetchCredentials: () => {
        calls += 1;
        return pending.promise;
      },
      now: clock.now,
      initial: { secretId: "old", secretKey: "k", expiresAt: clock.now() + 60_000 },
    });
    clock.advance(45_000);
    const waiting = Array.from({ length: 5 }, () => provider.get());
    pending.resolve({ secretId: "new", secretKey: "k2", expiresAt: clock.now() + HOUR });
    const results = await Promise.all(waiting);
    expect(calls).toBe(1);
    expect(results.map((c) => c.secretId)).toEqual(["new", "new", "new", "new", "new"]);
    expect((await provider.get()).secretId).toBe("new");
    expect(calls).toBe(1);
  });

  test("a failed refresh falls back to still-valid credentials, then surfaces once they expire", async () => {
    const clock = testClock();
    let fail = true;
    let calls = 0;
    const provider = refreshingProvider({
      source: "t",
      fetchCredentials: async () => {
        calls += 1;
        if (fail) throw new CredentialsError("STS is down");
        return { secretId: "fresh", secretKey: "k", expiresAt: clock.now() + HOUR };
      },
      now: clock.now,
      initial: { secretId: "old", secretKey: "k", expiresAt: clock.now() + HOUR },
    });
    clock.advance(56 * 60_000);
    expect((await provider.get()).secretId).toBe("old");
    expect((await provider.get()).secretId).toBe("old"); // tries again each time
    expect(calls).toBe(2);
    clock.advance(4 * 60_000);
    await expect(provider.get()).rejects.toThrow("STS is down");
    fail = false;
    expect((await provider.get()).secretId).toBe("fresh");
  });

  test("one caller giving up does not cancel the refresh for the others", async () => {
    const clock = testClock();
    const pending = deferred<Credentials>();
    const provider = refreshingProvider({
      source: "t",
      fetchCredentials: () => pending.promise,
      now: clock.now,
    });
    const controller = new AbortController();
    const abandoned = provider.get(controller.signal);
    const patient = provider.get();
    controller.abort(new Error("cancelled by the caller"));
    expect((await rejection(abandoned)).message).toBe("cancelled by the caller");
    pending.resolve({ secretId: "shared", secretKey: "k" });
    expect((await patient).secretId).toBe("shared");
    await expect(provider.get(AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
  });
});
