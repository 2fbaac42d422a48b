// Benchmark: the gate at fleet scale (issue 11). The reference workload — N tasks over 50
// invocations, a 60 s runbook, 5 patterns on every output, maxInterval 5 s — at 1k, 2k and 10k
// tasks with 2 KB and 24 KB outputs, against the embedded TAT emulator on a clock running 2×
// real time, 1× at 10k tasks (the poller sleeps on the same clock). Prints every figure with its goal and
// "met"/"missed":
//   calls ≤ 1.1 × floor, floor = ⌈last task end / maxInterval⌉ + ⌈N / 100⌉
//   verdict ≤ maxInterval + 1 s after the last task ended (scenario time)
//   peak RSS < 150 MB (the goal is stated for 10k × 24 KB; every row is held to it)
//   evaluation CPU per MB of output within 10× of V8 RegExp on the same patterns
//
//   node --import tsx --expose-gc bench/fleet.ts [--only=10000x24000]
//
// Each configuration runs in its own child process (fleet-child.ts) against its own emulator in
// this process, so RSS and CPU are the gate's own. The child is bundled with esbuild first and
// runs on plain node: tsx's loader alone would add about 60 MB to the RSS measured. About 8
// minutes on 2 cores.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { startEmulator } from "../src/emulator/index.js";
import type { FleetChildConfig, FleetChildResult, Go } from "./fleet-child.js";
import { gatedClock, lastFinishMs } from "./fleet-scenario.js";
import { MAX_INTERVAL_MS, WORKLOADS, type Workload, workloadScenario } from "./fleet-workload.js";
import { mb, table } from "./lib/table.js";
import { loadText } from "./lib/timing.js";

const CHILD = fileURLToPath(
  new URL("../node_modules/.cache/tat-assert-bench/fleet-child.mjs", import.meta.url),
);
await build({
  entryPoints: [fileURLToPath(new URL("./fleet-child.ts", import.meta.url))],
  outfile: CHILD,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Dependencies load from node_modules as in production; only our code is bundled.
  packages: "external",
  logLevel: "warning",
});
const only = /^--only=(\d+)x(\d+)$/.exec(process.argv[2] ?? "");

interface Measured {
  w: Workload;
  result: FleetChildResult;
  calls: number;
  floor: number;
  rateLimited: number;
  /** Bytes of the answers' bodies, counted by the emulator as it sends them (counting them in the
   * child with a cloned body would copy every answer there and add to its RSS). */
  responseBytes: number;
  /** Scenario ms from the last task's end to the report being ready. */
  latencyMs: number;
  lastEndMs: number;
}

async function measure(w: Workload): Promise<Measured> {
  const scenario = workloadScenario(w);
  const clock = gatedClock(w.speed);
  const emulator = await startEmulator({ scenario, clock });
  try {
    const config: FleetChildConfig = { ...w, url: emulator.url };
    const child = fork(CHILD, [JSON.stringify(config)], {
      // FLEET_CHILD_FLAGS: extra node flags for the child when profiling it (--trace-gc,
      // --heap-prof, --cpu-prof); the figures printed are then not comparable.
      execArgv: [
        "--expose-gc",
        ...(process.env.FLEET_CHILD_FLAGS ?? "").split(" ").filter(Boolean),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let startedAt = 0;
    const result = await new Promise<FleetChildResult>((resolve, reject) => {
      child.on("message", (message) => {
        if (message === "ready") {
          startedAt = clock.start();
          const go: Go = { scenarioNow: clock.now(), realNow: Date.now() };
          child.send(go);
        } else resolve(message as FleetChildResult);
      });
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`child exited with ${code}`)));
    });
    if (result.tasks !== w.tasks || result.passed !== w.tasks) {
      throw new Error(`saw ${result.tasks} tasks, ${result.passed} passed; expected ${w.tasks}`);
    }
    const lastEndMs = lastFinishMs(scenario);
    const stats = emulator.stats();
    const calls = Object.values(stats.requests).reduce((a, b) => a + b, 0);
    const rateLimited = Object.values(stats.rateLimited).reduce((a, b) => a + b, 0);
    const responseBytes = Object.values(stats.responseBytes).reduce((a, b) => a + b, 0);
    const floor = Math.ceil(lastEndMs / MAX_INTERVAL_MS) + Math.ceil(w.tasks / 100);
    const latencyMs = (result.verdictAt - (startedAt + lastEndMs / w.speed)) * w.speed;
    const p = result.atPeak;
    console.log(
      `    at the RSS peak: heap used ${mb(p.heapUsed)} of ${mb(p.heapTotal)} MB, external ${mb(p.external)} MB ` +
        `(array buffers ${mb(p.arrayBuffers)} MB), the rest (code, stacks, allocator) ${mb(p.rss - p.heapTotal - p.external)} MB`,
    );
    const pages = result.atPeakPages;
    if (pages) {
      console.log(
        `    of the peak RSS: ${mb(pages.anonBytes)} MB the process's own pages (RssAnon), ` +
          `${mb(pages.fileBytes)} MB of mapped files, mostly the node binary (RssFile)`,
      );
    }
    return { w, result, calls, floor, rateLimited, responseBytes, latencyMs, lastEndMs };
  } finally {
    await emulator.close();
  }
}

