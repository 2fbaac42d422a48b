// The TatReader port keeps answers honest across calls: a task stays the task it was first seen
// as, and a task known to exist must come back when asked for by id.
import { describe, expect, test } from "@jest/globals";
import { ForeignRecordError, IncompleteResultError } from "../../src/errors.js";
import type { Invocation, InvocationTask } from "../../src/tat/types.js";
import { consistentReader, type TatReader } from "../../src/wait/tat-reader.js";

const inv = (id: string, tasks: [string, string][]): Invocation => ({
  InvocationId: id,
  InvocationStatus: "RUNNING",
  InvocationTaskBasicInfoSet: tasks.map(([t, i]) => ({
    InvocationTaskId: t,
    InstanceId: i,
    TaskStatus: "RUNNING",
  })),
});
const task = (t: string, invocation: string, instance: string): InvocationTask => ({
  InvocationTaskId: t,
  InvocationId: invocation,
  InstanceId: instance,
  TaskStatus: "SUCCESS",
});

/** A reader whose answers the test sets before each call. */
function scripted() {
  const state = { invocations: [] as Invocation[], tasks: [] as InvocationTask[] };
  const inner: TatReader = {
    invocations: async () => state.invocations,
    invocationsByFilter: async () => state.invocations,
    commandIdsByName: async () => [],
    tasksById: async () => state.tasks,
    tasksByFilter: async () => state.tasks,
  };
  return { state, reader: consistentReader(inner) };
}

describe("consistentReader", () => {
  test("records that match what DescribeInvocations listed pass through unchanged", async () => {
    const { state, reader } = scripted();
    state.invocations = [inv("inv-1", [["invt-1", "ins-1"]])];
    await reader.invocations(["inv-1"], {});
    state.tasks = [task("invt-1", "inv-1", "ins-1")];
    expect(await reader.tasksById(["invt-1"], true, {})).toEqual(state.tasks);
  });

  test("a task record under another invocation is a ForeignRecordError", async () => {
    const { state, reader } = scripted();
    state.invocations = [inv("inv-1", [["invt-1", "ins-1"]])];
    await reader.invocations(["inv-1"], {});
    state.tasks = [task("invt-1", "inv-2", "ins-1")];
    await expect(reader.tasksById(["invt-1"], true, {})).rejects.toThrow(
      new ForeignRecordError(
        "DescribeInvocationTasks",
        'task invt-1 came as part of invocation "inv-2", but it was seen under inv-1',
        undefined,
      ),
    );
  });

  test("a task record on another instance is a ForeignRecordError", async () => {
    const { state, reader } = scripted();
    state.tasks = [task("invt-1", "inv-1", "ins-1")];
    await reader.tasksByFilter([{ Name: "invocation-id", Values: ["inv-1"] }], true, {});
    state.tasks = [task("invt-1", "inv-1", "ins-9")];
    await expect(reader.tasksById(["invt-1"], true, {})).rejects.toBeInstanceOf(ForeignRecordError);
  });

  test("two tasks of one invocation on the same instance are a ForeignRecordError (never counted twice)", async () => {
    const { state, reader } = scripted();
    state.invocations = [
      inv("inv-1", [
        ["invt-1", "ins-1"],
        ["invt-2", "ins-1"],
      ]),
    ];
    await expect(reader.invocations(["inv-1"], {})).rejects.toThrow(
      /two tasks on instance "ins-1"/,
    );
    const other = scripted();
    other.state.tasks = [task("invt-1", "inv-1", "ins-1"), task("invt-2", "inv-1", "ins-1")];
    await expect(other.reader.tasksByFilter([], true, {})).rejects.toBeInstanceOf(
      ForeignRecordError,
    );
    // The same instance in two invocations is normal.
    const fine = scripted();
    fine.state.tasks = [task("invt-1", "inv-1", "ins-1"), task("invt-2", "inv-2", "ins-1")];
    await expect(fine.reader.tasksByFilter([], true, {})).resolves.toHaveLength(2);
  });

  test("a task known to exist that is not returned makes the set inconsistent", async () => {
    const { state, reader } = scripted();
    state.invocations = [
      inv("inv-1", [
        ["invt-1", "ins-1"],
        ["invt-2", "ins-2"],
      ]),
    ];
    await reader.invocations(["inv-1"], {});
    state.tasks = [task("invt-1", "inv-1", "ins-1")];
    const e = await reader.tasksById(["invt-1", "invt-2"], true, {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IncompleteResultError);
    expect((e as Error).message).toContain(
      "1 of 2 tasks known to exist were not returned (invt-2)",
    );
  });

  test("an id never seen may be missing: it may not exist yet (eventual consistency)", async () => {
    const { state, reader } = scripted();
    state.tasks = [];
    expect(await reader.tasksById(["invt-new"], true, {})).toEqual([]);
  });
});
