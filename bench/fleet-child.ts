// One configuration of bench/fleet.ts in a fresh process (not meant to be run by hand), so its
// peak RSS and CPU are its own: the emulator lives in the parent. Protocol over IPC: argv[2] is
// the JSON config; the child sends "ready", waits for the parent's clock reading, runs the gate's
// pipeline (shared batching reader → observe → streaming judge → report), and sends one result.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString, writeHeapSnapshot } from "node:v8";
import { staticCredentials } from "../src/credentials/types.js";
import { FLEET_CREDENTIAL } from "../src/emulator/fleet.js";
import { boundGarbage } from "../src/heap-policy.js";
import { SpecTally } from "../src/match/tally.js";
import { plan } from "../src/plan/plan.js";
import { writeReport } from "../src/report/atomic-write.js";
import { jsonChunks } from "../src/report/json.js";
import { abortableSleep } from "../src/run.js";
import { parseSpecs } from "../src/spec/load.js";
import { runReport, specReport } from "../src/summarize.js";
import { TatClient } from "../src/tat/client.js";
import { batchingReader } from "../src/wait/batching-reader.js";
import { observe } from "../src/wait/observe.js";
import { tatReader } from "../src/wait/tat-reader.js";
import {
  REGION,
  V8_PATTERNS,
  type Workload,
  workloadOutput,
  workloadSpec,
} from "./fleet-workload.js";

export interface FleetChildConfig extends Workload {
  url: string;
}

/** The parent's scenario clock at one real instant, so both run on the same scaled clock. */
export interface Go {
  scenarioNow: number;
  realNow: number;
}

