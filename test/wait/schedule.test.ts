import { describe, expect, test } from "@jest/globals";
import { backoffDelay, lastPollLeadMs, nextPoll } from "../../src/wait/schedule.js";

describe("poll schedule", () => {
  test.each([
    [0, 0, 1000],
    [0, 1, 1000],
    [1, 0, 2000],
    [1, 1, 1900],
    [3, 1, 7300],
    [10, 0, 30_000],
    [10, 1, 27_100],
    [10, 0.5, 28_550],
  ])("attempt %i with random %f waits %i ms (min 1s, max 30s)", (attempt, random, expected) => {
    expect(backoffDelay(attempt, 1000, 30_000, () => random)).toBe(expected);
  });

  test("delays stay between the minimum and the maximum interval whatever the jitter", () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      for (const r of [0, 0.3, 0.999]) {
        const d = backoffDelay(attempt, 2000, 30_000, () => r);
        expect(d).toBeGreaterThanOrEqual(2000);
        expect(d).toBeLessThanOrEqual(30_000);
      }
    }
  });

  test("when the next delay would reach the deadline, the last poll is taken just before it", () => {
    const next = nextPoll({
      attempt: 5,
      minIntervalMs: 2000,
      maxIntervalMs: 30_000,
      now: 100_000,
      deadline: 110_000,
      random: () => 0.9,
    });
    expect(next).toEqual({ kind: "poll", delayMs: 10_000 - lastPollLeadMs(2000), last: true });
  });

  test("a regular poll when there is time", () => {
    const next = nextPoll({
      attempt: 0,
      minIntervalMs: 2000,
      maxIntervalMs: 30_000,
      now: 0,
      deadline: 600_000,
      random: () => 0,
    });
    expect(next).toEqual({ kind: "poll", delayMs: 2000, last: false });
  });

  test("at or past the deadline there is no further poll", () => {
    const input = { attempt: 0, minIntervalMs: 2000, maxIntervalMs: 30_000, random: () => 0 };
    expect(nextPoll({ ...input, now: 10_000, deadline: 10_000 })).toEqual({ kind: "deadline" });
    expect(nextPoll({ ...input, now: 10_001, deadline: 10_000 })).toEqual({ kind: "deadline" });
  });

  test("the lead before the deadline is bounded", () => {
    expect(lastPollLeadMs(100)).toBe(50);
    expect(lastPollLeadMs(2000)).toBe(1000);
    expect(lastPollLeadMs(60_000)).toBe(1000);
  });
});
