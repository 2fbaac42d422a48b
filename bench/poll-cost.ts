// Benchmark: is waiting "cheap at fleet size"? The real poller (observe over tatReader(TatClient))
// against a naive poller, both watching the same 2,000 tasks across 20 invocations finish over
// about 5 s on the local TAT emulator (see fleet-scenario.ts), measured in the same run.
//
//   node --import tsx --expose-gc bench/poll-cost.ts [--rounds=N]      (or: npm run bench)
//
// Runs straight from src/ through tsx; nothing is built. Each variant runs in its own fresh child
// process against a fresh emulator in this process, so requests, bytes and memory are its own.
// Only 127.0.0.1 is contacted. Three rounds (figures are medians), about 60 s on 2 cores;
// `--rounds=1` takes 20 s.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type EmulatorStats, startEmulator } from "../src/emulator/index.js";
import {
  benchScenario,
  gatedClock,
  lastFinishMs,
  OUTPUT_BYTES,
  SPEED,
  TOTAL_TASKS,
} from "./fleet-scenario.js";
import { mb, ratio, seconds, table } from "./lib/table.js";
import { median } from "./lib/timing.js";
import type { ChildConfig, ChildResult } from "./poll-cost-child.js";

interface Variant {
  label: string;
  config: Omit<ChildConfig, "url">;
}

const VARIANTS: Variant[] = [
  { label: "naive", config: { variant: "naive", withOutput: true } },
  { label: "ours, no output", config: { variant: "ours", withOutput: false } },
  { label: "ours, output", config: { variant: "ours", withOutput: true } },
];

interface Measured {
  result: ChildResult;
  stats: EmulatorStats;
  /** Real ms from the last task reaching its final status until the poller returned. */
  lagMs: number;
}

/** `--rounds N` (default 3): every figure is the median over the rounds. */
const ROUNDS = Number(/^--rounds=(\d+)$/.exec(process.argv[2] ?? "")?.[1] ?? 3);

const CHILD = fileURLToPath(new URL("./poll-cost-child.ts", import.meta.url));

async function measure(variant: Variant): Promise<Measured> {
  const scenario = benchScenario();
  const clock = gatedClock(SPEED);
  const emulator = await startEmulator({ scenario, clock });
  try {
    const config: ChildConfig = { ...variant.config, url: emulator.url };
    const child = fork(CHILD, [JSON.stringify(config)], {
      execArgv: ["--import", "tsx", "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let clockStartedAt = 0;
    const result = await new Promise<ChildResult>((resolve, reject) => {
      child.on("message", (message) => {
        if (message === "ready") {
          clockStartedAt = clock.start();
          child.send("go");
        } else resolve(message as ChildResult);
      });
      child.once("error", reject);
      child.once("exit", (code) =>
        reject(new Error(`${variant.label}: child exited with ${code}`)),
      );
    });
    if (result.tasks !== TOTAL_TASKS || result.passed !== TOTAL_TASKS) {
      throw new Error(
        `${variant.label}: saw ${result.tasks} tasks, ${result.passed} passed; expected ${TOTAL_TASKS}`,
      );
    }
    const lastFinishedAt = clockStartedAt + lastFinishMs(scenario) / SPEED;
    return { result, stats: emulator.stats(), lagMs: result.endedAt - lastFinishedAt };
  } finally {
    await emulator.close();
  }
}

const bytesOf = (m: Measured, action: string) => m.result.bytesByAction[action] ?? 0;

/**
 * What one more poll costs while the tasks are still running, i.e. the price of waiting longer:
 * the naive poller reads every task with its output each time; ours reads DescribeInvocations (task
 * details are a one-time cost per task, counted in the totals).
 */
const progressPerPoll = (m: Measured) =>
  (m.result.bytesByAction.DescribeInvocations !== undefined
    ? bytesOf(m, "DescribeInvocations")
    : m.result.responseBytes) / Math.max(1, m.result.polls);

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Per variant, the runs of every round; each figure is the median over the rounds. */
function report(runs: Measured[][]): string {
  const rows: [string, (m: Measured) => number, (n: number) => string][] = [
    ["DescribeInvocations requests", (m) => m.stats.requests.DescribeInvocations ?? 0, String],
    [
      "DescribeInvocationTasks requests",
      (m) => m.stats.requests.DescribeInvocationTasks ?? 0,
      String,
    ],
    ["requests, total", (m) => sum(m.stats.requests), String],
    ["RequestLimitExceeded (emulator)", (m) => sum(m.stats.rateLimited), String],
    ["response bytes (MB)", (m) => m.result.responseBytes, mb],
    ["  from DescribeInvocations", (m) => bytesOf(m, "DescribeInvocations"), mb],
    ["  from DescribeInvocationTasks", (m) => bytesOf(m, "DescribeInvocationTasks"), mb],
    ["polls", (m) => m.result.polls, String],
    ["progress bytes per poll (MB)", progressPerPoll, mb],
    ["wall time (s)", (m) => m.result.endedAt - m.result.startedAt, seconds],
    ["done after last task ended (s)", (m) => m.lagMs, seconds],
    ["peak heap Δ (MB)", (m) => m.result.heapPeakDeltaBytes, mb],
    ["peak RSS Δ (MB)", (m) => m.result.rssPeakDeltaBytes, mb],
  ];
  const [naive, ...ours] = runs as [Measured[], ...Measured[][]];
  const header = [
    "",
    ...VARIANTS.map((v) => v.label),
    ...VARIANTS.slice(1).map((v) => `naive / ${v.label}`),
  ];
  const body = rows.map(([name, value, format]) => {
    const of = (variantRuns: Measured[]) => median(variantRuns.map(value));
    return [
      name,
      ...runs.map((variantRuns) => format(of(variantRuns))),
      ...ours.map((variantRuns) => ratio(of(naive), of(variantRuns))),
    ];
  });
  return table([header, ...body]);
}

const scenario = benchScenario();
console.log(
  `poll-cost: ${TOTAL_TASKS} tasks in ${scenario.invocations.length} invocations, ` +
    `${OUTPUT_BYTES} bytes of output each, last task ends at ${seconds(lastFinishMs(scenario))} s ` +
    `of scenario time (${seconds(lastFinishMs(scenario) / SPEED)} s real, speed ${SPEED}).`,
);
const runs: Measured[][] = VARIANTS.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  // Each round starts with a different variant, so drift on the machine does not favour one.
  for (let k = 0; k < VARIANTS.length; k++) {
    const i = (round + k) % VARIANTS.length;
    const variant = VARIANTS[i] as Variant;
    process.stdout.write(`  round ${round + 1}/${ROUNDS}: ${variant.label}…\n`);
    runs[i]?.push(await measure(variant));
  }
}
console.log(`\n${report(runs)}\n`);
console.log(
  "naive: DescribeInvocationTasks for every task with HideOutput=false, paged by 100, every 200 ms, no client-side pacing.\n" +
    "ours: observe() through TatClient (rate limiter, retries); output fetched once per task, only with an output expectation.",
);
