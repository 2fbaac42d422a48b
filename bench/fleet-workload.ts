// The reference workload of bench/fleet.ts (issue 11): N tasks over 50 invocations, a 60 s
// runbook, 5 patterns on every output, maxInterval 5 s. Shared by the parent (which serves the
// scenario) and the child (which runs the gate over it).
import type { Scenario } from "../src/emulator/index.js";
import { generateFleet } from "../src/emulator/index.js";

export const REGION = "ap-guangzhou";
export const INVOCATIONS = 50;
export const MAX_INTERVAL_MS = 5_000;

/** A deploy log line that every pattern below reads (about 90 bytes). */
const LOG_LINE =
  "2026-11-28T01:00:00Z web: step done, deploy ok, version=2.4.1, HEALTHCHECK: passed in 12ms\n";

export interface Workload {
  tasks: number;
  /** Bytes of output per task (at most TAT's 24 KiB, so nothing is dropped). */
  outputBytes: number;
  /** Scenario seconds per real second: the emulator and the poller both run on this clock. A
   * faster clock multiplies every real stall (CPU shared with the emulator and the machine's other
   * work) into scenario time; at 10k tasks the emulator alone needs about 1 s of real time per
   * DescribeInvocations, so those run in real time. */
  speed: number;
  /** Run without the CLI's heap policy (src/heap-policy.ts): V8's defaults, the baseline row. */
  v8Defaults?: boolean;
}

export const WORKLOADS: Workload[] = [
  { tasks: 1_000, outputBytes: 2_000, speed: 2 },
  { tasks: 1_000, outputBytes: 24_000, speed: 2 },
  { tasks: 2_000, outputBytes: 2_000, speed: 2 },
  { tasks: 2_000, outputBytes: 24_000, speed: 2 },
  { tasks: 10_000, outputBytes: 2_000, speed: 1 },
  { tasks: 10_000, outputBytes: 24_000, speed: 1 },
];

export const INVOCATION_IDS = Array.from(
  { length: INVOCATIONS },
  (_, i) => `inv-fleet${String(i + 1).padStart(3, "0")}`,
);

/** Every invocation exists from the start (the gate runs after the runbook was sent); each one's
 * tasks start over 50 s and run 60 s, so tasks finish all along the wait. */
export function workloadScenario(w: Workload): Scenario {
  const perInvocation = w.tasks / INVOCATIONS;
  return generateFleet({
    invocations: INVOCATIONS,
    tasksPerInvocation: perInvocation,
    timeline: "PENDING@0s DELIVERING@0.5s RUNNING@1s SUCCESS@61s",
    stagger: `${Math.floor(50_000 / perInvocation)}ms`,
    output: LOG_LINE,
    outputRepeat: Math.floor(w.outputBytes / LOG_LINE.length),
    speed: w.speed,
  });
}

/** One output as the tasks print it, for the V8 RegExp baseline. */
export function workloadOutput(w: Workload): string {
  return LOG_LINE.repeat(Math.floor(w.outputBytes / LOG_LINE.length));
}

/** The 5 patterns, as the spec writes them and as V8 RegExp (the "speed of light"). */
export const MATCHES = [
  "deploy ok",
  "/version=\\d+\\.\\d+\\.\\d+/",
  "/HEALTH(CHECK)?:\\s+(ok|passed)/i",
];
export const NOT_MATCHES = ["/(ERROR|FATAL|panic):/", "Traceback (most recent call last)"];
export const V8_PATTERNS = [
  /deploy ok/,
  /version=\d+\.\d+\.\d+/,
  /HEALTH(CHECK)?:\s+(ok|passed)/i,
  /(ERROR|FATAL|panic):/,
  /Traceback \(most recent call last\)/,
];

export function workloadSpec(): string {
  const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(", ");
  return [
    "version: 1",
    "name: fleet",
    `region: ${REGION}`,
    `target: { invocationIds: [${INVOCATION_IDS.join(", ")}] }`,
    // minInterval stays at its default (2 s): the reference workload sets only maxInterval.
    `wait: { timeout: 20m, maxInterval: ${MAX_INTERVAL_MS}ms }`,
    "expect:",
    "  exitCode: 0",
    `  output: { matches: [${list(MATCHES)}], notMatches: [${list(NOT_MATCHES)}] }`,
    // FLEET_CONSISTENCY=1: the same workload with a captured version every task must share
    // (issue 15), to compare what a run keeps with and without it.
    ...(process.env.FLEET_CONSISTENCY === "1"
      ? ["  capture: { version: '/version=([^,]+),/' }", "fleet: { same: version }"]
      : []),
    "",
  ].join("\n");
}
