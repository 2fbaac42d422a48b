// Which run a target judges: `latest` and `since` against the TAT emulator over real HTTP (one
// manual clock for the emulator's timelines and the poller's sleeps), and an invocation whose task
// list is still empty through a scripted reader (the emulator always lists an invocation's tasks).
import { afterEach, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  type ManualClock,
  manualClock,
  type RawInvocation,
  startEmulator,
} from "../../src/emulator/index.js";
import { deriveInvocationStatus } from "../../src/emulator/invocation-status.js";
import { evaluate } from "../../src/match/evaluate.js";
import type { Observation, Spec } from "../../src/model.js";
import { type Probe, plan } from "../../src/plan/plan.js";
import { parseSpecs } from "../../src/spec/load.js";
import type { CallOptions } from "../../src/tat/client.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import type { Filter, Invocation, InvocationTask } from "../../src/tat/types.js";
import { observe } from "../../src/wait/observe.js";
import { createdMs, sinceMs } from "../../src/wait/read-target.js";
import type { TatReader } from "../../src/wait/tat-reader.js";
import { tatReader } from "../../src/wait/tat-reader.js";

const CRED = { secretId: "AKIDREADTARGET00000000000000000000", secretKey: "read-target-secret" };
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function specOf(yaml: string): Spec {
  const { specs, issues } = parseSpecs(`version: 1\n${yaml}`, "spec.yml", { env: {} });
  expect(issues).toEqual([]);
  return specs[0] as Spec;
}

const WAIT = "wait: { timeout: 5m, minInterval: 1s, maxInterval: 2s, notFoundGrace: 20s }\n";

async function watch(invocations: RawInvocation[], yaml: string) {
  const clock: ManualClock = manualClock();
  emulator = await startEmulator({
    scenario: buildScenario({ version: 1, credentials: [CRED], invocations }),
    clock,
  });
  const client = new TatClient({
    endpoint: emulator.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(CRED),
    limiter: new RateLimiter(),
  });
  const spec = specOf(yaml + WAIT);
  const probe = plan([spec])[0] as Probe;
  const observation = await observe(probe, {
    api: tatReader(client),
    now: () => clock.now(),
    sleep: async (ms: number) => clock.advance(ms),
    random: () => 0.5,
  });
  return { spec, observation, calls: emulator.stats() };
}

const ok = (instance: string) => ({
  instance,
  timeline: "PENDING@0s RUNNING@1s SUCCESS@3s",
});
const failed = (instance: string) => ({
  instance,
  timeline: "PENDING@0s RUNNING@1s FAILED@3s",
  exitCode: 2,
});

const invocationsOf = (obs: Observation) => [...new Set(obs.tasks.map((t) => t.invocationId))];

describe("target.latest", () => {
  test("waits for the run created since `since` and never takes yesterday's in its place", async () => {
    const { spec, observation } = await watch(
      [
        {
          id: "inv-yester01",
          commandId: "cmd-deploy01",
          createdAgo: "24h",
          tasks: [failed("ins-1")],
        },
        { id: "inv-today001", commandId: "cmd-deploy01", appearsAt: "6s", tasks: [ok("ins-1")] },
      ],
      "target: { latest: { commandId: cmd-deploy01, since: 15m } }\n",
    );
    expect(observation.state).toBe("terminal");
    expect(invocationsOf(observation)).toEqual(["inv-today001"]);
    expect(evaluate(spec, observation).outcome).toBe("pass");
  });

  test("without since, the newest visible run is taken", async () => {
    const { observation } = await watch(
      [
        { id: "inv-older001", commandId: "cmd-deploy01", createdAgo: "2h", tasks: [ok("ins-1")] },
        { id: "inv-newer001", commandId: "cmd-deploy01", createdAgo: "1h", tasks: [ok("ins-1")] },
        { id: "inv-othcmd01", commandId: "cmd-other001", tasks: [ok("ins-1")] },
      ],
      "target: { latest: { commandId: cmd-deploy01 } }\n",
    );
    expect(invocationsOf(observation)).toEqual(["inv-newer001"]);
  });

  test("with instanceIds: the newest run on one of them, and only its tasks there", async () => {
    const { observation } = await watch(
      [
        {
          id: "inv-onhosta1",
          commandId: "cmd-deploy01",
          createdAt: "1s",
          tasks: [ok("ins-a"), ok("ins-b")],
        },
        // Newer, but on another host only: not this target.
        { id: "inv-onhostc1", commandId: "cmd-deploy01", createdAt: "2s", tasks: [ok("ins-c")] },
      ],
      "target: { latest: { commandId: cmd-deploy01, instanceIds: [ins-a], since: 1m } }\n",
    );
    expect(observation.tasks.map((t) => [t.invocationId, t.instanceId])).toEqual([
      ["inv-onhosta1", "ins-a"],
    ]);
  });

  test("commandName finds the saved command by its exact name (DescribeCommands), then its newest run", async () => {
    const { observation } = await watch(
      [
        {
          id: "inv-webold01",
          commandId: "cmd-web00001",
          commandName: "deploy-web",
          createdAgo: "3h",
          tasks: [failed("ins-1")],
        },
        {
          id: "inv-webnew01",
          commandId: "cmd-web00001",
          commandName: "deploy-web",
          appearsAt: "4s",
          tasks: [ok("ins-1")],
        },
        // A longer name holding the same words: a different command.
        {
          id: "inv-webcan01",
          commandId: "cmd-web00002",
          commandName: "deploy-web-canary",
          createdAt: "5s",
          tasks: [ok("ins-1")],
        },
      ],
      "target: { latest: { commandName: deploy-web, since: 1h } }\n",
    );
    expect(observation.state).toBe("terminal");
    expect(invocationsOf(observation)).toEqual(["inv-webnew01"]);
  });

  test("a run that never appears is not verified, and the reason says what was looked for", async () => {
    const { spec, observation } = await watch(
      [{ id: "inv-yester01", commandId: "cmd-deploy01", createdAgo: "24h", tasks: [ok("ins-1")] }],
      "target: { latest: { commandId: cmd-deploy01, since: 15m } }\n",
    );
    expect(observation.state).toBe("not-found");
    expect(observation.tasks).toEqual([]);
    expect(observation.reason).toMatch(
      /^no invocation of cmd-deploy01 created at or after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z found after 2\d(\.\d)?s \(check the command id, since and the region\)$/,
    );
    expect(evaluate(spec, observation).outcome).toBe("error");
  });
});

