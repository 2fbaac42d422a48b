import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { deriveInvocationStatus } from "../../src/emulator/invocation-status.js";
import { call } from "./api.js";

const START = Date.UTC(2026, 10, 28, 1, 2, 3);
const clock = manualClock(START);
let emu: Emulator;
let wall = Date.now();

const BIG_LINE = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n"; // 64 bytes

beforeAll(async () => {
  const scenario = buildScenario({
    credentials: [{ secretId: "AKIDTEST", secretKey: "test-key" }],
    invocations: [
      {
        id: "inv-time0001",
        commandId: "cmd-time0001",
        commandName: "deploy",
        command: "deploy.sh",
        timeout: 120,
        tasks: [
          {
            instance: "ins-ok",
            id: "invt-time0011",
            timeline: "PENDING@0s, DELIVERING@1s, RUNNING@2s, SUCCESS@6s",
            output: "line 1\nline 2\nline 3\nline 4\n",
          },
          {
            instance: "ins-bad",
            id: "invt-time0012",
            timeline: [
              { at: 0, status: "PENDING" },
              { at: "1500ms", status: "RUNNING" },
              { at: 3, status: "FAILED" },
            ],
            exitCode: 2,
            output: "ERROR: boom\n",
            errorInfo: "the command exited with 2",
          },
          {
            instance: "ins-big",
            id: "invt-time0013",
            timeline: "RUNNING@0s SUCCESS@1s",
            output: BIG_LINE,
            outputRepeat: 400, // 25,600 bytes: 1,024 beyond the 24 KiB cap
            outputUrl:
              "https://logs-1250000000.cos.ap-guangzhou.myqcloud.com/inv-time0001/invt-time0013.log",
          },
        ],
      },
      {
        id: "inv-late0002",
        commandId: "cmd-time0001",
        createdAt: "1s",
        appearsAt: "4s",
        tasks: [{ instance: "ins-ok", id: "invt-late0021", timeline: "PENDING" }],
      },
    ],
  });
  emu = await startEmulator({ scenario, clock, wallNow: () => (wall += 60) });
});
afterAll(() => emu.close());

type Task = {
  TaskStatus: string;
  StartTime: string | null;
  EndTime: string | null;
  CreatedTime: string;
  UpdatedTime: string;
  ErrorInfo: string;
  TaskResult: {
    ExitCode: number;
    Output: string;
    Dropped: number;
    ExecStartTime: string | null;
    ExecEndTime: string | null;
    OutputUrl: string;
  };
  CommandDocument: { Content: string; Timeout: number };
};

async function task(id: string): Promise<Task> {
  const { response } = await call(emu, "DescribeInvocationTasks", {
    InvocationTaskIds: [id],
    HideOutput: false,
  });
  return (response.InvocationTaskSet as Task[])[0] as Task;
}

async function invocation(id: string) {
  const { response } = await call(emu, "DescribeInvocations", { InvocationIds: [id] });
  return (response.InvocationSet as Record<string, unknown>[])[0];
}

const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");

