// The launcher's pieces: the requests a RunBlock becomes, which failures may have started a
// command, what counts as "our" invocation, and a launch that fails half-way (against the emulator).
import { afterEach, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { MalformedResponseError, TatApiError, TatNetworkError } from "../../src/errors.js";
import { findStarted, isOurs } from "../../src/launch/adopt.js";
import { launchHook } from "../../src/launch/gate-hook.js";
import { mayHaveStarted } from "../../src/launch/launch.js";
import { LaunchRefusedError } from "../../src/launch/launch-error.js";
import { startRequests } from "../../src/launch/requests.js";
import type { RunBlock, Spec } from "../../src/model.js";
import { parseSpecs } from "../../src/spec/load.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { rejection } from "../helpers/rejection.js";

const where = { file: "s.yml", line: 1, col: 1 };
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

/** A client of `emu`, which is closed after the test. */
function clientOf(emu: Emulator, cred: { secretId: string; secretKey: string }): TatClient {
  emulators.push(emu);
  return new TatClient({
    endpoint: emu.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(cred),
    limiter: new RateLimiter(),
  });
}
const ids = (n: number) => Array.from({ length: n }, (_, i) => `ins-${String(i).padStart(4, "0")}`);

describe("startRequests", () => {
  test("450 instances: three RunCommand calls of 200/200/50, each with its own findable name", () => {
    const run: RunBlock = {
      command: "echo {{v}}",
      parameters: { v: "1" },
      instances: ids(450),
      where,
    };
    const reqs = startRequests(run, "tok");
    expect(reqs.map((r) => r.body.InstanceIds.length)).toEqual([200, 200, 50]);
    expect(reqs.map((r) => r.action === "RunCommand" && r.body.CommandName)).toEqual([
      "tat-assert-tok-1",
      "tat-assert-tok-2",
      "tat-assert-tok-3",
    ]);
    expect(reqs[0]?.body).toMatchObject({
      Content: Buffer.from("echo {{v}}").toString("base64"),
      CommandType: "SHELL",
      EnableParameter: true,
      Parameters: '{"v":"1"}',
    });
  });

  test("InvokeCommand carries only what a saved command takes; no parameters, no EnableParameter", () => {
    const [inv] = startRequests(
      { commandId: "cmd-abc", instances: ["ins-a"], timeoutSeconds: 90, username: "app", where },
      "t",
    );
    expect(inv).toEqual({
      action: "InvokeCommand",
      body: { CommandId: "cmd-abc", InstanceIds: ["ins-a"], Timeout: 90, Username: "app" },
    });
    const [run] = startRequests({ command: "true", instances: ["ins-a"], where }, "t");
    expect(run?.body).not.toHaveProperty("EnableParameter");
    expect(run?.body).not.toHaveProperty("Parameters");
  });
});

describe("mayHaveStarted", () => {
  test.each([
    [new TatNetworkError("RunCommand", "ECONNRESET", "reset"), true],
    [new TatNetworkError("RunCommand", "ETIMEDOUT", "timeout"), true],
    [new TatNetworkError("RunCommand", "HTTP_502", "bad gateway"), true],
    [new TatNetworkError("RunCommand", "BAD_RESPONSE", "garbage"), true],
    [new TatApiError("RunCommand", "InternalError", "oops", "r"), true],
    [
      new MalformedResponseError("RunCommand", "Response.InvocationId", '""', "is empty", "r"),
      true,
    ],
    [new TatNetworkError("RunCommand", "ECONNREFUSED", "refused"), false],
    [new TatNetworkError("RunCommand", "ENOTFOUND", "dns"), false],
    [new TatApiError("RunCommand", "RequestLimitExceeded", "slow down", "r"), false],
    [new TatApiError("RunCommand", "InvalidParameterValue.InvalidInstanceId", "bad", "r"), false],
    [new Error("credentials missing"), false],
  ])("%s → %s", (error, expected) => {
    expect(mayHaveStarted(error)).toBe(expected);
  });
});

describe("isOurs", () => {
  const [req] = startRequests({ command: "x", instances: ["ins-a", "ins-b"], where }, "tok");
  const sentAt = Date.parse("2026-11-30T06:00:00Z");
  const inv = {
    InvocationId: "inv-aaaaaaaa",
    CommandName: "tat-assert-tok",
    CommandContent: Buffer.from("x").toString("base64"),
    CreatedTime: "2026-11-30T06:00:01+00:00",
    InvocationTaskBasicInfoSet: [{ InstanceId: "ins-b" }, { InstanceId: "ins-a" }],
  };
  if (!req) throw new Error("no request");

  test("same name, content and instances, created after sending (less clock skew)", () => {
    expect(isOurs(inv, req, sentAt)).toBe(true);
    expect(isOurs({ ...inv, CreatedTime: "2026-11-30T05:56:00+00:00" }, req, sentAt)).toBe(true);
  });

  test("anything else is not ours", () => {
    expect(isOurs({ ...inv, CreatedTime: "2026-11-30T05:50:00+00:00" }, req, sentAt)).toBe(false);
    expect(isOurs({ ...inv, CommandName: "other" }, req, sentAt)).toBe(false);
    expect(isOurs({ ...inv, CommandContent: "eQ==" }, req, sentAt)).toBe(false);
    expect(
      isOurs({ ...inv, InvocationTaskBasicInfoSet: [{ InstanceId: "ins-a" }] }, req, sentAt),
    ).toBe(false);
    const { CreatedTime: _c, ...undated } = inv;
    expect(isOurs(undated, req, sentAt)).toBe(false);
  });
});

describe("findStarted", () => {
  test("without the list of earlier matching runs taken before sending, nothing is adopted", async () => {
    // Returns before asking anything: a match could be an older run of the same command.
    const client = new TatClient({
      credentials: staticCredentials({ secretId: "x", secretKey: "y" }),
    });
    const req = {
      action: "InvokeCommand" as const,
      body: { CommandId: "cmd-abcd1234", InstanceIds: ["ins-a"] },
    };
    const lookup = await findStarted(client, req as never, Date.now(), {
      earlier: undefined,
      now: Date.now,
      sleep: async () => {},
      graceMs: 0,
    });
    expect(lookup).toEqual({ uncertain: expect.stringContaining("could be an older run") });
  });
});

describe("a launch refused half-way", () => {
  test("the refusal is exit-4 material, and what had started is cancelled and named", async () => {
    const cred = { secretId: "AKIDHALF", secretKey: "half-secret" };
    const known = ids(220);
    const emu = await startEmulator({
      scenario: buildScenario({
        credentials: [cred],
        instances: known.map((id) =>
          id === "ins-0210" ? { id, state: "STOPPED" as const } : { id },
        ),
        onRun: [{ match: { content: "sleep" }, timeline: "PENDING@0s RUNNING@0.2s SUCCESS@600s" }],
      }),
    });
    const client = clientOf(emu, cred);
    const { specs } = parseSpecs(
      `version: 1\nrun: { command: sleep 600, instances: [${known.join(", ")}] }\n`,
      "half.yml",
    );
    const printed: string[] = [];
    const hook = launchHook({ cancel: true, print: (l) => printed.push(l) });
    const err = await rejection(
      hook.start(specs as Spec[], client, { region: "ap-guangzhou", now: Date.now }),
    );
    expect(err).toBeInstanceOf(LaunchRefusedError);
    expect((err as Error).message).toContain("ResourceUnavailable.InstanceStateNotRunning");
    expect((err as Error).message).toMatch(/had started inv-[a-z0-9]{8}: cancelled/);
    expect(emu.stats().requests.RunCommand).toBe(2);
    expect(emu.stats().requests.CancelInvocation).toBe(1);
    expect(printed.join("\n")).toMatch(/cancelled every task of inv-/);
  });

  test("a started spec targets its invocations and, unless it says otherwise, covers exactly its instances", async () => {
    const cred = { secretId: "AKIDCOVER", secretKey: "cover-secret" };
    const emu = await startEmulator({ scenario: buildScenario({ credentials: [cred] }) });
    const client = clientOf(emu, cred);
    const text = (extra: string) =>
      `version: 1\nrun: { command: "true", instances: [ins-a, ins-b] }\n${extra}`;
    const hook = launchHook({ cancel: true, print: () => {} });
    const ctx = { region: "ap-guangzhou", now: Date.now };
    const plain = await hook.start(parseSpecs(text(""), "a.yml").specs, client, ctx);
    const [spec] = plain.specs;
    expect(spec?.target).toMatchObject({
      kind: "invocations",
      invocationIds: [expect.stringMatching(/^inv-/)],
    });
    expect(spec?.coverage).toMatchObject({ exact: ["ins-a", "ins-b"] });
    const own = await hook.start(
      parseSpecs(text("instances: { min: 1 }\n"), "b.yml").specs,
      client,
      ctx,
    );
    expect(own.specs[0]?.coverage).toMatchObject({ min: 1 });
    expect(own.specs[0]?.coverage).not.toHaveProperty("exact");
  });
});

describe("an answer naming an invocation the start did not create", () => {
  test("yesterday's green run of the same script is never judged in place of the one started", async () => {
    const cred = { secretId: "AKIDWRONGANSWER", secretKey: "wrong-answer-secret" };
    const emu = await startEmulator({
      scenario: buildScenario({
        credentials: [cred],
        invocations: [
          {
            id: "inv-old00001",
            commandId: "cmd-old00001",
            command: "deploy",
            createdAgo: "24h",
            tasks: [{ instance: "ins-a" }, { instance: "ins-b" }],
          },
        ],
        faults: [
          { action: "RunCommand", corrupt: { path: "InvocationId", value: "inv-old00001" } },
        ],
      }),
    });
    const client = clientOf(emu, cred);
    const printed: string[] = [];
    const hook = launchHook({ cancel: true, print: (l) => printed.push(l) });
    const { specs } = parseSpecs(
      "version: 1\nrun: { command: deploy, instances: [ins-a, ins-b] }\n",
      "d.yml",
    );
    const started = await hook.start(specs, client, { region: "ap-guangzhou", now: Date.now });
    // The invocation RunCommand really created, found by its CommandName; sent once.
    const created = (await client.describeInvocations({ Limit: 100 })).InvocationSet?.map(
      (i) => i.InvocationId,
    ).filter((id) => id !== "inv-old00001");
    expect(created).toHaveLength(1);
    expect(started.specs[0]?.target).toMatchObject({ invocationIds: created });
    expect(emu.stats().requests.RunCommand).toBe(1);
    expect(printed.join("\n")).toContain("names an invocation this request did not create");
  });

  test("an answer whose invocation states no creation time is not taken on trust", async () => {
    const cred = { secretId: "AKIDNOTIME", secretKey: "no-time-secret" };
    const emu = await startEmulator({
      scenario: buildScenario({
        credentials: [cred],
        invocations: [
          {
            id: "inv-old00002",
            commandId: "cmd-old00002",
            command: "deploy",
            createdAgo: "24h",
            tasks: [{ instance: "ins-a" }, { instance: "ins-b" }],
          },
        ],
        faults: [
          { action: "RunCommand", corrupt: { path: "InvocationId", value: "inv-old00002" } },
          {
            action: "DescribeInvocations",
            corrupt: { path: "InvocationSet[*].CreatedTime", remove: true },
          },
        ],
      }),
    });
    const client = clientOf(emu, cred);
    const printed: string[] = [];
    // The lookup's grace passes on a clock of its own, not in real time.
    let clock = Date.now();
    const hook = launchHook({
      cancel: true,
      print: (l) => printed.push(l),
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const { specs } = parseSpecs(
      "version: 1\nrun: { command: deploy, instances: [ins-a, ins-b] }\n",
      "d.yml",
    );
    // Neither the named invocation nor the lookup after it can be told from an older run: the
    // start is uncertain, never judged by the id it was given, and never sent again.
    const err = await rejection(
      hook.start(specs, client, { region: "ap-guangzhou", now: () => clock }),
    );
    expect(String(err)).not.toMatch(/^.*started inv-old00002/);
    expect(emu.stats().requests.RunCommand).toBe(1);
    expect(printed.join("\n")).toContain(
      "states no creation time, so it cannot be told from an older run",
    );
    expect(printed.join("\n")).not.toContain("started inv-old00002");
  });
});
