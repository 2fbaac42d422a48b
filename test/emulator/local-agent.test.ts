// The local agent (--local-exec): commands really run as `sh -c` subprocesses and their record is
// what they did. Real processes, real time: each case is a short script.
import { afterEach, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const CRED = { secretId: "AKIDLOCAL", secretKey: "local-secret" };
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

async function setup(localExec = true) {
  const scenario = buildScenario({
    version: 1,
    credentials: [CRED],
    instances: [{ id: "ins-linux" }, { id: "ins-win", platform: "Windows" }],
  });
  const emu = await startEmulator({ scenario, localExec });
  emulators.push(emu);
  const client = new TatClient({
    endpoint: emu.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(CRED),
    limiter: new RateLimiter(),
  });
  return { client };
}

async function task(client: TatClient, invocationId: string) {
  const res = await client.describeInvocationTasks({
    Filters: [{ Name: "invocation-id", Values: [invocationId] }],
    HideOutput: false,
  });
  const t = res.InvocationTaskSet[0];
  return {
    status: t?.TaskStatus,
    exitCode: t?.TaskResult?.ExitCode,
    output: Buffer.from(t?.TaskResult?.Output ?? "", "base64").toString("utf8"),
    dropped: t?.TaskResult?.Dropped,
    start: t?.TaskResult?.ExecStartTime,
    end: t?.TaskResult?.ExecEndTime,
  };
}

async function until(client: TatClient, id: string, done: (s: string | undefined) => boolean) {
  for (let i = 0; i < 200; i++) {
    const t = await task(client, id);
    if (done(t.status)) return t;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`task of ${id} never reached the wanted status`);
}

const ended = (s: string | undefined) =>
  ["SUCCESS", "FAILED", "TIMEOUT", "TERMINATED", "START_FAILED"].includes(s ?? "");

async function run(client: TatClient, script: string, timeout?: number) {
  const { InvocationId } = await client.runCommand({
    Content: b64(script),
    InstanceIds: ["ins-linux"],
    ...(timeout && { Timeout: timeout }),
  });
  return InvocationId;
}

describe("local agent", () => {
  test("the script runs in a fresh directory; stdout and stderr merge; exit 0 is SUCCESS", async () => {
    const { client } = await setup();
    const id = await run(
      client,
      'echo "out $(basename "$PWD" | cut -c1-15)"; echo err >&2; exit 0',
    );
    const t = await until(client, id, ended);
    expect(t).toMatchObject({ status: "SUCCESS", exitCode: 0, dropped: 0 });
    expect(t.output).toBe("out tat-local-agent\nerr\n");
    expect(t.start).toBeTruthy();
    expect(t.end).toBeTruthy();
  });

  test("a non-zero exit is FAILED with that exit code; parameters are substituted", async () => {
    const { client } = await setup();
    const { InvocationId } = await client.runCommand({
      Content: b64('echo "v={{v}}"; exit {{code}}'),
      InstanceIds: ["ins-linux"],
      EnableParameter: true,
      Parameters: JSON.stringify({ v: "2.1", code: "7" }),
    });
    expect(await until(client, InvocationId, ended)).toMatchObject({
      status: "FAILED",
      exitCode: 7,
      output: "v=2.1\n",
    });
  });

  test("output beyond 24 KiB is cut and counted in Dropped", async () => {
    const { client } = await setup();
    const id = await run(client, "head -c 30000 /dev/zero | tr '\\0' a");
    const t = await until(client, id, ended);
    expect(t.output).toHaveLength(24 * 1024);
    expect(t.dropped).toBe(30000 - 24 * 1024);
  });

  test("the command's timeout kills the process group: TIMEOUT, exit -1", async () => {
    const { client } = await setup();
    const id = await run(client, "sleep 30 & echo started; wait", 1);
    const t = await until(client, id, ended);
    expect(t).toMatchObject({ status: "TIMEOUT", exitCode: -1, output: "started\n" });
  });

  test("CancelInvocation terminates a running command", async () => {
    const { client } = await setup();
    const id = await run(client, "echo begun; sleep 30");
    await until(client, id, (s) => s === "RUNNING");
    await client.cancelInvocation({ InvocationId: id });
    expect(await until(client, id, ended)).toMatchObject({ status: "TERMINATED", exitCode: -1 });
  });

  test("never without the flag: the same command is only scripted", async () => {
    const { client } = await setup(false);
    const id = await run(client, "echo should-not-run; exit 9");
    const t = await until(client, id, ended);
    expect(t).toMatchObject({ status: "SUCCESS", output: "" });
  });
});
