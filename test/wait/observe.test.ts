// The poller against the TAT emulator over real HTTP. One manual clock drives both the emulator's
// task timelines and the poller's sleeps, so minutes of waiting take milliseconds and every delay
// the poller chose is recorded.
import { afterEach, describe, expect, test } from "@jest/globals";
import { type CredentialProvider, staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  type ManualClock,
  manualClock,
  type RawInvocation,
  type RawScenario,
  startEmulator,
} from "../../src/emulator/index.js";
import { CredentialsError } from "../../src/errors.js";
import type { Spec, TaskObservation } from "../../src/model.js";
import { type Probe, plan } from "../../src/plan/plan.js";
import { parseSpecs } from "../../src/spec/load.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { COMMAND_TIMEOUT_SLACK_MS, observe } from "../../src/wait/observe.js";
import { lastPollLeadMs } from "../../src/wait/schedule.js";
import { tatReader } from "../../src/wait/tat-reader.js";

const CRED = { secretId: "AKIDOBSERVE000000000000000000000000", secretKey: "observe-secret" };
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function specOf(yaml: string): Spec {
  const { specs, issues } = parseSpecs(yaml, "spec.yml", { env: {} });
  expect(issues).toEqual([]);
  return specs[0] as Spec;
}

interface SetUpOptions {
  faults?: RawScenario["faults"];
  /** Real time instead of one manual clock (for what only real time can show). */
  realTime?: boolean;
  /** The emulator's wait for injected latency. */
  emulatorSleep?: (ms: number) => Promise<void>;
  credentials?: CredentialProvider;
  /** The client's backoff between retries. */
  clientSleep?: (ms: number) => Promise<void>;
}

