import { describe, expect, test } from "@jest/globals";
import type { TaskObservation } from "../../src/model.js";
import { TaskTracker } from "../../src/wait/tracker.js";

const at = "2026-11-28T01:00:00.000Z";
const record = (status: string, result: Record<string, unknown> = {}) => ({
  InvocationId: "inv-aaaaaaaa",
  InvocationTaskId: "invt-aaaaaaaa",
  InstanceId: "ins-aaaaaaaa",
  TaskStatus: status,
  TaskResult: { ExitCode: 0, Dropped: 0, ...result },
});

describe("TaskTracker", () => {
  test("an Output the API did not send stays absent, so no output check can pass on it", () => {
    const settled: TaskObservation[] = [];
    const t = new TaskTracker(true, undefined, (task) => settled.push({ ...task }));
    t.detail(record("SUCCESS", { Output: null }), at, true);
    const [obs] = t.snapshot();
    expect(obs?.outputFetched).toBe(true);
    expect(obs?.outputSummary).toBeUndefined();
    expect(settled).toHaveLength(1);
    expect(settled[0]?.output).toBeUndefined();
  });

  test("output is decoded once the task is terminal and fetched with output, handed over once, then let go", () => {
    const settled: TaskObservation[] = [];
    const t = new TaskTracker(true, undefined, (task) => settled.push({ ...task }));
    t.detail(record("SUCCESS", { Output: Buffer.from("ok\n").toString("base64") }), at, false);
    expect(t.unsettledTerminal()).toEqual(["invt-aaaaaaaa"]);
    expect(settled).toEqual([]);
    t.detail(record("SUCCESS", { Output: Buffer.from("ok\n").toString("base64") }), at, true);
    t.detail(record("SUCCESS", { Output: Buffer.from("ok\n").toString("base64") }), at, true);
    expect(t.unsettledTerminal()).toEqual([]);
    expect(settled.map((s) => s.output)).toEqual(["ok\n"]);
    const [obs] = t.snapshot();
    expect(obs).not.toHaveProperty("output");
    expect(obs?.outputSummary).toEqual({ chars: 3, lines: 1, tail: "ok\n" });
  });

  test("the exit code of a task that is not terminal is not taken", () => {
    const t = new TaskTracker(false);
    t.detail(record("RUNNING"), at, false);
    expect(t.snapshot()[0]?.exitCode).toBeUndefined();
    expect(t.moving()).toEqual(["invt-aaaaaaaa"]);
  });

  test("history keeps each status once, in order, with the poll that first saw it", () => {
    const t = new TaskTracker(false);
    const s = { taskId: "invt-1", instanceId: "ins-1", invocationId: "inv-1" };
    t.see({ ...s, status: "PENDING" }, "t1");
    t.see({ ...s, status: "PENDING" }, "t2");
    t.see({ ...s, status: "RUNNING" }, "t3");
    t.see({ ...s, status: "SUCCESS" }, "t4");
    const [obs] = t.snapshot();
    expect(obs?.history).toEqual([
      { status: "PENDING", at: "t1" },
      { status: "RUNNING", at: "t3" },
      { status: "SUCCESS", at: "t4" },
    ]);
    expect(obs?.terminalAt).toBe("t4");
  });

  test("an unknown status is not terminal", () => {
    const t = new TaskTracker(false);
    t.see(
      { taskId: "invt-1", instanceId: "ins-1", invocationId: "inv-1", status: "QUEUED_SOMEWHERE" },
      "t1",
    );
    expect(t.terminalCount()).toBe(0);
    expect(t.statusCounts()).toEqual({ QUEUED_SOMEWHERE: 1 });
  });
});