describe("timelines on the manual clock", () => {
  test("statuses, timestamps and output follow scenario time", async () => {
    let t = await task("invt-time0011");
    expect(t.TaskStatus).toBe("PENDING");
    expect(t.CreatedTime).toBe("2026-11-28T01:02:03+00:00");
    expect(t.StartTime).toBeNull();
    expect(t.TaskResult.ExecStartTime).toBeNull();
    expect(decode(t.TaskResult.Output)).toBe("");
    expect(decode(t.CommandDocument.Content)).toBe("deploy.sh");
    expect(t.CommandDocument.Timeout).toBe(120);
    expect((await invocation("inv-time0001"))?.InvocationStatus).toBe("RUNNING");

    clock.set(START + 1000);
    t = await task("invt-time0011");
    expect(t.TaskStatus).toBe("DELIVERING");
    expect(t.UpdatedTime).toBe("2026-11-28T01:02:04+00:00");

    clock.set(START + 4000); // halfway through RUNNING: about half the lines
    t = await task("invt-time0011");
    expect(t.TaskStatus).toBe("RUNNING");
    expect(t.StartTime).toBe("2026-11-28T01:02:05+00:00");
    expect(t.TaskResult.ExecStartTime).toBe("2026-11-28T01:02:05+00:00");
    expect(t.EndTime).toBeNull();
    expect(decode(t.TaskResult.Output)).toBe("line 1\nline 2\n");

    const failed = await task("invt-time0012");
    expect(failed.TaskStatus).toBe("FAILED");
    expect(failed.TaskResult.ExitCode).toBe(2);
    expect(failed.ErrorInfo).toBe("the command exited with 2");
    expect(failed.TaskResult.ExecEndTime).toBe("2026-11-28T01:02:06+00:00");
    expect(decode(failed.TaskResult.Output)).toBe("ERROR: boom\n");

    clock.set(START + 6000);
    t = await task("invt-time0011");
    expect(t.TaskStatus).toBe("SUCCESS");
    expect(t.TaskResult.ExitCode).toBe(0);
    expect(t.EndTime).toBe("2026-11-28T01:02:09+00:00");
    expect(t.TaskResult.ExecEndTime).toBe("2026-11-28T01:02:09+00:00");
    expect(t.UpdatedTime).toBe("2026-11-28T01:02:09+00:00");
    expect(decode(t.TaskResult.Output)).toBe("line 1\nline 2\nline 3\nline 4\n");
    const inv = await invocation("inv-time0001");
    expect(inv?.InvocationStatus).toBe("PARTIAL_FAILED");
    expect(inv?.EndTime).toBe("2026-11-28T01:02:09+00:00");
  });

  test("output beyond 24 KiB is cut and counted in Dropped once the task ends", async () => {
    clock.set(START + 500);
    const running = await task("invt-time0013");
    expect(running.TaskStatus).toBe("RUNNING");
    expect(running.TaskResult.Dropped).toBe(0);
    expect(Buffer.from(running.TaskResult.Output, "base64").length).toBe(12_800);
    expect(running.TaskResult.OutputUrl).toBe("");

    clock.set(START + 1000);
    const done = await task("invt-time0013");
    const kept = Buffer.from(done.TaskResult.Output, "base64");
    expect(kept.length).toBe(24 * 1024);
    expect(done.TaskResult.Dropped).toBe(400 * 64 - 24 * 1024);
    expect(kept.subarray(0, 64).toString()).toBe(BIG_LINE);
    expect(done.TaskResult.OutputUrl).toMatch(/invt-time0013\.log$/);
  });

  test("appearsAt: the invocation and its tasks are not found before that time", async () => {
    clock.set(START + 3999);
    expect(await invocation("inv-late0002")).toBeUndefined();
    const { response } = await call(emu, "DescribeInvocationTasks", {
      Filters: [{ Name: "invocation-id", Values: ["inv-late0002"] }],
    });
    expect(response.TotalCount).toBe(0);
    clock.set(START + 4000);
    const inv = await invocation("inv-late0002");
    expect(inv?.InvocationStatus).toBe("PENDING");
    expect(inv?.CreatedTime).toBe("2026-11-28T01:02:04+00:00");
    expect((await task("invt-late0021")).TaskStatus).toBe("PENDING");
  });
});

describe("invocation status derived from task statuses", () => {
  test.each([
    [["PENDING", "PENDING"], "PENDING"],
    [["PENDING", "DELIVERING"], "RUNNING"],
    [["SUCCESS", "RUNNING"], "RUNNING"],
    [["RUNNING", "CANCELLING"], "CANCELLING"],
    [["SUCCESS", "SUCCESS"], "SUCCESS"],
    [["SUCCESS", "FAILED"], "PARTIAL_FAILED"],
    [["SUCCESS", "DELIVER_FAILED"], "PARTIAL_FAILED"],
    [["FAILED", "TIMEOUT"], "FAILED"],
    [["TIMEOUT", "TIMEOUT"], "TIMEOUT"],
    [["START_FAILED"], "FAILED"],
    [["TASK_TIMEOUT", "FAILED"], "FAILED"],
    [["CANCELLED", "TERMINATED"], "CANCELLED"],
    [["SUCCESS", "CANCELLED"], "PARTIAL_CANCELLED"],
    [["FAILED", "TERMINATED"], "PARTIAL_CANCELLED"],
  ])("%j → %s", (statuses, expected) => {
    expect(deriveInvocationStatus(statuses)).toBe(expected);
  });
});
