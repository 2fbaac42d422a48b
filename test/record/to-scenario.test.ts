// The pure half of `record`: API records → scenario data.
import { describe, expect, test } from "@jest/globals";
import { buildScenario, parseScenario } from "../../src/emulator/index.js";
import { SpecError } from "../../src/errors.js";
import { renderScenario } from "../../src/record/render-scenario.js";
import { apiTime, toScenario } from "../../src/record/to-scenario.js";
import type { Invocation, InvocationTask } from "../../src/tat/types.js";

const recorded = { at: "2026-11-30T00:00:00.000Z", region: "ap-guangzhou" };
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

const invocation = (id: string, created: string): Invocation => ({
  InvocationId: id,
  CommandId: "cmd-abc12345",
  CreatedTime: created,
  CommandContent: b64("echo hi"),
  CommandType: "POWERSHELL",
  Timeout: 120,
});

const task = (over: Partial<InvocationTask>): InvocationTask => ({
  InvocationId: "inv-aaaa0001",
  InvocationTaskId: "invt-aaaa0001",
  InstanceId: "ins-aaaa0001",
  TaskStatus: "SUCCESS",
  CreatedTime: "2026-11-28T01:00:00+00:00",
  ...over,
});

describe("toScenario", () => {
  test("timelines come from the recorded times, pulled apart when they share a second", () => {
    const { scenario } = toScenario(
      [invocation("inv-aaaa0001", "2026-11-28T01:00:00+00:00")],
      [
        task({
          TaskResult: {
            ExitCode: 0,
            ExecStartTime: "2026-11-28T01:00:03+00:00",
            ExecEndTime: "2026-11-28T01:00:03+00:00",
          },
          EndTime: "2026-11-28T01:00:03+00:00",
        }),
      ],
      { recorded },
    );
    const t = scenario.invocations?.[0]?.tasks?.[0];
    expect(t?.timeline).toBe("PENDING@0s RUNNING@3s SUCCESS@3.1s");
    expect(t?.exitCode).toBe(0);
    expect(scenario.invocations?.[0]).toMatchObject({
      command: "echo hi",
      commandType: "POWERSHELL",
      timeout: 120,
    });
    // The result is a scenario the emulator accepts.
    expect(() => buildScenario(scenario)).not.toThrow();
  });

  test("a second invocation starts at its own offset; output that is not UTF-8 stays bytes", () => {
    const gbk = Buffer.from([0xb4, 0xed, 0xce, 0xf3]); // 错误 in GBK
    const { scenario, notes } = toScenario(
      [
        invocation("inv-aaaa0001", "2026-11-28T01:00:00+00:00"),
        invocation("inv-aaaa0002", "2026-11-28T01:01:30+00:00"),
      ],
      [
        task({
          InvocationId: "inv-aaaa0002",
          InvocationTaskId: "invt-aaaa0002",
          CreatedTime: "2026-11-28T01:01:30+00:00",
          TaskStatus: "FAILED",
          EndTime: "2026-11-28T01:01:40+00:00",
          TaskResult: { ExitCode: 3, Output: gbk.toString("base64"), Dropped: 12 },
        }),
      ],
      { recorded },
    );
    // The first invocation came with no task: a scenario invocation needs one, so it is left out.
    expect(scenario.invocations?.map((i) => i.id)).toEqual(["inv-aaaa0002"]);
    expect(scenario.invocations?.[0]?.createdAt).toBe(90);
    const t = scenario.invocations?.[0]?.tasks?.[0] as unknown as Record<string, unknown>;
    expect(t.timeline).toBe("PENDING@0s FAILED@10s");
    expect(t.output).toBeUndefined();
    expect(t.outputBase64).toBe(gbk.toString("base64"));
    // What TAT cut is recorded beside what it kept: the replay serves the same Dropped.
    expect(t.dropped).toBe(12);
    expect(notes).toEqual({
      truncated: ["invt-aaaa0002"],
      binary: ["invt-aaaa0002"],
      empty: ["inv-aaaa0001"],
    });
    // The emulator serves those bytes as they were.
    const built = buildScenario(scenario);
    const served = built.invocations[0]?.tasks[0];
    expect(served?.taskId).toBe("invt-aaaa0002");
    expect(Buffer.from((served as unknown as { outputBytes: Uint8Array }).outputBytes)).toEqual(
      gbk,
    );
  });

  test("output TAT cut inside a character is still text, not bytes", () => {
    const whole = Buffer.from("ok 完成", "utf8");
    const cut = whole.subarray(0, whole.length - 1);
    const { scenario, notes } = toScenario(
      [invocation("inv-aaaa0001", "2026-11-28T01:00:00+00:00")],
      [
        task({
          EndTime: "2026-11-28T01:00:02+00:00",
          TaskResult: { ExitCode: 0, Output: cut.toString("base64"), Dropped: 40 },
        }),
      ],
      { recorded },
    );
    expect(scenario.invocations?.[0]?.tasks?.[0]?.output).toBe("ok 完");
    expect(scenario.invocations?.[0]?.tasks?.[0]?.dropped).toBe(40);
    expect(notes.binary).toEqual([]);
    expect(buildScenario(scenario).invocations[0]?.tasks[0]?.dropped).toBe(40);
  });

  test("a task TAT did not cut has no `dropped`; --no-output still records what TAT cut", () => {
    const records = [
      task({ TaskResult: { ExitCode: 0, Output: b64("fine\n"), Dropped: 0 } }),
      task({
        InvocationTaskId: "invt-aaaa0002",
        InstanceId: "ins-aaaa0002",
        TaskResult: { ExitCode: 0, Output: b64("x".repeat(24_576)), Dropped: 7 },
      }),
    ];
    const inv = [invocation("inv-aaaa0001", "2026-11-28T01:00:00+00:00")];
    const whole = toScenario(inv, records, { recorded }).scenario.invocations?.[0]?.tasks;
    expect(whole?.map((t) => t.dropped)).toEqual([undefined, 7]);
    const bare = toScenario(inv, records, { recorded, noOutput: true });
    expect(bare.scenario.invocations?.[0]?.tasks?.map((t) => [t.output, t.dropped])).toEqual([
      [undefined, undefined],
      [undefined, 7],
    ]);
    expect(bare.notes.truncated).toEqual(["invt-aaaa0002"]);
    expect(() => buildScenario(bare.scenario)).not.toThrow();
  });

  test("kept output a redaction lengthened past 24 KiB is cut again, the rest counted as dropped", () => {
    // 24,570 bytes of "é" pairs and "a": each "a" becomes "***", two bytes more.
    const kept = `${"é".repeat(12_000)}${"a".repeat(576)}`;
    const { scenario, notes } = toScenario(
      [invocation("inv-aaaa0001", "2026-11-28T01:00:00+00:00")],
      [task({ TaskResult: { ExitCode: 0, Output: b64(kept), Dropped: 100 } })],
      { recorded, redact: ["a"] },
    );
    const t = scenario.invocations?.[0]?.tasks?.[0];
    const bytes = Buffer.byteLength(t?.output ?? "");
    expect(bytes).toBe(24_576);
    expect(t?.dropped).toBe(100 + 24_000 + 576 * 3 - 24_576);
    expect(notes.recut).toEqual(["invt-aaaa0001"]);
    expect(() => buildScenario(scenario)).not.toThrow();

    // A whole log read from COS (Dropped 0, past the cap) is kept whole: the emulator cuts it.
    const whole = `${"a".repeat(30_000)}\n`;
    const fromCos = toScenario(
      [invocation("inv-aaaa0001", "2026-11-28T01:00:00+00:00")],
      [task({ TaskResult: { ExitCode: 0, Output: b64(whole), Dropped: 0 } })],
      { recorded, redact: ["b"] },
    );
    expect(fromCos.scenario.invocations?.[0]?.tasks?.[0]).toMatchObject({ output: whole });
    expect(fromCos.scenario.invocations?.[0]?.tasks?.[0]?.dropped).toBeUndefined();
    expect(fromCos.notes.recut).toBeUndefined();
  });

  test("API times with and without a zone", () => {
    expect(apiTime("2026-11-28T01:02:03+00:00")).toBe(Date.UTC(2026, 10, 28, 1, 2, 3));
    expect(apiTime("2026-11-28 01:02:03")).toBe(Date.UTC(2026, 10, 28, 1, 2, 3));
    expect(apiTime(null)).toBeUndefined();
    expect(apiTime("yesterday")).toBeUndefined();
  });
});

