import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "@jest/globals";
import type { TaskObservation } from "../../src/model.js";
import type { InvocationTask } from "../../src/tat/types.js";
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

describe("what the tracker keeps per task", () => {
  /** Heap the tracker keeps after reading `records` (parsed from one answer text, as the client
   * parses them: every record holds its own copy of each string). */
  function kept(records: InvocationTask[]): number {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const text = JSON.stringify(records);
    gc();
    const before = process.memoryUsage().heapUsed;
    const t = new TaskTracker(false);
    for (const r of JSON.parse(text) as InvocationTask[]) t.detail(r, at, false);
    gc();
    const used = process.memoryUsage().heapUsed - before;
    expect(t.snapshot()).toHaveLength(records.length);
    return used;
  }

  const N = 10_000;
  const time = (s: number) =>
    `2026-11-28T${[s / 3600, (s / 60) % 60, s % 60].map((n) => String(Math.floor(n)).padStart(2, "0")).join(":")}+00:00`;
  const records = (same: boolean) =>
    Array.from({ length: N }, (_, i): InvocationTask => {
      const k = same ? 7 : i;
      return {
        InvocationId: `inv-${String(k).padStart(8, "0")}`,
        InvocationTaskId: `invt-${String(i).padStart(8, "0")}`,
        InstanceId: `ins-${String(i).padStart(8, "0")}`,
        CommandId: `cmd-${String(k).padStart(8, "0")}`,
        TaskStatus: "SUCCESS",
        CreatedTime: time(k),
        TaskResult: {
          ExitCode: 0,
          Dropped: 0,
          ExecStartTime: time(k + 1),
          ExecEndTime: time(k + 2),
        },
      };
    });

  test("ids and times many tasks repeat are kept once, not once per task", () => {
    // The first runs compile the tracker's code, which the heap counts too; the least of three
    // runs is what the records cost.
    const least = (same: boolean) => Math.min(...[0, 1, 2].map(() => kept(records(same))));
    least(true);
    const distinct = least(false);
    const repeated = least(true);
    // Five strings of 12 to 25 characters a task, each about 24 to 40 bytes as a copy of its own:
    // measured 118 bytes a task kept by sharing them (3.3 MB against 2.1 MB).
    expect(distinct - repeated).toBeGreaterThan(N * 80);
  });

  test("the values are the records' own", () => {
    const t = new TaskTracker(false);
    const [a, b] = records(false);
    for (const r of [a, b]) if (r) t.detail(r, at, false);
    expect(
      t
        .snapshot()
        .map((o) => [o.invocationId, o.commandId, o.createdTime, o.execStartTime, o.execEndTime]),
    ).toEqual([
      [
        "inv-00000000",
        "cmd-00000000",
        "2026-11-28T00:00:00+00:00",
        "2026-11-28T00:00:01+00:00",
        "2026-11-28T00:00:02+00:00",
      ],
      [
        "inv-00000001",
        "cmd-00000001",
        "2026-11-28T00:00:01+00:00",
        "2026-11-28T00:00:02+00:00",
        "2026-11-28T00:00:03+00:00",
      ],
    ]);
  });
});
