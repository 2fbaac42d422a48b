import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  generateFleet,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { call, code } from "./api.js";

let emu: Emulator;
const clock = manualClock();
// Each request sees the wall clock 60 ms later, so bursts of test calls stay under 20/s.
const steppingWall = () => {
  let wall = Date.now();
  return () => (wall += 60);
};

beforeAll(async () => {
  const scenario = buildScenario({
    credentials: [{ secretId: "AKIDTEST", secretKey: "test-key" }],
    invocations: [
      {
        id: "inv-aaaaaaa1",
        commandId: "cmd-aaaaaaa1",
        tasks: [
          { instance: "ins-a1", id: "invt-aaaaaa11", output: "one\n" },
          { instance: "ins-a2", id: "invt-aaaaaa12" },
          { instance: "ins-a3", id: "invt-aaaaaa13" },
        ],
      },
      {
        id: "inv-bbbbbbb2",
        commandId: "cmd-bbbbbbb2",
        createdAt: "5s",
        createdBy: "TAT",
        instanceKind: "LIGHTHOUSE",
        tasks: [
          { instance: "ins-a1", id: "invt-bbbbbb21" },
          { instance: "ins-b2", id: "invt-bbbbbb22" },
        ],
      },
      {
        id: "inv-ccccccc3",
        commandId: "cmd-aaaaaaa1",
        appearsAt: "20s",
        tasks: [{ instance: "ins-a1", id: "invt-cccccc31" }],
      },
    ],
  });
  emu = await startEmulator({ scenario, clock, wallNow: steppingWall() });
  clock.advance(10_000);
});
afterAll(() => emu.close());

type Task = { InvocationTaskId: string; TaskResult: Record<string, unknown> };
type Inv = { InvocationId: string };

async function taskIds(params: object): Promise<{ total: number; ids: string[] }> {
  const { response } = await call(emu, "DescribeInvocationTasks", params);
  expect(response.Error).toBeUndefined();
  const set = response.InvocationTaskSet as Task[];
  return { total: response.TotalCount as number, ids: set.map((t) => t.InvocationTaskId) };
}

async function invocationIds(params: object): Promise<{ total: number; ids: string[] }> {
  const { response } = await call(emu, "DescribeInvocations", params);
  expect(response.Error).toBeUndefined();
  const set = response.InvocationSet as Inv[];
  return { total: response.TotalCount as number, ids: set.map((i) => i.InvocationId) };
}

describe("DescribeInvocationTasks queries", () => {
  test("newest invocation first, tasks in scenario order; appearsAt hides the third", async () => {
    expect(await taskIds({})).toEqual({
      total: 5,
      ids: ["invt-bbbbbb21", "invt-bbbbbb22", "invt-aaaaaa11", "invt-aaaaaa12", "invt-aaaaaa13"],
    });
  });

  test("Limit and Offset page through a stable order", async () => {
    expect(await taskIds({ Limit: 2 })).toEqual({
      total: 5,
      ids: ["invt-bbbbbb21", "invt-bbbbbb22"],
    });
    expect(await taskIds({ Limit: 2, Offset: 2 })).toEqual({
      total: 5,
      ids: ["invt-aaaaaa11", "invt-aaaaaa12"],
    });
    expect(await taskIds({ Limit: 2, Offset: 4 })).toEqual({ total: 5, ids: ["invt-aaaaaa13"] });
    expect(await taskIds({ Offset: 50 })).toEqual({ total: 5, ids: [] });
  });

  test("InvocationTaskIds: unknown but well-formed ids are simply absent", async () => {
    expect(await taskIds({ InvocationTaskIds: ["invt-aaaaaa12", "invt-zzzzzzzz"] })).toEqual({
      total: 1,
      ids: ["invt-aaaaaa12"],
    });
  });

  test("values within one filter are ORed", async () => {
    const r = await taskIds({ Filters: [{ Name: "instance-id", Values: ["ins-a1", "ins-b2"] }] });
    expect(r.ids).toEqual(["invt-bbbbbb21", "invt-bbbbbb22", "invt-aaaaaa11"]);
  });

  test("filters are ANDed", async () => {
    const r = await taskIds({
      Filters: [
        { Name: "instance-id", Values: ["ins-a1", "ins-b2"] },
        { Name: "invocation-id", Values: ["inv-aaaaaaa1"] },
      ],
    });
    expect(r.ids).toEqual(["invt-aaaaaa11"]);
    const byCommand = await taskIds({
      Filters: [
        { Name: "command-id", Values: ["cmd-bbbbbbb2"] },
        { Name: "invocation-task-id", Values: ["invt-bbbbbb22", "invt-aaaaaa11"] },
      ],
    });
    expect(byCommand.ids).toEqual(["invt-bbbbbb22"]);
  });

  test("HideOutput defaults to true (Output is an empty string); false returns base64 output", async () => {
    const hidden = await call(emu, "DescribeInvocationTasks", {
      InvocationTaskIds: ["invt-aaaaaa11"],
    });
    const hiddenTask = (hidden.response.InvocationTaskSet as Task[])[0] as Task;
    expect(hiddenTask.TaskResult.Output).toBe("");
    const explicit = await call(emu, "DescribeInvocationTasks", {
      InvocationTaskIds: ["invt-aaaaaa11"],
      HideOutput: true,
    });
    expect((explicit.response.InvocationTaskSet as Task[])[0]?.TaskResult.Output).toBe("");
    const shown = await call(emu, "DescribeInvocationTasks", {
      InvocationTaskIds: ["invt-aaaaaa11"],
      HideOutput: false,
    });
    const task = (shown.response.InvocationTaskSet as Task[])[0] as Task;
    expect(Buffer.from(task.TaskResult.Output as string, "base64").toString()).toBe("one\n");
  });
});

