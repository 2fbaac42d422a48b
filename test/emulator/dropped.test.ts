// Scenario `dropped`: a task given only what TAT kept, and how much TAT cut after it (what
// `tat-assert record` writes when it could not read the whole log). The emulator serves that output
// and that Dropped at the end, grows them consistently while the task runs, and its COS endpoint
// does not pass the kept part off as the whole log.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { fetchCosOutput } from "../../src/cos/fetch-output.js";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { visibleOutput } from "../../src/emulator/output.js";
import { call } from "./api.js";

const START = Date.UTC(2026, 10, 30, 9, 0, 0);
const KEY = { secretId: "AKIDDROPPED", secretKey: "dropped-test-key" };
const BUCKET = "https://logs-1250000000.cos.ap-guangzhou.myqcloud.com";
const LINE = `${"k".repeat(99)}\n`; // 100 bytes
const KEPT = LINE.repeat(10); // 1,000 bytes
const clock = manualClock(START);
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    clock,
    scenario: buildScenario({
      credentials: [KEY],
      invocations: [
        {
          id: "inv-dropped1",
          commandId: "cmd-dropped1",
          tasks: [
            {
              instance: "ins-kept",
              id: "invt-dropped1",
              // 6,000 bytes in 10 s: 1,000 kept, then 5,000 cut.
              timeline: "PENDING@0s RUNNING@1s SUCCESS@11s",
              output: KEPT,
              dropped: 5000,
              outputUrl: `${BUCKET}/inv-dropped1/kept.log`,
            },
            {
              instance: "ins-whole",
              id: "invt-dropped2",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
              output: KEPT,
              dropped: 10,
              outputUrl: `${BUCKET}/inv-dropped1/whole.log`,
              cosOutput: `${KEPT}0123456789`,
            },
            {
              instance: "ins-zero",
              id: "invt-dropped3",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
              output: "all\n",
              dropped: 0,
              outputUrl: `${BUCKET}/inv-dropped1/zero.log`,
            },
          ],
        },
      ],
    }),
  });
});
afterAll(() => emu.close());

async function task(id: string, atMs: number, hideOutput = false) {
  clock.set(START + atMs);
  const { response } = await call(emu, "DescribeInvocationTasks", {
    InvocationTaskIds: [id],
    HideOutput: hideOutput,
  });
  const t = (
    response.InvocationTaskSet as {
      TaskStatus: string;
      TaskResult: { Output: string; Dropped: number; OutputUrl: string };
    }[]
  )[0];
  if (!t) throw new Error("no task");
  return {
    status: t.TaskStatus,
    text: Buffer.from(t.TaskResult.Output, "base64").toString("utf8"),
    dropped: t.TaskResult.Dropped,
    url: t.TaskResult.OutputUrl,
  };
}

describe("dropped", () => {
  test("an ended task shows the output as given and Dropped as given", async () => {
    const done = await task("invt-dropped1", 11_000);
    expect(done).toMatchObject({ status: "SUCCESS", text: KEPT, dropped: 5000 });
    // Hidden output hides the text, not the count.
    expect(await task("invt-dropped1", 11_000, true)).toMatchObject({ text: "", dropped: 5000 });
    expect(await task("invt-dropped3", 2_000)).toMatchObject({ text: "all\n", dropped: 0 });
  });

  test("while running: complete lines of the kept part first, then Dropped grows to the count", async () => {
    // 5% of 6,000 = 300 bytes produced: three whole lines, nothing dropped yet.
    expect(await task("invt-dropped1", 1_500)).toMatchObject({
      status: "RUNNING",
      text: LINE.repeat(3),
      dropped: 0,
    });
    // 30% = 1,800 bytes: all of the kept part, 800 bytes already cut.
    expect(await task("invt-dropped1", 4_000)).toMatchObject({ text: KEPT, dropped: 800 });
    expect(await task("invt-dropped1", 10_900)).toMatchObject({ text: KEPT, dropped: 4_940 });
  });

  test("past the cap of a whole output nothing changes: `dropped` defaults to 0", () => {
    const whole = visibleOutput(LINE, 300, 1, true);
    expect(whole.dropped).toBe(30_000 - 24_576);
    expect(visibleOutput(LINE, 300, 1, true, 0)).toEqual(whole);
  });

  test("COS has no whole log for a task given only its kept part: 404 NoSuchKey, unless cosOutput", async () => {
    clock.set(START + 20_000);
    const cos = {
      credentials: staticCredentials(KEY, "test"),
      cosEndpoint: emu.cosUrl as string,
    };
    expect(emu.cosUrl).toBeDefined();
    const kept = await fetchCosOutput((await task("invt-dropped1", 20_000)).url, cos);
    expect(kept).toEqual({ unverifiable: expect.stringContaining("NoSuchKey") });
    const whole = await fetchCosOutput((await task("invt-dropped2", 20_000)).url, cos);
    expect("bytes" in whole && Buffer.from(whole.bytes).toString()).toBe(`${KEPT}0123456789`);
    // dropped: 0 is no cut: COS serves the output as the whole log, as before.
    const zero = await fetchCosOutput((await task("invt-dropped3", 20_000)).url, cos);
    expect("bytes" in zero && Buffer.from(zero.bytes).toString()).toBe("all\n");
  });
});