const judged = (ok: boolean) => (ok ? "met" : "missed");
const GOALS = {
  callsRatio: 1.1,
  latencyMs: MAX_INTERVAL_MS + 1_000,
  rssBytes: 150e6,
  evalVsV8: 10,
};

const workloads = only
  ? WORKLOADS.filter((w) => w.tasks === Number(only[1]) && w.outputBytes === Number(only[2]))
  : [...WORKLOADS];
// A run that measured nothing must not read as "every goal met".
if (workloads.length === 0) {
  const known = WORKLOADS.map((w) => `${w.tasks}x${w.outputBytes}`).join(", ");
  console.error(`--only matches no workload; one of: ${known}`);
  process.exit(2);
}
console.log(`${loadText()} at the start`);
console.log(
  `fleet: ${workloads.length} configurations, 50 invocations each, 60 s runbook, 5 patterns, ` +
    `maxInterval ${MAX_INTERVAL_MS / 1000} s; emulator and poller on one clock at 2× real time (1× at 10k tasks).`,
);
// The largest configuration once more with V8's default heap settings (no src/heap-policy.ts):
// what the policy saves, and costs, measured in the same run. Its cells judge no goal.
const largest = workloads.find((w) => w.tasks === 10_000 && w.outputBytes === 24_000);
if (process.argv.includes("--v8-defaults")) {
  // Every configuration with V8's defaults only (to compare by hand).
  workloads.splice(0, workloads.length, ...workloads.map((w) => ({ ...w, v8Defaults: true })));
} else if (largest && !process.argv.includes("--no-baseline")) {
  workloads.push({ ...largest, v8Defaults: true });
}
const runs: Measured[] = [];
for (const w of workloads) {
  process.stdout.write(`  ${label(w)}…\n`);
  runs.push(await measure(w));
}

function label(w: Workload): string {
  return `${w.tasks} × ${w.outputBytes / 1000} KB${w.v8Defaults ? ", V8 defaults" : ""}`;
}

const perMb = (msTotal: number, chars: number) => (chars > 0 ? msTotal / (chars / 1e6) : 0);
const rows = runs.map((m) => {
  const r = m.result;
  const ratio = m.calls / m.floor;
  const evalPerMb = perMb(r.evalMs, r.outputChars);
  const v8PerMb = perMb(r.v8Ms, r.outputChars);
  const vsV8 = v8PerMb > 0 ? evalPerMb / v8PerMb : 0;
  // The baseline row shows its figures without judging them.
  const verdict = (ok: boolean) => (m.w.v8Defaults ? "" : judged(ok));
  return [
    label(m.w),
    `${m.calls}/${m.floor} = ${ratio.toFixed(2)}× ${verdict(ratio <= GOALS.callsRatio)}`,
    `${mb(m.responseBytes)} (${(m.responseBytes / (m.w.tasks * m.w.outputBytes * (4 / 3))).toFixed(2)}×)`,
    String(m.rateLimited),
    `${(m.latencyMs / 1000).toFixed(1)} s ${verdict(m.latencyMs <= GOALS.latencyMs)}`,
    (r.afterLastLookMs / 1000).toFixed(2),
    mb(r.rssBaseBytes),
    `${mb(r.rssPeakVerdictBytes)} ${verdict(r.rssPeakVerdictBytes < GOALS.rssBytes)}`,
    `${mb(r.rssPeakBytes)} ${verdict(r.rssPeakBytes < GOALS.rssBytes)}`,
    mb(r.retainedHeapBytes),
    (r.cpuMs / 1000).toFixed(1),
    `${evalPerMb.toFixed(0)} / ${v8PerMb.toFixed(1)} = ${vsV8.toFixed(1)}× ${verdict(vsV8 <= GOALS.evalVsV8)}`,
    mb(r.reportBytes),
  ];
});
console.log(
  `\n${table([
    [
      "tasks × output",
      "calls/floor (≤ 1.10×)",
      "MB received (× outputs)",
      "throttled",
      "verdict after last end (≤ 6 s)",
      "of it after last look (s)",
      "RSS at start MB",
      "peak RSS to verdict MB (< 150)",
      "with JSON report (< 150)",
      "heap kept MB",
      "CPU s",
      "eval ms/MB vs V8 (≤ 10×)",
      "JSON report MB",
    ],
    ...rows,
  ])}\n`,
);
const missed = rows.flat().filter((cell) => cell.endsWith("missed")).length;
console.log(`${loadText()} at the end`);
console.log(
  missed === 0
    ? "every goal met."
    : `${missed} goal${missed === 1 ? "" : "s"} missed (see "missed" above).`,
);
console.log(
  "calls: DescribeInvocations + DescribeInvocationTasks answered by the emulator. MB received × outputs: " +
    "response bytes over the base64 outputs alone (the least any poller downloads). verdict: scenario time " +
    "from the last task's end to the report being built; of it, from the end of the last look (the rest is waiting for the poll that sees the end). heap kept: in use after a full collection with the report built. RSS: peak of the child process (plain node, the gate bundled). " +
    "eval: CPU time inside the streaming judge per MB of output, against the CPU time of V8 RegExp test() of the same 5 patterns.",
);