describe("DescribeInvocations queries", () => {
  test("newest first, with InvocationTaskBasicInfoSet", async () => {
    const { response } = await call(emu, "DescribeInvocations", {});
    const set = response.InvocationSet as {
      InvocationId: string;
      InvocationTaskBasicInfoSet: unknown[];
    }[];
    expect(set.map((i) => i.InvocationId)).toEqual(["inv-bbbbbbb2", "inv-aaaaaaa1"]);
    expect(set[0]?.InvocationTaskBasicInfoSet).toEqual([
      { InvocationTaskId: "invt-bbbbbb21", TaskStatus: "SUCCESS", InstanceId: "ins-a1" },
      { InvocationTaskId: "invt-bbbbbb22", TaskStatus: "SUCCESS", InstanceId: "ins-b2" },
    ]);
  });

  test("filters on command id, creator and instance kind; AND across filters", async () => {
    expect(
      (await invocationIds({ Filters: [{ Name: "command-id", Values: ["cmd-aaaaaaa1"] }] })).ids,
    ).toEqual(["inv-aaaaaaa1"]);
    expect(
      (await invocationIds({ Filters: [{ Name: "command-created-by", Values: ["TAT"] }] })).ids,
    ).toEqual(["inv-bbbbbbb2"]);
    expect(
      (
        await invocationIds({
          Filters: [
            { Name: "instance-kind", Values: ["CVM", "LIGHTHOUSE"] },
            { Name: "command-created-by", Values: ["USER"] },
          ],
        })
      ).ids,
    ).toEqual(["inv-aaaaaaa1"]);
  });

  test("InvocationIds with an unknown id and pagination", async () => {
    expect(await invocationIds({ InvocationIds: ["inv-aaaaaaa1", "inv-00000000"] })).toEqual({
      total: 1,
      ids: ["inv-aaaaaaa1"],
    });
    expect(await invocationIds({ Limit: 1, Offset: 1 })).toEqual({
      total: 2,
      ids: ["inv-aaaaaaa1"],
    });
  });
});

