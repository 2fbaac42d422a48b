// One poller run in a fresh process, started by poll-cost.ts (not meant to be run by hand): the
// emulator lives in the parent, so the heap and RSS measured here are the poller's own.
// Protocol over the IPC channel: argv[2] is the JSON config; the child sends "ready", waits for
// "go" (the parent then starts the scenario clock), runs, and sends one result message.
import { staticCredentials } from "../src/credentials/types.js";
import { FLEET_CREDENTIAL } from "../src/emulator/fleet.js";
import { SpecTally } from "../src/match/tally.js";
import { plan } from "../src/plan/plan.js";
import { abortableSleep } from "../src/run.js";
import { parseSpecs } from "../src/spec/load.js";
import { TatClient } from "../src/tat/client.js";
import { RateLimiter } from "../src/tat/rate-limiter.js";
import { observe } from "../src/wait/observe.js";
import { tatReader } from "../src/wait/tat-reader.js";
import {
  INVOCATION_IDS,
  MAX_INTERVAL_MS,
  MIN_INTERVAL_MS,
  OUTPUT_NEEDLE,
  REGION,
  TOTAL_TASKS,
} from "./fleet-scenario.js";
import { countingFetch } from "./lib/counting-fetch.js";
import { sampleMemory } from "./lib/memory.js";
import { naivePoll } from "./naive-poller.js";

export interface ChildConfig {
  variant: "naive" | "ours";
  /** For "ours": whether the spec has an output expectation (so output is fetched). */
  withOutput: boolean;
  url: string;
}

export interface ChildResult {
  /** Wall clock (epoch ms) when polling started and ended. */
  startedAt: number;
  endedAt: number;
  polls: number;
  tasks: number;
  /** Tasks that passed the judgement; must equal `tasks` for the run to count. */
  passed: number;
  responses: number;
  responseBytes: number;
  /** Response bytes per TAT action. */
  bytesByAction: Record<string, number>;
  heapPeakDeltaBytes: number;
  rssPeakDeltaBytes: number;
}

function specText(withOutput: boolean): string {
  return [
    "version: 1",
    "name: poll-cost",
    `region: ${REGION}`,
    `target: { invocationIds: [${INVOCATION_IDS.join(", ")}] }`,
    `wait: { timeout: 2m, minInterval: ${MIN_INTERVAL_MS}ms, maxInterval: ${MAX_INTERVAL_MS}ms }`,
    "expect:",
    "  status: SUCCESS",
    ...(withOutput ? [`  output: { matches: ["${OUTPUT_NEEDLE}"] }`] : []),
    "",
  ].join("\n");
}

type Outcome = Pick<ChildResult, "polls" | "tasks" | "passed">;

/** The spec is loaded before measuring starts: loading specs is not the poller's cost. */
function ours(client: TatClient, withOutput: boolean): () => Promise<Outcome> {
  const { specs, issues } = parseSpecs(specText(withOutput), "poll-cost.yml", { env: {} });
  const [probe] = plan(specs);
  if (!probe || issues.length > 0) throw new Error(`bad bench spec: ${JSON.stringify(issues)}`);
  return async () => {
    const tally = new SpecTally(probe.spec);
    const observation = await observe(probe, {
      api: tatReader(client),
      now: Date.now,
      sleep: abortableSleep,
      onTask: (task) => tally.add(task),
    });
    const verdict = tally.verdict(observation);
    return {
      polls: observation.polls,
      tasks: observation.tasks.length,
      passed: verdict.tasks.filter((t) => t.outcome === "pass").length,
    };
  };
}

function naive(client: TatClient): () => Promise<Outcome> {
  return () =>
    naivePoll(client, {
      invocationIds: INVOCATION_IDS,
      expectedTasks: TOTAL_TASKS,
      intervalMs: MIN_INTERVAL_MS,
      needle: OUTPUT_NEEDLE,
      region: REGION,
      sleep: (ms) => abortableSleep(ms),
    });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as ChildConfig;
  const send = (message: unknown) => process.send?.(message);
  const counter = countingFetch();
  const client = new TatClient({
    endpoint: config.url,
    region: REGION,
    credentials: staticCredentials(
      { secretId: FLEET_CREDENTIAL.secretId, secretKey: FLEET_CREDENTIAL.secretKey },
      "emulator fleet credential",
    ),
    fetch: counter.fetch,
    // A hand-written script has no client-side pacing (the SDK has none); ours shares one limiter.
    ...(config.variant === "naive" && {
      limiter: new RateLimiter({ limit: Number.MAX_SAFE_INTEGER }),
    }),
  });

  const poll = config.variant === "naive" ? naive(client) : ours(client, config.withOutput);

  await new Promise<void>((resolve) => {
    process.once("message", () => resolve());
    send("ready");
  });
  const memory = sampleMemory();
  const startedAt = Date.now();
  const outcome = await poll();
  const endedAt = Date.now();
  const peak = memory.stop();
  await counter.settled();
  const result: ChildResult = {
    startedAt,
    endedAt,
    ...outcome,
    responses: counter.counts.responses,
    responseBytes: counter.counts.bytes,
    bytesByAction: Object.fromEntries(
      Object.entries(counter.counts.byAction).map(([action, tally]) => [action, tally.bytes]),
    ),
    ...peak,
  };
  send(result);
  process.disconnect?.();
}

await main();
