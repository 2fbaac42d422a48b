// The one scenario poll-cost.ts measures, shared by the parent (which serves it) and the child
// runs (which need the ids and counts): 2,000 tasks across 20 invocations, created one scenario
// second apart, each invocation's tasks starting 200 ms apart and taking 10 s, on an emulator
// running 10× real time. The last task ends at 48.8 s of scenario time, about 4.9 s of real time.
import type { Clock, Scenario } from "../src/emulator/index.js";
import { generateFleet } from "../src/emulator/index.js";

export const REGION = "ap-guangzhou";
export const INVOCATIONS = 20;
export const TASKS_PER_INVOCATION = 100;
export const TOTAL_TASKS = INVOCATIONS * TASKS_PER_INVOCATION;
/** Scenario seconds per real second. */
export const SPEED = 10;
/** The poller's minimum and maximum interval (real time), and the naive poller's fixed interval. */
export const MIN_INTERVAL_MS = 200;
export const MAX_INTERVAL_MS = 1000;

/** What each task prints: a deploy log of about 2 KB whose lines all say "deploy ok". */
const LOG_LINE = "2026-11-28T01:00:00Z web: step done, deploy ok, health checks passed\n";
const LOG_REPEAT = 30;
export const OUTPUT_NEEDLE = "deploy ok";
export const OUTPUT_BYTES = LOG_LINE.length * LOG_REPEAT;

export const INVOCATION_IDS = Array.from(
  { length: INVOCATIONS },
  (_, i) => `inv-fleet${String(i + 1).padStart(3, "0")}`,
);

export function benchScenario(): Scenario {
  return generateFleet({
    invocations: INVOCATIONS,
    tasksPerInvocation: TASKS_PER_INVOCATION,
    timeline: "PENDING@0s DELIVERING@0.5s RUNNING@1s SUCCESS@10s",
    stagger: "200ms",
    invocationGap: "1s",
    output: LOG_LINE,
    outputRepeat: LOG_REPEAT,
    speed: SPEED,
  });
}

/** Scenario milliseconds at which the last task reaches its final status. */
export function lastFinishMs(scenario: Scenario): number {
  let last = 0;
  for (const inv of scenario.invocations) {
    for (const task of inv.tasks) last = Math.max(last, task.timeline.at(-1)?.atMs ?? 0);
  }
  return last;
}

/**
 * Scenario time that stands still until `start()`: a child process takes a moment to boot, and the
 * tasks must not run ahead of the poller that watches them.
 */
export function gatedClock(speed: number): Clock & { start(): number } {
  const origin = Date.now();
  let startedAt: number | undefined;
  return {
    now: () => (startedAt === undefined ? origin : origin + (Date.now() - startedAt) * speed),
    start() {
      startedAt = Date.now();
      return startedAt;
    },
  };
}
