// RunCommand, InvokeCommand and CancelInvocation in the emulator, through TatClient over HTTP:
// parameters and limits, instance and agent states, saved commands with {{name}}, scripted
// results, cancel semantics and the dropped-answer fault.
import { afterEach, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  type ManualClock,
  manualClock,
  type RawScenario,
  startEmulator,
} from "../../src/emulator/index.js";
import { type TatApiError, TatNetworkError } from "../../src/errors.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { rejection } from "../helpers/rejection.js";

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const CRED = { secretId: "AKIDRUN", secretKey: "run-secret" };

async function setup(
  raw: Omit<RawScenario, "credentials"> = {},
  clock: ManualClock = manualClock(),
) {
  const scenario = buildScenario({ version: 1, credentials: [CRED], ...raw });
  const emu = await startEmulator({ scenario, clock });
  emulators.push(emu);
  const client = new TatClient({
    endpoint: emu.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(CRED),
    limiter: new RateLimiter(),
    retries: 0,
  });
  return { emu, client, clock };
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const code = async (p: Promise<unknown>) => ((await rejection(p)) as TatApiError).code;

async function tasksOf(client: TatClient, invocationId: string) {
  const res = await client.describeInvocationTasks({
    Filters: [{ Name: "invocation-id", Values: [invocationId] }],
    HideOutput: false,
    Limit: 100,
  });
  return res.InvocationTaskSet.map((t) => ({
    instance: t.InstanceId,
    status: t.TaskStatus,
    exitCode: t.TaskResult?.ExitCode,
    output: Buffer.from(t.TaskResult?.Output ?? "", "base64").toString("utf8"),
    errorInfo: t.ErrorInfo,
  }));
}

describe("RunCommand", () => {
  test("creates an invocation with one task per instance that Describe* then return", async () => {
    const { client, clock } = await setup();
    const res = await client.runCommand({
      Content: b64("echo hi"),
      InstanceIds: ["ins-a1", "ins-a2"],
      CommandName: "hello",
      Description: "tat-assert run 1234",
      Timeout: 30,
    });
    expect(res.InvocationId).toMatch(/^inv-[a-z0-9]{8}$/);
    expect(res.CommandId).toMatch(/^cmd-[a-z0-9]{8}$/);
    expect((await tasksOf(client, res.InvocationId)).map((t) => t.status)).toEqual([
      "PENDING",
      "PENDING",
    ]);
    clock.advance(2000);
    const [inv] = (await client.describeInvocations({ InvocationIds: [res.InvocationId] }))
      .InvocationSet;
    expect(inv).toMatchObject({
      InvocationStatus: "SUCCESS",
      CommandId: res.CommandId,
      CommandName: "hello",
      Description: "tat-assert run 1234",
      Timeout: 30,
      CommandContent: b64("echo hi"),
    });
  });

  test("refuses what the API refuses, with the documented codes", async () => {
    const { client } = await setup();
    const ok = { Content: b64("true"), InstanceIds: ["ins-a1"] };
    const many = Array.from({ length: 201 }, (_, i) => `ins-${i}`);
    expect(await code(client.runCommand({ ...ok, InstanceIds: many }))).toBe(
      "InvalidParameterValue.LimitExceeded",
    );
    expect(await code(client.runCommand({ ...ok, InstanceIds: ["i-bad"] }))).toBe(
      "InvalidParameterValue.InvalidInstanceId",
    );
    expect(await code(client.runCommand({ ...ok, InstanceIds: ["ins-a", "lhins-b"] }))).toBe(
      "InvalidParameterValue.InconsistentInstance",
    );
    expect(await code(client.runCommand({ ...ok, Timeout: 86401 }))).toBe(
      "InvalidParameterValue.Range",
    );
    expect(await code(client.runCommand({ ...ok, Content: "a".repeat(65540) }))).toBe(
      "InvalidParameterValue.TooLong",
    );
    expect(await code(client.runCommand({ ...ok, Content: "not base64!" }))).toBe(
      "InvalidParameterValue.InvalidContent",
    );
    expect(await code(client.runCommand({ ...ok, Parameters: '{"a":"1"}' }))).toBe(
      "InvalidParameterValue.SupportParametersOnlyIfEnableParameter",
    );
    expect(
      await code(client.runCommand({ ...ok, EnableParameter: true, Parameters: '{"a":1}' })),
    ).toBe("InvalidParameterValue.ParameterValueNotString");
    expect(
      await code(client.runCommand({ ...ok, Content: b64("echo {{v}}"), EnableParameter: true })),
    ).toBe("InvalidParameterValue.LackOfParameterInfo");
    expect(await code(client.runCommand({ ...ok, OutputCOSBucketUrl: "http://x" }))).toBe(
      "InvalidParameterValue.InvalidOutputCOSBucketUrl",
    );
    expect(await code(client.runCommand({ ...ok, CommandType: "POWERSHELL" }))).toBe(
      "InvalidParameterValue.AgentUnsupportedCommandType",
    );
    expect(await code(client.request("RunCommand", { ...ok, Bogus: 1 }))).toBe("UnknownParameter");
    expect(await code(client.request("RunCommand", { InstanceIds: ["ins-a"] }))).toBe(
      "MissingParameter",
    );
  });

  test("instance and agent states: not found, stopped, no agent refuse; offline ends DELIVER_FAILED", async () => {
    const { client, clock } = await setup({
      instances: [
        { id: "ins-up" },
        { id: "ins-off", agent: "offline" },
        { id: "ins-none", agent: "not-installed" },
        { id: "ins-stop", state: "STOPPED" },
        { id: "ins-win", platform: "Windows" },
      ],
    });
    const run = (ids: string[], type?: "POWERSHELL") =>
      client.runCommand({
        Content: b64("x"),
        InstanceIds: ids,
        ...(type && { CommandType: type }),
      });
    expect(await code(run(["ins-ghost"]))).toBe("ResourceNotFound.InstanceNotFound");
    expect(await code(run(["ins-stop"]))).toBe("ResourceUnavailable.InstanceStateNotRunning");
    expect(await code(run(["ins-none"]))).toBe("ResourceUnavailable.AgentNotInstalled");
    expect(await code(run(["ins-win"]))).toBe("InvalidParameterValue.AgentUnsupportedCommandType");
    await expect(run(["ins-win"], "POWERSHELL")).resolves.toHaveProperty("InvocationId");
    const res = await run(["ins-up", "ins-off"]);
    clock.advance(5000);
    const tasks = await tasksOf(client, res.InvocationId);
    expect(tasks).toEqual([
      expect.objectContaining({ instance: "ins-up", status: "SUCCESS", exitCode: 0 }),
      expect.objectContaining({
        instance: "ins-off",
        status: "DELIVER_FAILED",
        exitCode: -1,
        errorInfo: expect.stringContaining("offline"),
      }),
    ]);
  });

  test("scripted rules decide timeline, output and exit code by content and instance", async () => {
    const { client, clock } = await setup({
      onRun: [
        { match: { content: "deploy", instance: "ins-b" }, exitCode: 3, output: "disk full\n" },
        {
          match: { content: "/deploy\\.sh 2\\.\\d/" },
          timeline: "PENDING@0s RUNNING@1s SUCCESS@3s",
          output: "deployed\n",
        },
      ],
    });
    const res = await client.runCommand({
      Content: b64("/opt/deploy.sh {{v}}"),
      InstanceIds: ["ins-a", "ins-b"],
      EnableParameter: true,
      Parameters: JSON.stringify({ v: "2.4" }),
    });
    clock.advance(2000);
    expect((await tasksOf(client, res.InvocationId)).map((t) => t.status)).toEqual([
      "RUNNING",
      "FAILED",
    ]);
    clock.advance(2000);
    expect(await tasksOf(client, res.InvocationId)).toEqual([
      expect.objectContaining({ status: "SUCCESS", exitCode: 0, output: "deployed\n" }),
      expect.objectContaining({ status: "FAILED", exitCode: 3, output: "disk full\n" }),
    ]);
  });

  test("a dropped answer still created the invocation (once)", async () => {
    const { client, emu } = await setup({ dropAfterCreate: { times: 1 } });
    const err = await rejection(
      client.runCommand({ Content: b64("true"), InstanceIds: ["ins-a"] }),
    );
    expect(err).toBeInstanceOf(TatNetworkError);
    const all = await client.describeInvocations({ Limit: 100 });
    expect(all.TotalCount).toBe(1);
    expect(emu.stats().requests.RunCommand).toBe(1);
    await expect(
      client.runCommand({ Content: b64("true"), InstanceIds: ["ins-a"] }),
    ).resolves.toHaveProperty("InvocationId");
  });
});

describe("InvokeCommand", () => {
  const commands = [
    {
      id: "cmd-deploy",
      name: "deploy",
      content: "deploy {{version}} {{tat-hidden:token}}",
      defaultParameters: { version: "1.0", token: "t0" },
      timeout: 120,
    },
    { id: "cmd-plain", content: "uptime" },
  ];

  test("runs a saved command with defaults overridden per call; hidden values never shown", async () => {
    const { client, clock } = await setup({
      commands,
      onRun: [{ match: { content: "deploy 2.0 s3cr3t" }, output: "matched\n" }],
    });
    const res = await client.invokeCommand({
      CommandId: "cmd-deploy",
      InstanceIds: ["ins-a"],
      Parameters: JSON.stringify({ version: "2.0", token: "s3cr3t" }),
    });
    const [inv] = (await client.describeInvocations({ InvocationIds: [res.InvocationId] }))
      .InvocationSet;
    expect(inv).toMatchObject({ CommandId: "cmd-deploy", Timeout: 120, CommandName: "deploy" });
    expect(JSON.parse(inv?.Parameters ?? "")).toEqual({ version: "2.0", token: "******" });
    expect(JSON.parse(inv?.DefaultParameters ?? "")).toEqual({ version: "1.0", token: "******" });
    expect(JSON.stringify(inv)).not.toContain("s3cr3t");
    clock.advance(2000);
    expect((await tasksOf(client, res.InvocationId))[0]?.output).toBe("matched\n");
  });

  test("unknown, malformed and parameter-less commands are refused", async () => {
    const { client } = await setup({ commands });
    expect(
      await code(client.invokeCommand({ CommandId: "cmd-nope", InstanceIds: ["ins-a"] })),
    ).toBe("ResourceNotFound.CommandNotFound");
    expect(await code(client.invokeCommand({ CommandId: "bad", InstanceIds: ["ins-a"] }))).toBe(
      "InvalidParameterValue.InvalidCommandId",
    );
    expect(
      await code(
        client.invokeCommand({ CommandId: "cmd-plain", InstanceIds: ["ins-a"], Parameters: "{}" }),
      ),
    ).toBe("InvalidParameterValue.ParameterDisabled");
  });

  test("a command saved by RunCommand can be invoked by its id", async () => {
    const { client } = await setup();
    const first = await client.runCommand({
      Content: b64("true"),
      InstanceIds: ["ins-a"],
      SaveCommand: true,
      CommandName: "saved-one",
    });
    await expect(
      client.invokeCommand({ CommandId: first.CommandId, InstanceIds: ["ins-b"] }),
    ).resolves.toHaveProperty("InvocationId");
    expect(
      await code(
        client.runCommand({
          Content: b64("true"),
          InstanceIds: ["ins-a"],
          SaveCommand: true,
          CommandName: "saved-one",
        }),
      ),
    ).toBe("InvalidParameterValue.CommandNameDuplicated");
  });
});

describe("CancelInvocation", () => {
  test("tasks not yet running become CANCELLED, running ones TERMINATED, finished ones stay", async () => {
    const { client, clock } = await setup({
      onRun: [
        { match: { instance: "ins-fast" }, timeline: "PENDING@0s RUNNING@0.1s SUCCESS@0.2s" },
        { match: { instance: "ins-run" }, timeline: "PENDING@0s RUNNING@0.1s SUCCESS@60s" },
        { match: { instance: "ins-late" }, timeline: "PENDING@0s RUNNING@30s SUCCESS@60s" },
      ],
    });
    const res = await client.runCommand({
      Content: b64("sleep 60"),
      InstanceIds: ["ins-fast", "ins-run", "ins-late"],
    });
    clock.advance(1000);
    await client.cancelInvocation({ InvocationId: res.InvocationId });
    clock.advance(100_000);
    expect((await tasksOf(client, res.InvocationId)).map((t) => [t.status, t.exitCode])).toEqual([
      ["SUCCESS", 0],
      ["TERMINATED", -1],
      ["CANCELLED", -1],
    ]);
    const [inv] = (await client.describeInvocations({ InvocationIds: [res.InvocationId] }))
      .InvocationSet;
    expect(inv?.InvocationStatus).toBe("PARTIAL_CANCELLED");
  });

  test("may be limited to instances of the invocation; unknown ones are refused", async () => {
    const { client } = await setup({
      onRun: [{ match: { content: "sleep" }, timeline: "PENDING@0s RUNNING@0.1s SUCCESS@60s" }],
    });
    const res = await client.runCommand({ Content: b64("sleep"), InstanceIds: ["ins-a", "ins-b"] });
    expect(
      await code(
        client.cancelInvocation({ InvocationId: res.InvocationId, InstanceIds: ["ins-z"] }),
      ),
    ).toBe("InvalidParameterValue.InstanceIsNotRelatedToInvocation");
    expect(await code(client.cancelInvocation({ InvocationId: "inv-00000000" }))).toBe(
      "ResourceNotFound.InvocationNotFound",
    );
    await client.cancelInvocation({ InvocationId: res.InvocationId, InstanceIds: ["ins-b"] });
    expect((await tasksOf(client, res.InvocationId)).map((t) => t.status)).toEqual([
      "PENDING",
      "CANCELLED",
    ]);
  });
});

describe("scenario keys for starting commands", () => {
  test("mistakes are reported with file:line:col", async () => {
    const { parseScenario } = await import("../../src/emulator/index.js");
    const text = [
      "version: 1",
      "instances:",
      "  - { id: ins-a }",
      "  - { id: ins-a, agent: sleeping }",
      "onRun:",
      "  - { match: { content: x }, timeline: 'PENDING@0s SUCCESS@1s', exitCode: 2 }",
      "  - { match: {}, output: y }",
    ].join("\n");
    let message = "";
    try {
      parseScenario(text, "s.yml");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("s.yml:4:");
    expect(message).toContain("agent");
    expect(message).toContain("s.yml:7:");
  });

  test("semantic problems come after the schema passes: duplicates and exit codes", async () => {
    const { parseScenario } = await import("../../src/emulator/index.js");
    const text = [
      "version: 1",
      "instances:",
      "  - { id: ins-a }",
      "  - { id: ins-a }",
      "onRun:",
      "  - { match: { content: x }, timeline: 'PENDING@0s SUCCESS@1s', exitCode: 2 }",
    ].join("\n");
    expect(() => parseScenario(text, "s.yml")).toThrow(
      /s\.yml:4:\d+: instances\[1\]\.id: instance `ins-a` is listed twice[\s\S]*s\.yml:6:\d+: onRun\[0\]\.exitCode: a task that ends in SUCCESS exits 0/,
    );
  });
});