describe("renderScenario", () => {
  const header = {
    version: "0.0.0",
    recordedAt: "2026-11-30T00:00:00.000Z",
    region: "ap-guangzhou",
    endpointHost: "tat.tencentcloudapi.com",
    redactions: 0,
    noOutput: false,
  };
  const notes = { truncated: ["invt-aaaa0001"], binary: [], empty: [] };

  test("the header says a cut task holds only the kept part and how much was dropped", () => {
    const text = renderScenario({ version: 1 }, header, notes);
    expect(text).toContain(
      "# TAT had cut the output of invt-aaaa0001: only the kept 24 KiB is here,\n# with `dropped:`",
    );
    const bare = renderScenario({ version: 1 }, { ...header, noOutput: true }, notes);
    expect(bare).toContain("# TAT had cut the output of invt-aaaa0001: `dropped:` says how much.");
    expect(bare).not.toContain("kept 24 KiB is here");
  });

  test("a recording cut short is refused at its end, never replayed as a smaller run", () => {
    // Three tasks, ins-b failing: the file cut before it (a lost line of a copy, a full disk)
    // would replay only ins-a, and a spec without an `instances` rule would pass.
    const tasks = ["ins-a", "ins-b", "ins-c"].map((instance, i) =>
      task({
        InstanceId: instance,
        InvocationTaskId: `invt-aaaa000${i}`,
        TaskStatus: instance === "ins-b" ? "FAILED" : "SUCCESS",
        TaskResult: {
          ExitCode: instance === "ins-b" ? 1 : 0,
          Output: b64(instance === "ins-b" ? "ERROR\n" : "ok\n"),
          Dropped: 0,
        },
      }),
    );
    const { scenario } = toScenario(
      [invocation("inv-aaaa0001", "2026-11-28T01:00:00+00:00")],
      tasks,
      { recorded },
    );
    const text = renderScenario(scenario, header, { truncated: [], binary: [], empty: [] });
    expect(parseScenario(text, "rec.yml").invocations[0]?.tasks).toHaveLength(3);

    const lines = text.split("\n");
    const cut = lines
      .slice(
        0,
        lines.findIndex((l) => l.includes("instance: ins-b")),
      )
      .join("\n");
    expect(() => parseScenario(`${cut}\n`, "rec.yml")).toThrow(SpecError);
    expect(() => parseScenario(`${cut}\n`, "rec.yml")).toThrow(
      new RegExp(`^rec\\.yml:${cut.split("\n").length + 1}:1: recorded: the recording ends before`),
    );
    // Cut inside the last task's output: still refused.
    expect(() => parseScenario(text.slice(0, text.lastIndexOf("ok")), "rec.yml")).toThrow(
      /recorded: the recording ends before/,
    );
    // A scenario written by hand (no `recorded:`) needs no end marker.
    expect(() => parseScenario("version: 1\ninvocations: []\n", "s.yml")).not.toThrow();
  });
});