describe("filters with since", () => {
  test("tasks created before since are left out", async () => {
    const { observation } = await watch(
      [
        {
          id: "inv-yester01",
          commandId: "cmd-deploy01",
          createdAgo: "24h",
          tasks: [failed("ins-1")],
        },
        { id: "inv-today001", commandId: "cmd-deploy01", tasks: [ok("ins-1")] },
      ],
      "target: { filters: { command-id: [cmd-deploy01], since: 1h } }\n",
    );
    expect(invocationsOf(observation)).toEqual(["inv-today001"]);
  });

  test("without since, every past run is judged (why it is a warning)", async () => {
    const { observation } = await watch(
      [
        {
          id: "inv-yester01",
          commandId: "cmd-deploy01",
          createdAgo: "24h",
          tasks: [failed("ins-1")],
        },
        { id: "inv-today001", commandId: "cmd-deploy01", tasks: [ok("ins-1")] },
      ],
      "target: { filters: { command-id: [cmd-deploy01] } }\n",
    );
    expect(invocationsOf(observation).sort()).toEqual(["inv-today001", "inv-yester01"]);
  });
});

/** A reader that answers from a script by the clock: what TAT showed at each moment. */
function scripted(at: () => number, invocationsAt: (ms: number) => Invocation[]): TatReader {
  const tasksOf = (ids: string[]): InvocationTask[] =>
    invocationsAt(at())
      .flatMap((inv) =>
        (inv.InvocationTaskBasicInfoSet ?? []).map((t) => ({
          InvocationId: inv.InvocationId,
          InvocationTaskId: t.InvocationTaskId,
          InstanceId: t.InstanceId,
          TaskStatus: t.TaskStatus,
          CreatedTime: inv.CreatedTime,
          TaskResult: {
            ExitCode: 0,
            ExecStartTime: "2026-01-01T00:00:01+00:00",
            ExecEndTime: "2026-01-01T00:00:02+00:00",
          },
        })),
      )
      .filter((t) => ids.includes(t.InvocationTaskId ?? ""));
  return {
    invocations: async (ids: string[], _o: CallOptions) =>
      invocationsAt(at()).filter((i) => ids.includes(i.InvocationId ?? "")),
    invocationsByFilter: async (_f: Filter[], _o: CallOptions) => invocationsAt(at()),
    commandIdsByName: async () => ["cmd-deploy01"],
    tasksById: async (ids: string[]) => tasksOf(ids),
    tasksByFilter: async () => [],
  };
}

/** `status`: what the invocation says, when the listing shows less than it has (else what TAT
 * would say of these tasks, the emulator's reading of it). */
function invocation(
  id: string,
  created: string,
  tasks: [string, string][],
  status?: string,
): Invocation {
  return {
    InvocationId: id,
    InvocationStatus: status ?? deriveInvocationStatus(tasks.map(([, s]) => s)),
    CommandId: "cmd-deploy01",
    CreatedTime: created,
    InvocationTaskBasicInfoSet: tasks.map(([instance, status], i) => ({
      InvocationTaskId: `invt-${id.slice(4)}${i}`,
      InstanceId: instance,
      TaskStatus: status,
    })),
  };
}

async function watchScripted(yaml: string, script: (elapsedMs: number) => Invocation[]) {
  const clock = manualClock(Date.parse("2026-01-01T00:00:00Z"));
  const start = clock.now();
  const spec = specOf(yaml);
  const observation = await observe(plan([spec])[0] as Probe, {
    api: scripted(() => clock.now() - start, script),
    now: () => clock.now(),
    sleep: async (ms: number) => clock.advance(ms),
    random: () => 0.5,
  });
  return { spec, observation, elapsedMs: clock.now() - start };
}