async function setUp(invocations: RawInvocation[], spec: string, o: SetUpOptions = {}) {
  const clock: ManualClock = manualClock();
  emulator = await startEmulator({
    scenario: buildScenario({
      version: 1,
      credentials: [CRED],
      invocations,
      ...(o.faults && { faults: o.faults }),
    }),
    ...(!o.realTime && { clock }),
    ...(o.emulatorSleep && { sleep: o.emulatorSleep }),
  });
  const client = new TatClient({
    endpoint: emulator.url,
    region: "ap-guangzhou",
    credentials: o.credentials ?? staticCredentials(CRED),
    limiter: new RateLimiter(),
    ...(o.clientSleep && { sleep: o.clientSleep }),
  });
  const sleeps: number[] = [];
  const probe = plan([specOf(spec)])[0] as Probe;
  const deps = {
    api: tatReader(client),
    now: o.realTime ? Date.now : () => clock.now(),
    sleep: o.realTime
      ? (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
      : async (ms: number) => {
          sleeps.push(ms);
          clock.advance(ms);
        },
    random: () => 0.5,
  };
  return { clock, probe, deps, sleeps, emulator };
}

const task = (instance: string, timeline: string, extra: Record<string, unknown> = {}) => ({
  instance,
  timeline,
  ...extra,
});

describe("observe", () => {
  test("waits until every task is terminal and fetches each task's record once", async () => {
    const {
      probe,
      deps,
      emulator: emu,
    } = await setUp(
      [
        {
          id: "inv-obs00001",
          commandId: "cmd-obs1",
          tasks: [
            task("ins-00000001", "PENDING@0s RUNNING@5s SUCCESS@20s", { output: "ok\n" }),
            task("ins-00000002", "PENDING@0s RUNNING@5s SUCCESS@40s", { output: "ok\n" }),
            task("ins-00000003", "PENDING@0s RUNNING@5s FAILED@60s", {
              exitCode: 3,
              output: "boom\n",
            }),
          ],
        },
      ],
      "version: 1\ntarget: { invocationId: inv-obs00001 }\nwait: { timeout: 10m, minInterval: 2s, maxInterval: 10s }\nexpect: { exitCode: 0 }\n",
    );
    const obs = await observe(probe, deps);
    expect(obs.state).toBe("terminal");
    expect(obs.tasks.map((t) => [t.instanceId, t.status, t.exitCode])).toEqual([
      ["ins-00000001", "SUCCESS", 0],
      ["ins-00000002", "SUCCESS", 0],
      ["ins-00000003", "FAILED", 3],
    ]);
    // No expectation reads output: it is never asked for.
    expect(obs.tasks.every((t) => !t.outputFetched && t.outputSummary === undefined)).toBe(true);
    expect(obs.tasks[2]?.history.map((h) => h.status)).toEqual(["PENDING", "RUNNING", "FAILED"]);
    // Progress comes from DescribeInvocations; task records are fetched only when a task ends.
    const stats = emu.stats().requests;
    expect(stats.DescribeInvocations).toBe(obs.polls);
    expect(stats.DescribeInvocationTasks ?? 0).toBeLessThanOrEqual(3);
  });

  test("fetches output only when an expectation reads it", async () => {
    const { probe, deps } = await setUp(
      [
        {
          id: "inv-obs00002",
          commandId: "cmd-obs2",
          tasks: [
            task("ins-00000001", "PENDING@0s RUNNING@1s SUCCESS@2s", { output: "deploy ok\n" }),
          ],
        },
      ],
      "version: 1\ntarget: { invocationId: inv-obs00002 }\nwait: { minInterval: 1s, maxInterval: 2s }\nexpect: { output: { matches: ['deploy ok'] } }\n",
    );
    expect(probe.needsOutput).toBe(true);
    const judged: TaskObservation[] = [];
    const obs = await observe(probe, { ...deps, onTask: (t) => judged.push({ ...t }) });
    // The judge gets the whole output once; the observation keeps only its summary.
    expect(judged.map((t) => t.output)).toEqual(["deploy ok\n"]);
    expect(obs.tasks[0]).toMatchObject({
      outputFetched: true,
      outputSummary: { chars: 10, lines: 1, tail: "deploy ok\n" },
    });
    expect(obs.tasks[0]).not.toHaveProperty("output");
  });

  test("never sleeps past the deadline and takes a last look just before it", async () => {
    const { probe, deps, sleeps, clock } = await setUp(
      [
        {
          id: "inv-obs00003",
          commandId: "cmd-obs3",
          tasks: [task("ins-00000001", "PENDING@0s RUNNING@1s")],
        },
      ],
      "version: 1\ntarget: { invocationId: inv-obs00003 }\nwait: { timeout: 95s, minInterval: 2s, maxInterval: 30s }\n",
    );
    const start = clock.now();
    const obs = await observe(probe, deps);
    expect(obs.state).toBe("timeout");
    const slept = sleeps.reduce((a, b) => a + b, 0);
    expect(slept).toBeLessThanOrEqual(95_000);
    expect(slept).toBe(95_000 - lastPollLeadMs(2000));
    expect(Date.parse(obs.lastPollAt ?? "")).toBe(start + slept);
    expect(obs.statusCounts).toEqual({ RUNNING: 1 });
    // Delays grew from the minimum towards the maximum.
    expect(sleeps[0]).toBeLessThan(sleeps[3] ?? 0);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(30_000);
  });

  test("an invocation that appears late is found within the grace window", async () => {
    const { probe, deps } = await setUp(
      [
        {
          id: "inv-obs00004",
          commandId: "cmd-obs4",
          appearsAt: "6s",
          tasks: [task("ins-00000001", "PENDING@0s RUNNING@7s SUCCESS@8s")],
        },
      ],
      "version: 1\ntarget: { invocationId: inv-obs00004 }\nwait: { minInterval: 1s, maxInterval: 2s, notFoundGrace: 30s }\n",
    );
    const obs = await observe(probe, deps);
    expect(obs.state).toBe("terminal");
    expect(obs.tasks).toHaveLength(1);
  });

  test("after the grace window an invocation never found is named", async () => {
    const { probe, deps, clock } = await setUp(
      [{ id: "inv-obs00005", commandId: "cmd-obs5", tasks: [task("ins-00000001", "PENDING@0s")] }],
      "version: 1\ntarget: { invocationId: inv-obs00099 }\nwait: { minInterval: 1s, maxInterval: 2s, notFoundGrace: 10s }\n",
    );
    const start = clock.now();
    const obs = await observe(probe, deps);
    expect(obs.state).toBe("not-found");
    expect(obs.reason).toContain("inv-obs00099");
    expect(clock.now() - start).toBeGreaterThanOrEqual(10_000);
    expect(clock.now() - start).toBeLessThan(13_000);
  });

  test("a refused request stops the wait at once with the code and RequestId", async () => {
    const {
      probe,
      deps,
      emulator: emu,
    } = await setUp(
      [{ id: "inv-obs00006", commandId: "cmd-obs6", tasks: [task("ins-00000001", "PENDING@0s")] }],
      "version: 1\ntarget: { invocationId: inv-obs00006 }\n",
      { credentials: staticCredentials({ ...CRED, secretKey: "wrong" }) },
    );
    const obs = await observe(probe, deps);
    expect(obs.state).toBe("api-error");
    expect(obs.apiErrors).toHaveLength(1);
    expect(obs.apiErrors[0]).toMatchObject({
      code: "AuthFailure.SignatureFailure",
      recovered: false,
    });
    expect(obs.apiErrors[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emu.stats().requests.DescribeInvocations).toBe(1);
  });

  test("an abort ends the wait with what was seen", async () => {
    const { probe, deps } = await setUp(
      [
        {
          id: "inv-obs00007",
          commandId: "cmd-obs7",
          tasks: [task("ins-00000001", "PENDING@0s RUNNING@1s")],
        },
      ],
      "version: 1\ntarget: { invocationId: inv-obs00007 }\nwait: { minInterval: 1s, maxInterval: 2s }\n",
    );
    const controller = new AbortController();
    let polls = 0;
    const obs = await observe(probe, {
      ...deps,
      signal: controller.signal,
      onProgress: () => {
        if (++polls === 3) controller.abort(new Error("cancelled by SIGINT"));
      },
    });
    expect(obs.state).toBe("aborted");
    expect(obs.reason).toBe("cancelled by SIGINT");
    expect(obs.tasks[0]?.status).toBe("RUNNING");
  });

  test("task-id and filter targets", async () => {
    const invocations = [
      {
        id: "inv-obs00008",
        commandId: "cmd-obs8",
        tasks: [
          task("ins-00000001", "PENDING@0s RUNNING@1s SUCCESS@3s", { id: "invt-obs00001" }),
          task("ins-00000002", "PENDING@0s RUNNING@1s SUCCESS@4s", { id: "invt-obs00002" }),
        ],
      },
    ];
    const byId = await setUp(
      invocations,
      "version: 1\ntarget: { taskIds: [invt-obs00002] }\nwait: { minInterval: 1s, maxInterval: 2s }\n",
    );
    const one = await observe(byId.probe, byId.deps);
    expect(one.tasks.map((t) => t.taskId)).toEqual(["invt-obs00002"]);
    expect(one.state).toBe("terminal");
    await emulator?.close();
    const byFilter = await setUp(
      invocations,
      "version: 1\ntarget: { filters: { instance-id: [ins-00000001] } }\nwait: { minInterval: 1s, maxInterval: 2s }\n",
    );
    const filtered = await observe(byFilter.probe, byFilter.deps);
    expect(filtered.tasks.map((t) => t.instanceId)).toEqual(["ins-00000001"]);
    expect(filtered.tasks[0]?.status).toBe("SUCCESS");
  });
});

test("API errors met and recovered are part of the observation", async () => {
  const { probe, deps } = await setUp(
    [
      {
        id: "inv-obs00009",
        commandId: "cmd-obs9",
        tasks: [task("ins-00000001", "PENDING@0s RUNNING@1s SUCCESS@2s")],
      },
    ],
    "version: 1\ntarget: { invocationId: inv-obs00009 }\nwait: { minInterval: 1s, maxInterval: 2s }\n",
    {
      faults: [{ action: "DescribeInvocations", error: "InternalError", times: 1 }],
      clientSleep: async () => {},
    },
  );
  const obs = await observe(probe, deps);
  expect(obs.state).toBe("terminal");
  expect(obs.apiErrors).toEqual([
    expect.objectContaining({
      action: "DescribeInvocations",
      code: "InternalError",
      recovered: true,
    }),
  ]);
});

test("the deadline bounds a poll in flight: a hung API cannot stretch the wait", async () => {
  const { probe, deps } = await setUp(
    [{ id: "inv-obs00010", commandId: "cmd-obs10", tasks: [task("ins-00000001", "PENDING@0s")] }],
    "version: 1\ntarget: { invocationId: inv-obs00010 }\nwait: { timeout: 1s, minInterval: 200ms, maxInterval: 500ms }\n",
    {
      faults: [{ action: "DescribeInvocations", latency: "10m" }],
      realTime: true,
      // The injected latency never ends and holds no timer, so nothing outlives the test.
      emulatorSleep: () => new Promise(() => {}),
    },
  );
  const obs = await observe(probe, deps);
  // No answer at all is neither "not found" nor "no tasks": it is the API failing.
  expect(obs.state).toBe("api-error");
  expect(obs.reason).toMatch(/^no answer from the TAT API before the deadline/);
  // Without the bound, the client's 15 s request timeout and retries would have run for minutes.
  expect(Date.parse(obs.endedAt) - Date.parse(obs.startedAt)).toBeLessThan(10_000);
});

test("credentials that cannot be refreshed mid-wait end the wait as an API error, not a crash", async () => {
  let calls = 0;
  const { probe, deps } = await setUp(
    [
      {
        id: "inv-obs00011",
        commandId: "cmd-obs11",
        tasks: [task("ins-00000001", "PENDING@0s RUNNING@1s")],
      },
    ],
    "version: 1\ntarget: { invocationId: inv-obs00011 }\nwait: { minInterval: 1s, maxInterval: 2s }\n",
    {
      credentials: {
        source: "test",
        get: async () => {
          if (++calls > 2) throw new CredentialsError("OIDC: STS refused the refreshed token");
          return CRED;
        },
      },
    },
  );
  const obs = await observe(probe, deps);
  expect(obs.state).toBe("api-error");
  expect(obs.reason).toContain("STS refused the refreshed token");
  expect(obs.tasks[0]?.status).toBe("RUNNING");
});

describe("a default wait grows to the runbook's own command timeout", () => {
  const longRun: RawInvocation[] = [
    {
      id: "inv-obs00012",
      commandId: "cmd-obs12",
      timeout: 3600,
      tasks: [task("ins-00000001", "PENDING@0s RUNNING@10s SUCCESS@30m")],
    },
  ];

  test("no wait.timeout: a 30-minute task of a 1-hour command is waited for", async () => {
    const { probe, deps } = await setUp(
      longRun,
      "version: 1\ntarget: { invocationId: inv-obs00012 }\nwait: { maxInterval: 1m }\n",
    );
    expect(probe.wait.timeoutDefaulted).toBe(true);
    const obs = await observe(probe, deps);
    expect(obs.state).toBe("terminal");
    expect(obs.deadlineMs).toBe(3600_000 + COMMAND_TIMEOUT_SLACK_MS);
  });

  test.each([
    ["a billion seconds", 1e9],
    ["so many seconds that the milliseconds overflow to Infinity", 1e308],
  ])(
    "a command timeout past TAT's 86400 s (%s) grows it no further than 86400 s",
    async (_, timeout) => {
      const { probe, deps } = await setUp(
        [
          {
            id: "inv-obs00017",
            commandId: "cmd-obs17",
            tasks: [task("ins-00000001", "PENDING@0s RUNNING@10s SUCCESS@1000h")],
          },
        ],
        "version: 1\ntarget: { invocationId: inv-obs00017 }\nwait: { minInterval: 10m, maxInterval: 30m }\n",
        {
          faults: [
            {
              action: "DescribeInvocations",
              corrupt: { path: "InvocationSet[0].Timeout", value: timeout },
            },
          ],
        },
      );
      const obs = await observe(probe, deps);
      expect(obs.state).toBe("timeout");
      expect(obs.deadlineMs).toBe(86_400_000 + COMMAND_TIMEOUT_SLACK_MS);
    },
  );

  test("a written wait.timeout is kept as written", async () => {
    const { probe, deps } = await setUp(
      longRun,
      "version: 1\ntarget: { invocationId: inv-obs00012 }\nwait: { timeout: 10m, maxInterval: 1m }\n",
    );
    const obs = await observe(probe, deps);
    expect(obs.state).toBe("timeout");
    expect(obs.deadlineMs).toBe(600_000);
  });

  test("--timeout is kept as given", () => {
    const spec = specOf("version: 1\ntarget: { invocationId: inv-obs00012 }\n");
    expect(plan([spec], { timeoutMs: 60_000 })[0]?.wait).toMatchObject({
      timeoutMs: 60_000,
      timeoutDefaulted: false,
    });
  });
});

test("a filters target with no answer before the deadline is never 'terminal with no tasks'", async () => {
  const { probe, deps } = await setUp(
    [
      {
        id: "inv-obs00013",
        commandId: "cmd-obs13",
        tasks: [task("ins-00000001", "PENDING@0s RUNNING@1s FAILED@2s", { exitCode: 2 })],
      },
    ],
    "version: 1\ntarget: { filters: { instance-id: [ins-00000001] } }\nallowNoTasks: true\nwait: { timeout: 1s, minInterval: 200ms, maxInterval: 500ms }\n",
    {
      faults: [{ latency: "10m" }],
      realTime: true,
      emulatorSleep: () => new Promise(() => {}),
    },
  );
  const obs = await observe(probe, deps);
  expect(obs.state).toBe("api-error");
  expect(obs.tasks).toEqual([]);
});

test("deadlines longer than a timer can hold do not end the wait at once", async () => {
  const { probe, deps } = await setUp(
    [
      {
        id: "inv-obs00014",
        commandId: "cmd-obs14",
        tasks: [task("ins-00000001", "PENDING@0s RUNNING@1s SUCCESS@2s")],
      },
    ],
    "version: 1\ntarget: { invocationId: inv-obs00014 }\nwait: { timeout: 900h, minInterval: 1s, maxInterval: 2s }\n",
  );
  const obs = await observe(probe, deps);
  expect(obs.state).toBe("terminal");
});

test("a default wait grows for task-id targets too, from the task's command document", async () => {
  const { probe, deps } = await setUp(
    [
      {
        id: "inv-obs00015",
        commandId: "cmd-obs15",
        timeout: 3600,
        tasks: [
          task("ins-00000001", "PENDING@0s RUNNING@10s SUCCESS@30m", { id: "invt-obs00015" }),
        ],
      },
    ],
    "version: 1\ntarget: { taskIds: [invt-obs00015] }\nwait: { maxInterval: 1m }\n",
  );
  const obs = await observe(probe, deps);
  expect(obs.state).toBe("terminal");
  expect(obs.deadlineMs).toBe(3600_000 + COMMAND_TIMEOUT_SLACK_MS);
  expect(obs.invocations).toEqual([
    { invocationId: "inv-obs00015", commandId: "cmd-obs15", timeoutSeconds: 3600 },
  ]);
});

test("the budget growing on the last look before the default deadline keeps the wait going", async () => {
  const { probe, deps } = await setUp(
    [
      {
        id: "inv-obs00016",
        commandId: "cmd-obs16",
        timeout: 3600,
        appearsAt: "599s",
        tasks: [task("ins-00000001", "PENDING@0s RUNNING@600s SUCCESS@20m")],
      },
    ],
    "version: 1\ntarget: { invocationId: inv-obs00016 }\nwait: { maxInterval: 30s, notFoundGrace: 15m }\n",
  );
  const obs = await observe(probe, deps);
  expect(obs.state).toBe("terminal");
  expect(obs.deadlineMs).toBe(3600_000 + COMMAND_TIMEOUT_SLACK_MS);
});
