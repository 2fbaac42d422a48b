// Reading running tasks' output for expect.output.failEarly, against the TAT emulator over real
// HTTP with one manual clock: at most one DescribeInvocationTasks call of at most 100 tasks a
// round, rotating through more than 100 running tasks, and none at all for specs that do not ask.
import { afterEach, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  manualClock,
  type RawTaskFields,
  startEmulator,
} from "../../src/emulator/index.js";
import type { Spec } from "../../src/model.js";
import { run } from "../../src/run.js";
import { parseSpecs } from "../../src/spec/load.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { type TatReader, tatReader } from "../../src/wait/tat-reader.js";

const CRED = { secretId: "AKIDFAILEARLY000000000000000000000", secretKey: "fail-early-secret" };
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const LONG = "PENDING@0s RUNNING@1s SUCCESS@600s";
const working: RawTaskFields = { timeline: LONG, outputChunks: [{ at: "1.5s", output: "work" }] };

/** A fleet of `count` long tasks on one invocation; `fatal` (1-based) prints FATAL at 3 s. */
async function watch(count: number, fatal: number | undefined, expect_: string, extra = "") {
  const clock = manualClock();
  const overrides =
    fatal === undefined
      ? []
      : [
          {
            index: fatal,
            timeline: LONG,
            outputChunks: [
              { at: "1.5s", output: "step 1 ok\nstep 2: FA" },
              { at: "3s", output: "TAL disk full\n" },
            ],
          },
        ];
  emulator = await startEmulator({
    scenario: buildScenario({
      version: 1,
      credentials: [CRED],
      invocations: [
        {
          id: "inv-early001",
          commandId: "cmd-early001",
          timeout: 900,
          fleet: { count, template: working, overrides },
        },
      ],
    }),
    clock,
  });
  const client = new TatClient({
    endpoint: emulator.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(CRED),
    limiter: new RateLimiter(),
  });
  // The real reader, watched: what each DescribeInvocationTasks call asked for.
  const inner = tatReader(client);
  const calls: { ids: number; hideOutput: boolean; at: number }[] = [];
  const api: TatReader = {
    ...inner,
    tasksById: (ids, hideOutput, o) => {
      calls.push({ ids: ids.length, hideOutput, at: clock.now() });
      return inner.tasksById(ids, hideOutput, o);
    },
  };
  const yaml = `version: 1\nname: early\ntarget: { invocationId: inv-early001 }\nwait: { timeout: ${extra || "20m"}, minInterval: 2s, maxInterval: 2s }\nexpect:\n${expect_}`;
  const { specs, issues } = parseSpecs(yaml, "spec.yml", { env: {} });
  expect(issues).toEqual([]);
  const start = clock.now();
  const report = await run({
    specs: specs as Spec[],
    api,
    reporters: [],
    version: "test",
    now: () => clock.now(),
    sleep: async (ms) => clock.advance(ms),
    random: () => 0,
    failFast: true,
  });
  const requests = emulator.stats().requests;
  return { report, calls, requests, start, elapsedMs: clock.now() - start };
}

const FAIL_EARLY = "  output:\n    notMatches: FATAL\n    failEarly: true\n";

describe("failEarly reads", () => {
  test("250 running tasks: one call of ≤100 a round, and the last task's FATAL found by round 3", async () => {
    const { report, calls, requests, elapsedMs } = await watch(250, 250, FAIL_EARLY);
    const spec = report.specs[0];
    expect(report.exitCode).toBe(1);
    expect(spec?.observation.state).toBe("stopped");
    // Polls at 0 s (nothing running yet), 2 s (tasks 1-100), 4 s (101-200), 6 s (201-250, 1-50).
    expect(elapsedMs).toBe(6_000);
    expect(requests.DescribeInvocations).toBe(4);
    expect(requests.DescribeInvocationTasks).toBe(3);
    expect(calls.map((c) => c.ids)).toEqual([100, 100, 100]);
    expect(calls.every((c) => !c.hideOutput)).toBe(true);
    const failed = spec?.tasks.filter((t) => t.outcome === "fail") ?? [];
    expect(failed.map((t) => t.instanceId)).toEqual(["ins-0250"]);
    const hit = failed[0]?.results.find((r) => r.outcome === "fail");
    // The pattern was split across two chunks: found once the second landed, on line 2.
    expect(hit).toMatchObject({
      check: "output.notMatches",
      actual: "found at line 2 while running",
    });
    expect(hit?.seenWhileRunningAt).toBe(
      new Date(6_000 + Date.parse(report.startedAt)).toISOString(),
    );
    expect(spec?.counts).toMatchObject({ fail: 1, skip: 249 });
  });

  test("a spec without failEarly reads no running task's output", async () => {
    const { report, requests } = await watch(5, 5, "  output:\n    notMatches: FATAL\n", "10s");
    expect(report.specs[0]?.observation.state).toBe("timeout");
    expect(requests.DescribeInvocationTasks ?? 0).toBe(0);
    expect(report.exitCode).toBe(3);
  });

  test("a pattern split across two chunks is found once the second lands", async () => {
    // One task: read every round; the line "step 2: FA" is incomplete until 3 s.
    const { report, calls, start } = await watch(1, 1, FAIL_EARLY);
    // At 2 s the output is "step 1 ok\nstep 2: FA": no hit; at 4 s the line is whole: stop.
    expect(calls.map((c) => c.at - start)).toEqual([2_000, 4_000]);
    const hit = report.specs[0]?.tasks[0]?.results.find((r) => r.outcome === "fail");
    expect(hit?.excerpt).toContain(">2 | step 2: FATAL disk full");
  });
});