describe("an invocation visible with an empty task list", () => {
  const yaml = `target: { invocationId: inv-emptyfirst }\n${WAIT}`;

  test("is waited for within the grace, then its tasks are judged", async () => {
    const { spec, observation } = await watchScripted(yaml, (ms) => [
      invocation(
        "inv-emptyfirst",
        "2026-01-01T00:00:00+00:00",
        ms < 8_000 ? [] : [["ins-1", ms < 12_000 ? "RUNNING" : "SUCCESS"]],
      ),
    ]);
    expect(observation.state).toBe("terminal");
    expect(observation.tasks.map((t) => [t.instanceId, t.status])).toEqual([["ins-1", "SUCCESS"]]);
    expect(evaluate(spec, observation).outcome).toBe("pass");
  });

  test("still empty after the grace: no task matched, a failure", async () => {
    const { spec, observation, elapsedMs } = await watchScripted(yaml, () => [
      invocation("inv-emptyfirst", "2026-01-01T00:00:00+00:00", []),
    ]);
    expect(observation.state).toBe("terminal");
    expect(elapsedMs).toBeGreaterThanOrEqual(20_000);
    const verdict = evaluate(spec, observation);
    expect(verdict.outcome).toBe("fail");
    expect(verdict.fleet[0]?.message).toBe(
      "no task matched the target; set allowNoTasks: true if that is expected",
    );
  });

  test("latest with instanceIds never passes over a newer run whose tasks are not listed yet", async () => {
    const { observation } = await watchScripted(
      `target: { latest: { commandId: cmd-deploy01, instanceIds: [ins-1], since: 1h } }\n${WAIT}`,
      (ms) => [
        invocation(
          "inv-newrun001",
          "2026-01-01T00:00:00+00:00",
          ms < 6_000 ? [] : [["ins-1", "SUCCESS"]],
        ),
        invocation("inv-oldrun001", "2025-12-31T23:50:00+00:00", [["ins-1", "SUCCESS"]]),
      ],
    );
    expect(invocationsOf(observation)).toEqual(["inv-newrun001"]);
  });
});

describe("latest with instanceIds and a newer run listed short", () => {
  test("is not passed over for an older run while its status says its list is not all its tasks", async () => {
    const { observation } = await watchScripted(
      `target: { latest: { commandId: cmd-deploy01, instanceIds: [ins-1], since: 1h } }\n${WAIT}`,
      (ms) => [
        // It failed on ins-1; until 6 s the listing shows only its task on ins-9.
        ms < 6_000
          ? invocation(
              "inv-newrun001",
              "2026-01-01T00:00:00+00:00",
              [["ins-9", "SUCCESS"]],
              "PARTIAL_FAILED",
            )
          : invocation("inv-newrun001", "2026-01-01T00:00:00+00:00", [
              ["ins-9", "SUCCESS"],
              ["ins-1", "FAILED"],
            ]),
        invocation("inv-oldrun001", "2025-12-31T23:50:00+00:00", [["ins-1", "SUCCESS"]]),
      ],
    );
    expect(invocationsOf(observation)).toEqual(["inv-newrun001"]);
  });

  test("is passed over once its list is final and without these instances", async () => {
    const { observation } = await watchScripted(
      `target: { latest: { commandId: cmd-deploy01, instanceIds: [ins-1], since: 1h } }\n${WAIT}`,
      () => [
        invocation("inv-newrun001", "2026-01-01T00:00:00+00:00", [["ins-9", "SUCCESS"]]),
        invocation("inv-oldrun001", "2025-12-31T23:50:00+00:00", [["ins-1", "SUCCESS"]]),
      ],
    );
    expect(invocationsOf(observation)).toEqual(["inv-oldrun001"]);
  });
});

describe("CreatedTime and since", () => {
  test("CreatedTime with +00:00, Z or no zone is UTC", () => {
    const utc = Date.parse("2026-11-30T06:00:00Z");
    expect(createdMs("2026-11-30T06:00:00+00:00")).toBe(utc);
    expect(createdMs("2026-11-30T06:00:00Z")).toBe(utc);
    expect(createdMs("2026-11-30T06:00:00")).toBe(utc);
    expect(createdMs("2026-11-30 06:00:00")).toBe(utc);
    expect(createdMs("2026-11-30T14:00:00+08:00")).toBe(utc);
    expect(createdMs("")).toBeUndefined();
    expect(createdMs("yesterday")).toBeUndefined();
  });

  test("since is rounded down to its second, as CreatedTime has whole seconds", () => {
    const start = Date.parse("2026-11-30T06:15:00.700Z");
    expect(sinceMs({ agoMs: 15 * 60_000 }, start)).toBe(Date.parse("2026-11-30T06:00:00Z"));
    expect(sinceMs({ at: "2026-11-30T06:00:00.400Z" }, start)).toBe(
      Date.parse("2026-11-30T06:00:00Z"),
    );
  });
});
