// Scenario outputChunks: DescribeInvocationTasks shows a running task's output as the agent sent
// it so far (cut wherever a chunk ends: mid-line, mid-character), the whole of it once the task
// ended, under the same 24 KiB cap.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { call } from "./api.js";

const START = Date.UTC(2026, 10, 30, 9, 0, 0);
const clock = manualClock(START);
let emu: Emulator;

beforeAll(async () => {
  const e = Buffer.from("é", "utf8"); // C3 A9
  emu = await startEmulator({
    clock,
    scenario: buildScenario({
      credentials: [{ secretId: "AKIDTEST", secretKey: "test-key" }],
      invocations: [
        {
          id: "inv-chunks01",
          commandId: "cmd-chunks01",
          tasks: [
            {
              instance: "ins-chunks",
              id: "invt-chunks01",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@10s",
              outputChunks: [
                { at: "2s", output: "step 1\nst" },
                // Ends inside é: the next chunk carries its second byte.
                {
                  at: "4s",
                  outputBase64: Buffer.from([...Buffer.from("ep 2 d"), e[0] as number]).toString(
                    "base64",
                  ),
                },
                { at: "6s", outputBase64: Buffer.from([e[1] as number, 0x0a]).toString("base64") },
              ],
            },
            {
              instance: "ins-big",
              id: "invt-chunks02",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@10s",
              outputChunks: [
                { at: "2s", output: "x".repeat(20_000) },
                { at: "3s", output: "y".repeat(10_000) },
              ],
            },
          ],
        },
      ],
    }),
  });
});
afterAll(() => emu.close());

async function task(id: string, atMs: number) {
  clock.set(START + atMs);
  const { response } = await call(emu, "DescribeInvocationTasks", {
    InvocationTaskIds: [id],
    HideOutput: false,
  });
  const set = response.InvocationTaskSet as {
    TaskStatus: string;
    TaskResult: { Output: string; Dropped: number };
  }[];
  const t = set[0];
  if (!t) throw new Error("no task");
  return {
    status: t.TaskStatus,
    bytes: Buffer.from(t.TaskResult.Output, "base64"),
    dropped: t.TaskResult.Dropped,
  };
}

describe("outputChunks", () => {
  test("a running task shows the chunks landed so far, cut where they end", async () => {
    expect((await task("invt-chunks01", 1_500)).bytes.toString()).toBe("");
    expect((await task("invt-chunks01", 2_000)).bytes.toString()).toBe("step 1\nst");
    const midChar = await task("invt-chunks01", 5_000);
    expect(midChar.status).toBe("RUNNING");
    expect([...midChar.bytes.subarray(-2)]).toEqual([0x64, 0xc3]);
    const whole = await task("invt-chunks01", 10_000);
    expect(whole.status).toBe("SUCCESS");
    expect(whole.bytes.toString("utf8")).toBe("step 1\nstep 2 dé\n");
  });

  test("past 24 KiB the rest is dropped while running, as at the end", async () => {
    const first = await task("invt-chunks02", 2_500);
    expect([first.bytes.length, first.dropped]).toEqual([20_000, 0]);
    const capped = await task("invt-chunks02", 3_000);
    expect([capped.bytes.length, capped.dropped]).toEqual([24_576, 30_000 - 24_576]);
    const done = await task("invt-chunks02", 10_000);
    expect([done.bytes.length, done.dropped]).toEqual([24_576, 30_000 - 24_576]);
  });
});