describe("parameter violations", () => {
  const ids = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(8, "0")}`);
  const filters = (n: number) =>
    Array.from({ length: n }, () => ({ Name: "command-id", Values: ["cmd-aaaaaaa1"] }));

  test.each([
    ["unknown field", { Foo: 1 }, "UnknownParameter"],
    [
      "unknown filter field",
      { Filters: [{ Name: "instance-id", Values: ["ins-a1"], X: 1 }] },
      "UnknownParameter",
    ],
    [
      "ids and filters",
      {
        InvocationTaskIds: ["invt-aaaaaa11"],
        Filters: filters(1).map(() => ({ Name: "instance-id", Values: ["ins-a1"] })),
      },
      "InvalidParameter.ConflictParameter",
    ],
    ["101 ids", { InvocationTaskIds: ids(101, "invt-") }, "InvalidParameterValue"],
    [
      "malformed task id",
      { InvocationTaskIds: ["task-1"] },
      "InvalidParameterValue.InvalidInvocationTaskId",
    ],
    ["ids not an array", { InvocationTaskIds: "invt-aaaaaa11" }, "InvalidParameter"],
    ["Limit 101", { Limit: 101 }, "InvalidParameterValue"],
    ["Limit negative", { Limit: -1 }, "InvalidParameterValue"],
    ["Limit as a string", { Limit: "10" }, "InvalidParameter"],
    ["Offset negative", { Offset: -1 }, "InvalidParameterValue"],
    ["Offset fractional", { Offset: 1.5 }, "InvalidParameter"],
    ["HideOutput as a string", { HideOutput: "false" }, "InvalidParameter"],
    ["Filters not an array", { Filters: { Name: "instance-id" } }, "InvalidParameter"],
    [
      "11 filters",
      { Filters: Array.from({ length: 11 }, () => ({ Name: "instance-id", Values: ["ins-a1"] })) },
      "InvalidParameterValue",
    ],
    [
      "6 values",
      {
        Filters: [
          { Name: "instance-id", Values: ["ins-1", "ins-2", "ins-3", "ins-4", "ins-5", "ins-6"] },
        ],
      },
      "InvalidParameterValue",
    ],
    [
      "unknown filter name",
      { Filters: [{ Name: "command-created-by", Values: ["TAT"] }] },
      "InvalidParameterValue.InvalidFilter",
    ],
    [
      "empty filter values",
      { Filters: [{ Name: "instance-id", Values: [] }] },
      "InvalidParameterValue.InvalidFilter",
    ],
    ["filter without Name", { Filters: [{ Values: ["x"] }] }, "InvalidParameter"],
    [
      "malformed instance id",
      { Filters: [{ Name: "instance-id", Values: ["web-1"] }] },
      "InvalidParameterValue.InvalidInstanceId",
    ],
    [
      "malformed invocation id",
      { Filters: [{ Name: "invocation-id", Values: ["inv-x"] }] },
      "InvalidParameterValue.InvalidInvocationId",
    ],
    [
      "malformed command id",
      { Filters: [{ Name: "command-id", Values: ["command"] }] },
      "InvalidParameterValue.InvalidCommandId",
    ],
    [
      "malformed task id in filter",
      { Filters: [{ Name: "invocation-task-id", Values: ["invt-1"] }] },
      "InvalidParameterValue.InvalidInvocationTaskId",
    ],
    ["body not an object", [1, 2], "InvalidParameter"],
  ])("DescribeInvocationTasks: %s → %s", async (_name, params, expected) => {
    expect(await code(emu, "DescribeInvocationTasks", params)).toBe(expected);
  });

  test.each([
    ["unknown field (HideOutput belongs to tasks)", { HideOutput: false }, "UnknownParameter"],
    [
      "ids and filters",
      { InvocationIds: ["inv-aaaaaaa1"], Filters: filters(1) },
      "InvalidParameter.ConflictParameter",
    ],
    ["101 ids", { InvocationIds: ids(101, "inv-") }, "InvalidParameterValue.LimitExceeded"],
    [
      "malformed invocation id",
      { InvocationIds: ["invocation-1"] },
      "InvalidParameterValue.InvalidInvocationId",
    ],
    ["Limit 101", { Limit: 101 }, "InvalidParameterValue.LimitExceeded"],
    ["Limit as a string", { Limit: "1" }, "InvalidParameter"],
    ["Offset negative", { Offset: -5 }, "InvalidParameter"],
    ["11 filters", { Filters: filters(11) }, "InvalidParameterValue.LimitExceeded"],
    [
      "6 values",
      { Filters: [{ Name: "command-id", Values: ids(6, "cmd-") }] },
      "LimitExceeded.FilterValueExceeded",
    ],
    [
      "unknown filter name",
      { Filters: [{ Name: "instance-id", Values: ["ins-a1"] }] },
      "InvalidParameterValue.InvalidFilter",
    ],
    [
      "bad command-created-by",
      { Filters: [{ Name: "command-created-by", Values: ["ME"] }] },
      "InvalidParameterValue.InvalidFilter",
    ],
    [
      "bad instance-kind",
      { Filters: [{ Name: "instance-kind", Values: ["EC2"] }] },
      "InvalidParameterValue.InvalidFilter",
    ],
    [
      "malformed command id",
      { Filters: [{ Name: "command-id", Values: ["cmd_1"] }] },
      "InvalidParameterValue.InvalidCommandId",
    ],
    [
      "malformed invocation id in filter",
      { Filters: [{ Name: "invocation-id", Values: ["inv-"] }] },
      "InvalidParameterValue.InvalidInvocationId",
    ],
  ])("DescribeInvocations: %s → %s", async (_name, params, expected) => {
    expect(await code(emu, "DescribeInvocations", params)).toBe(expected);
  });

  test("an empty id list is no restriction, so it does not conflict with Filters", async () => {
    const r = await taskIds({
      InvocationTaskIds: [],
      Filters: [{ Name: "instance-id", Values: ["ins-b2"] }],
    });
    expect(r.ids).toEqual(["invt-bbbbbb22"]);
  });
});

describe("big fleets", () => {
  test("2,000 tasks across 20 invocations: default Limit 20, max 100, every task exactly once", async () => {
    const fleetClock = manualClock();
    const fleet = await startEmulator({
      scenario: generateFleet({ invocations: 20, tasksPerInvocation: 100, stagger: "10ms" }),
      clock: fleetClock,
      wallNow: steppingWall(),
    });
    try {
      fleetClock.advance(60_000);
      const first = await call(fleet, "DescribeInvocationTasks", {});
      expect(first.response.TotalCount).toBe(2000);
      expect(first.response.InvocationTaskSet as unknown[]).toHaveLength(20);
      const seen = new Set<string>();
      for (let offset = 0; offset < 2000; offset += 100) {
        const page = await call(fleet, "DescribeInvocationTasks", { Limit: 100, Offset: offset });
        for (const t of page.response.InvocationTaskSet as Task[]) seen.add(t.InvocationTaskId);
      }
      expect(seen.size).toBe(2000);
      const invs = await call(fleet, "DescribeInvocations", { Limit: 100 });
      expect(invs.response.TotalCount).toBe(20);
    } finally {
      await fleet.close();
    }
  });
});