export interface FleetChildResult {
  tasks: number;
  passed: number;
  /** Real epoch ms when the report was ready. */
  verdictAt: number;
  rssBaseBytes: number;
  rssPeakBytes: number;
  /** process.memoryUsage() when the RSS peaked: heap, external and array buffers at that moment. */
  atPeak: NodeJS.MemoryUsage;
  /** The RSS at its peak split as Linux counts it (kB from /proc/self/status), when readable. */
  atPeakPages: ResidentPages | undefined;
  /** Peak until the verdict and the report were built, before the JSON report is rendered. */
  rssPeakVerdictBytes: number;
  cpuMs: number;
  /** CPU ms inside the judge (SpecTally.add) and the characters it judged. */
  evalMs: number;
  outputChars: number;
  /** CPU ms of the same 5 patterns with V8 RegExp over the same outputs, in this process. */
  v8Ms: number;
  reportBytes: number;
  /** Heap in use after a full collection once the report is built: what the run keeps. */
  retainedHeapBytes: number;
  /** Scenario ms from the end of the last look to the report being ready. */
  afterLastLookMs: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as FleetChildConfig;
  // As the bin and the Action do at start, unless this run is the baseline.
  if (!config.v8Defaults) boundGarbage();
  // FLEET_CHILD_V8: V8 flags set at run time, as a program can set them (experiments only).
  for (const flag of (process.env.FLEET_CHILD_V8 ?? "").split(" ").filter(Boolean)) {
    setFlagsFromString(flag);
  }
  const send = (message: unknown) => process.send?.(message);
  const { specs, issues } = parseSpecs(workloadSpec(), "fleet.yml", { env: {} });
  const [probe] = plan(specs);
  if (!probe || issues.length > 0) throw new Error(`bad bench spec: ${JSON.stringify(issues)}`);
  const client = new TatClient({
    endpoint: config.url,
    region: REGION,
    credentials: staticCredentials({
      secretId: FLEET_CREDENTIAL.secretId,
      secretKey: FLEET_CREDENTIAL.secretKey,
    }),
  });
  const go = await new Promise<Go>((resolve) => {
    process.once("message", (m) => resolve(m as Go));
    send("ready");
  });
  const SPEED = config.speed;
  const now = () => go.scenarioNow + (Date.now() - go.realNow) * SPEED;
  globalThis.gc?.();
  const rssBase = process.memoryUsage().rss;
  let rssPeak = rssBase;
  // FLEET_HEAP_SNAPSHOT_MB: write one heap snapshot when the heap in use first passes it (to find
  // what holds memory; the figures printed are then not comparable).
  let snapshotAt = Number(process.env.FLEET_HEAP_SNAPSHOT_MB ?? 0) * 1e6;
  /** The memoryUsage() sample with the highest RSS: which part of the process held it. */
  let atPeak = process.memoryUsage();
  let atPeakPages = residentPages();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > rssPeak) {
      atPeak = m;
      atPeakPages = residentPages();
    }
    if (snapshotAt && m.heapUsed > snapshotAt) {
      snapshotAt = 0;
      process.stderr.write(`heap snapshot: ${writeHeapSnapshot()}\n`);
    }
    rssPeak = Math.max(rssPeak, m.rss);
  }, 10);
  const cpu = process.cpuUsage();

  const tally = new SpecTally(probe.spec);
  let evalMs = 0;
  let outputChars = 0;
  const observation = await observe(probe, {
    api: batchingReader(tatReader(client)),
    now,
    sleep: (ms, signal) => abortableSleep(ms / SPEED, signal),
    onTask: (task) => {
      // A high-resolution clock, not process.cpuUsage(): judging a 2 KB output takes about 20 µs
      // and each cpuUsage() call (a system call) about 5 µs, so two per task were a third of the
      // figure. A span this short rarely includes a wait for a core; the V8 baseline below is
      // timed the same way.
      const start = performance.now();
      const keep = tally.keepsTail(tally.add(task));
      evalMs += performance.now() - start;
      outputChars += task.output?.length ?? 0;
      return keep;
    },
  });
  const report = runReport({
    version: "bench",
    startedAt: Date.parse(observation.startedAt),
    endedAt: now(),
    specs: [specReport(probe.spec, observation, tally.verdict(observation))],
  });
  const verdictAt = Date.now();
  const verdictScenarioMs = now();
  const rssPeakVerdict = Math.max(rssPeak, process.memoryUsage().rss);
  // The JSON report as `--reporter json:FILE` writes it: streamed to a file.
  const reportDir = await mkdtemp(join(tmpdir(), "fleet-report-"));
  const reportPath = join(reportDir, "report.json");
  await writeReport(reportPath, jsonChunks(report), process.stdout);
  const reportBytes = (await stat(reportPath)).size;
  await rm(reportDir, { recursive: true, force: true });
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  globalThis.gc?.();
  const retainedHeapBytes = process.memoryUsage().heapUsed;
  // FLEET_HEAP_SNAPSHOT_END: one heap snapshot of what the run keeps, with the report built.
  if (process.env.FLEET_HEAP_SNAPSHOT_END) {
    process.stderr.write(`heap snapshot: ${writeHeapSnapshot()}\n`);
  }

  // The speed of light: V8's backtracking RegExp, test() only, on the same outputs.
  const output = workloadOutput(config);
  const v8Start = performance.now();
  let hits = 0;
  for (let i = 0; i < observation.tasks.length; i++) {
    // A fresh string per task, as each task's output is its own.
    const text = `${output}${i}`;
    for (const re of V8_PATTERNS) if (re.test(text)) hits++;
  }
  const v8Ms = performance.now() - v8Start;
  if (hits !== observation.tasks.length * 3) throw new Error(`V8 baseline: ${hits} hits`);

  const result: FleetChildResult = {
    tasks: observation.tasks.length,
    passed: report.specs[0]?.counts.pass ?? 0,
    verdictAt,
    rssBaseBytes: rssBase,
    rssPeakBytes: rssPeak,
    atPeak,
    atPeakPages,
    rssPeakVerdictBytes: rssPeakVerdict,
    cpuMs: (used.user + used.system) / 1000,
    evalMs,
    outputChars,
    v8Ms,
    reportBytes,
    retainedHeapBytes,
    afterLastLookMs: verdictScenarioMs - Date.parse(observation.lastPollAt ?? ""),
  };
  send(result);
  process.disconnect?.();
}

export interface ResidentPages {
  /** Pages the process wrote: its heap, buffers, allocator. */
  anonBytes: number;
  /** Pages of mapped files (the node binary's code and data, ICU): shared, dropped and re-read by
   * the kernel as needed, and larger the more of node a run executes. */
  fileBytes: number;
}

/** RssAnon and RssFile of this process (Linux), or undefined elsewhere. */
function residentPages(): ResidentPages | undefined {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    const anon = kb("RssAnon");
    const file = kb("RssFile");
    if (!Number.isFinite(anon) || !Number.isFinite(file)) return undefined;
    return { anonBytes: anon * 1024, fileBytes: file * 1024 };
  } catch {
    return undefined;
  }
}

await main();
