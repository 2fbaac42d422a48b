// What the emulator serves for output bytes, regions and never-run tasks, over real HTTP.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  manualClock,
  parseScenario,
  startEmulator,
} from "../../src/emulator/index.js";
import { SpecError } from "../../src/errors.js";
import { call, code } from "./api.js";

let emu: Emulator;
const clock = manualClock();
const steppingWall = () => {
  let wall = Date.now();
  return () => (wall += 60);
};
/** 错误 ("error") in GBK, then CR LF. */
const GBK = Buffer.from([0xb4, 0xed, 0xce, 0xf3, 0x0d, 0x0a]);

beforeAll(async () => {
  const scenario = buildScenario({
    credentials: [{ secretId: "AKIDTEST", secretKey: "test-key" }],
    neverRunExitCode: 0,
    invocations: [
      {
        id: "inv-bytes001",
        commandId: "cmd-win",
        commandType: "BAT",
        region: "ap-shanghai",
        tasks: [
          { instance: "ins-gbk", id: "invt-bytes011", outputBase64: GBK.toString("base64") },
          { instance: "ins-bad", id: "invt-bytes012", outputBase64: "b2v/Cg==" },
          { instance: "ins-never", id: "invt-bytes013", timeline: "PENDING@0s DELIVER_FAILED@1s" },
          {
            instance: "ins-cancel",
            id: "invt-bytes014",
            timeline: "PENDING@0s CANCELLED@1s",
            exitCode: -1,
          },
        ],
      },
      {
        id: "inv-bytes002",
        commandId: "cmd-any",
        tasks: [{ instance: "ins-any", id: "invt-bytes021", output: "ok\n" }],
      },
    ],
  });
  emu = await startEmulator({ scenario, clock, wallNow: steppingWall() });
  clock.advance(10_000);
});
afterAll(() => emu.close());

type Task = {
  InvocationTaskId: string;
  TaskResult: { Output: string; ExitCode: number; Dropped: number };
};

async function tasks(ids: string[], region = "ap-shanghai"): Promise<Task[]> {
  const { response } = await call(
    emu,
    "DescribeInvocationTasks",
    { InvocationTaskIds: ids, HideOutput: false },
    { region },
  );
  return (response.InvocationTaskSet ?? []) as Task[];
}

describe("output bytes", () => {
  test("outputBase64 is served byte for byte: GBK, invalid UTF-8", async () => {
    const [gbk, bad] = await tasks(["invt-bytes011", "invt-bytes012"]);
    expect(Buffer.from(gbk?.TaskResult.Output ?? "", "base64")).toEqual(GBK);
    expect(Buffer.from(bad?.TaskResult.Output ?? "", "base64")).toEqual(
      Buffer.from([0x6f, 0x6b, 0xff, 0x0a]),
    );
  });

  test("a scenario giving both output and outputBase64 is refused, located", () => {
    const yaml = [
      "version: 1",
      "invocations:",
      "  - id: inv-bytes009",
      "    commandId: cmd-x",
      "    tasks:",
      "      - { instance: ins-x, output: hi, outputBase64: aGk= }",
    ].join("\n");
    expect(() => parseScenario(yaml, "s.yml")).toThrow(SpecError);
    try {
      parseScenario(yaml, "s.yml");
    } catch (e) {
      expect(String((e as Error).message)).toContain(
        "s.yml:6:54: invocations[0].tasks[0].outputBase64: give `output` or `outputBase64`, not both",
      );
    }
  });
});

describe("never-run tasks", () => {
  test("neverRunExitCode sets the ExitCode of DELIVER_FAILED/CANCELLED tasks without their own", async () => {
    const [never, cancelled] = await tasks(["invt-bytes013", "invt-bytes014"]);
    expect(never?.TaskResult.ExitCode).toBe(0);
    expect(cancelled?.TaskResult.ExitCode).toBe(-1);
  });

  test("the default stays -1", () => {
    const s = buildScenario({
      invocations: [
        {
          id: "inv-bytes003",
          commandId: "cmd-x",
          tasks: [{ instance: "ins-x", timeline: "PENDING@0s DELIVER_FAILED@1s" }],
        },
      ],
    });
    expect(s.invocations[0]?.tasks[0]?.exitCode).toBe(-1);
  });
});

describe("regions", () => {
  test("an invocation with a region is seen only there; one without, everywhere", async () => {
    expect(
      (await tasks(["invt-bytes011", "invt-bytes021"])).map((t) => t.InvocationTaskId),
    ).toEqual(["invt-bytes011", "invt-bytes021"]);
    const elsewhere = await tasks(["invt-bytes011", "invt-bytes021"], "ap-guangzhou");
    expect(elsewhere.map((t) => t.InvocationTaskId)).toEqual(["invt-bytes021"]);
    const { response } = await call(
      emu,
      "DescribeInvocations",
      { InvocationIds: ["inv-bytes001"] },
      { region: "ap-beijing" },
    );
    expect(response.TotalCount).toBe(0);
  });

  test("a region TAT does not serve answers UnsupportedRegion", async () => {
    expect(await code(emu, "DescribeInvocations", {}, { region: "mars-north-1" })).toBe(
      "UnsupportedRegion",
    );
    expect(await code(emu, "DescribeInvocationTasks", {}, { region: "ap-nowhere" })).toBe(
      "UnsupportedRegion",
    );
  });
});
