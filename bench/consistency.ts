// Benchmark: what `capture:` and `fleet:` cost in memory as the fleet grows (issue 15). The spec
// judges N tasks as a run does (SpecTally: each task judged as its record arrives, its output
// dropped), then concludes. Retained heap after a full GC, with the tally and its verdict alive,
// is measured for four specs at 1,000 and 10,000 tasks:
//   plain:    exitCode 0 and one `matches` (the baseline)
//   capture:  + capture version (each verdict holds its value: a per-task cost, like any result)
//   fleet:    + fleet same/distinct/equals on it, 3% of the tasks on an old version
//   fleet, all distinct: + fleet same where every task has its own value (the tally's cap)
// The claim: `fleet:` adds no per-task memory beyond the capture itself, so "fleet − capture"
// stays flat from 1k to 10k tasks (bounded by 100 values × 10 instance ids per capture).
//
//   node --import tsx --expose-gc bench/consistency.ts        # about 30 s
import { SpecTally } from "../src/match/tally.js";
import type { Observation, Spec, TaskObservation } from "../src/model.js";
import { parseSpecs } from "../src/spec/load.js";
import { mb, ratio, table } from "./lib/table.js";

if (typeof globalThis.gc !== "function") {
  console.error("run with --expose-gc: retained heap is measured after a full collection");
  process.exit(2);
}
const gc = globalThis.gc as () => void;

const HEAD = "version: 1\ntarget: { invocationId: inv-bench001 }\nexpect:\n  exitCode: 0\n";
const CAPTURE = "  capture:\n    version: '/deployed version=(\\S+)/'\n";
const MATCHES = "  output:\n    matches: 'health ok'\n";
const SPECS: Record<string, string> = {
  plain: `${HEAD}${MATCHES}`,
  capture: `${HEAD}${CAPTURE}${MATCHES}`,
  fleet: `${HEAD}${CAPTURE}${MATCHES}fleet:\n  same: version\n  distinct: { of: version, max: 2 }\n  equals: { version: '1.4.2+g3f9c2a7d41e0b5c6a8d9e7f1b2c3d4e5f6a7b8c9' }\n`,
  "fleet, all distinct": `${HEAD}${CAPTURE}${MATCHES}fleet:\n  same: version\n`,
};

function spec(text: string): Spec {
  const { specs, issues } = parseSpecs(text, "bench.yml", { env: {} });
  if (issues.length > 0 || !specs[0]) throw new Error(JSON.stringify(issues));
  return specs[0];
}

/** About 2 KB of output per task, as a deploy prints; built per task and dropped once judged. */
function output(i: number, allDistinct: boolean): string {
  // A release and a commit, as deploys print them: long enough (≥ 13 characters) that a value
  // cut from the output without copying would keep the whole output alive.
  const release = allDistinct ? `1.4.${i}` : i % 33 === 0 ? "1.4.1" : "1.4.2";
  const version = `${release}+g3f9c2a7d41e0b5c6a8d9e7f1b2c3d4e5f6a7b8c9`;
  const noise = `step ${i}: ${"x".repeat(90)}\n`.repeat(20);
  return `${noise}deployed version=${version}\nhealth ok\n`;
}

function taskOf(i: number, out: string): TaskObservation {
  const id = String(i).padStart(8, "0");
  return {
    invocationId: "inv-bench001",
    taskId: `invt-${id}`,
    instanceId: `ins-${id}`,
    status: "SUCCESS",
    terminal: true,
    exitCode: 0,
    output: out,
    outputFetched: true,
    droppedBytes: 0,
    execStartTime: "2026-01-01T00:00:01Z",
    execEndTime: "2026-01-01T00:00:31Z",
    history: [],
  };
}

/** Retained heap (bytes) with the tally and the spec's verdict alive; and the verdict's outcome. */
function retained(
  text: string,
  n: number,
  allDistinct: boolean,
): { bytes: number; outcome: string } {
  const s = spec(text);
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const tally = new SpecTally(s);
  // The wait keeps each task without its output (ObservedTask); the same is kept here.
  const observed: Observation["tasks"] = [];
  for (let i = 0; i < n; i++) {
    const t = taskOf(i, output(i, allDistinct));
    tally.add(t);
    const { output: _dropped, ...kept } = t;
    observed.push(kept);
  }
  const observation: Observation = {
    state: "terminal",
    tasks: observed,
    invocations: [{ invocationId: "inv-bench001" }],
    startedAt: "2026-01-01T00:00:00.000Z",
    endedAt: "2026-01-01T00:01:00.000Z",
    polls: 1,
    deadlineMs: 600_000,
    statusCounts: { SUCCESS: n },
    apiErrors: [],
  };
  const verdict = tally.verdict(observation);
  gc();
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  // Kept alive until measured.
  if (verdict.tasks.length !== n || observed.length !== n) throw new Error("lost tasks");
  return { bytes, outcome: verdict.outcome };
}

const SIZES = [1_000, 10_000];
const ROUNDS = 5;
const results = new Map<string, number[]>();
const outcomes = new Map<string, string>();
for (const [name, text] of Object.entries(SPECS)) {
  const allDistinct = name === "fleet, all distinct";
  results.set(
    name,
    SIZES.map((n) => {
      // The median of a few rounds: a collection can leave a little behind in one of them.
      const runs = Array.from({ length: ROUNDS }, () => retained(text, n, allDistinct));
      outcomes.set(name, runs[0]?.outcome ?? "?");
      const sorted = runs.map((r) => r.bytes).sort((a, b) => a - b);
      return sorted[Math.floor(ROUNDS / 2)] as number;
    }),
  );
}

const at = (name: string, i: number) => results.get(name)?.[i] ?? 0;
const rows: string[][] = [
  ["spec", "verdict", ...SIZES.map((n) => `MB at ${n}`), ...SIZES.map((n) => `B/task at ${n}`)],
];
for (const name of Object.keys(SPECS)) {
  rows.push([
    name,
    outcomes.get(name) ?? "?",
    ...SIZES.map((_, i) => mb(at(name, i))),
    ...SIZES.map((n, i) => (at(name, i) / n).toFixed(0)),
  ]);
}
console.log(table(rows));
console.log();
// Growth per task from 1k to 10k tasks: what each added task costs, the fixed part cancelled out.
const [small = 1, large = 2] = SIZES;
const perTask = (bytes: (i: number) => number) => (bytes(1) - bytes(0)) / (large - small);
const verdictPerTask = perTask((i) => at("capture", i));
const growth = [["growth from 1k to 10k tasks", "B per task", "share of the per-task verdict"]];
const line = (what: string, bytes: (i: number) => number) =>
  growth.push([what, perTask(bytes).toFixed(1), ratio(perTask(bytes), verdictPerTask)]);
line("spec with capture (all kept per task)", (i) => at("capture", i));
line("capture over plain (the value and its result)", (i) => at("capture", i) - at("plain", i));
line("fleet over capture (3% drift)", (i) => at("fleet", i) - at("capture", i));
line(
  "fleet over capture (every value distinct)",
  (i) => at("fleet, all distinct", i) - at("capture", i),
);
console.log(table(growth));
console.log(
  "\nfleet: keeps per capture at most 100 values × 10 instance ids whatever N, so its growth per task should be about 0 B (within GC noise, a few B either way), against the ~1 KB every task's verdict and observed record keep anyway.",
);
