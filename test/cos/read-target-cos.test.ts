// The reader with COS wired in, over real HTTP against the emulator and its COS endpoint: finished
// tasks whose checks read output get the whole log, each judged as it arrives and then let go, with
// no more than four objects read at once. The fetch given only counts what passes through it.
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import type { CompleteTruncatedDeps } from "../../src/cos/complete-truncated.js";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import type { Target, TaskObservation } from "../../src/model.js";
import { TatClient } from "../../src/tat/client.js";
import { TargetReader } from "../../src/wait/read-target.js";
import { tatReader } from "../../src/wait/tat-reader.js";

const KEY = { secretId: "AKIDcosReader0001", secretKey: "reader-test-key-0001" };
const INV = "inv-c05ead01";
const BUCKET = "https://logs-1250000000.cos.ap-guangzhou.myqcloud.com";
const TASKS = 10;
const SLOW_INV = "inv-c05ead02";
const LOG = (i: number) => `${`task ${i} line\n`.repeat(3000)}end of task ${i}\n`;
const UTF16_INV = "inv-c05ead03";
/** 60 KiB of UTF-16LE without a BOM (wmic, cmd /u), the line to find far past TAT's cut. */
const UTF16_LOG = `${"disk C: ok\r\n".repeat(2500)}ERROR: disk D: full\r\n`;

let emulator: Emulator;
let client: TatClient;

beforeAll(async () => {
  const clock = manualClock();
  emulator = await startEmulator({
    clock,
    scenario: buildScenario({
      credentials: [KEY],
      invocations: [
        {
          id: INV,
          commandId: "cmd-c05ead01",
          tasks: Array.from({ length: TASKS }, (_, i) => ({
            instance: `ins-c05ea${String(i).padStart(3, "0")}`,
            id: `invt-c05ea${String(i).padStart(3, "0")}`,
            timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
            output: LOG(i),
            outputUrl: `${BUCKET}/${INV}/invt-c05ea${String(i).padStart(3, "0")}.log`,
          })),
        },
        {
          id: SLOW_INV,
          commandId: "cmd-c05ead01",
          tasks: [
            {
              instance: "ins-c05eb000",
              id: "invt-c05eb000",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
              output: LOG(0),
              outputUrl: `${BUCKET}/${SLOW_INV}/invt-c05eb000.log`,
              cosFault: "slow",
            },
          ],
        },
        {
          id: UTF16_INV,
          commandId: "cmd-c05ead01",
          commandType: "POWERSHELL",
          tasks: [
            {
              instance: "ins-c05ec000",
              id: "invt-c05ec000",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
              outputBase64: Buffer.from(UTF16_LOG, "utf16le").toString("base64"),
              outputUrl: `${BUCKET}/${UTF16_INV}/invt-c05ec000.log`,
            },
          ],
        },
      ],
    }),
  });
  clock.advance(3000);
  client = new TatClient({
    endpoint: emulator.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(KEY),
    retries: 0,
  });
});

afterAll(async () => {
  await emulator?.close();
});

const target: Extract<Target, { kind: "invocations" }> = {
  kind: "invocations",
  invocationIds: [INV],
  where: { file: "s.yml", line: 1, col: 1 },
};

/** A reader of `invocationId` whose settled tasks land in `settled`, COS options on top of the
 * emulator's. */
function cosReader(invocationId: string, cos: Partial<CompleteTruncatedDeps>) {
  const settled: TaskObservation[] = [];
  const reader = new TargetReader(
    { ...target, invocationIds: [invocationId] },
    tatReader(client),
    true,
    () => new Date().toISOString(),
    undefined,
    (t) => {
      settled.push({ ...t });
    },
    {
      credentials: staticCredentials(KEY),
      cosEndpoint: emulator.cosUrl as string,
      sourceFor: () => "auto",
      ...cos,
    },
  );
  return { reader, settled };
}

test("every cut task is judged on its whole log from COS, at most 4 read at once, none kept", async () => {
  let inFlight = 0;
  let most = 0;
  // Counts a read from its request to the end of its body (the body is what takes memory).
  const counting: typeof fetch = async (input, init) => {
    inFlight++;
    most = Math.max(most, inFlight);
    const res = await fetch(input, init);
    const body = await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 20));
    inFlight--;
    return new Response(body, { status: res.status, headers: res.headers });
  };
  const { reader, settled } = cosReader(INV, { fetch: counting });
  await reader.read({});
  expect(reader.done()).toBe(true);
  expect(settled).toHaveLength(TASKS);
  for (const t of settled) {
    const i = Number(t.taskId.slice(-3));
    expect(t.output).toBe(LOG(i));
    expect(t.outputSource).toBe("cos");
    expect(t.droppedBytes).toBe(LOG(i).length - 24 * 1024);
  }
  expect(most).toBeGreaterThan(1);
  expect(most).toBeLessThanOrEqual(4);
  // The tracker keeps a summary of each whole log, never the log.
  for (const t of reader.tracker.snapshot()) {
    expect("output" in t).toBe(false);
    expect(t.outputSummary?.lines).toBe(3001);
  }
});

test("with source: tat only TAT's copy is read, and COS is not asked", async () => {
  const { reader, settled } = cosReader(INV, { sourceFor: () => "tat" });
  const before = emulator.cosStats?.().requests;
  await reader.read({});
  expect(settled).toHaveLength(TASKS);
  for (const t of settled) {
    expect(t.output?.length).toBe(24 * 1024);
    expect(t.outputSource).toBeUndefined();
  }
  expect(emulator.cosStats?.().requests).toBe(before);
});

test("a COS slower than the wait has left is 'could not verify' naming COS, within the wait", async () => {
  const { reader, settled } = cosReader(SLOW_INV, { remainingMs: () => 1300 });
  const started = Date.now();
  await reader.read({});
  expect(Date.now() - started).toBeLessThan(1300);
  expect(settled[0]?.outputCosError).toMatch(/no complete answer within 0\.8s/);
  expect(settled[0]?.outputSource).toBeUndefined();
});

test("a whole UTF-16LE log from COS is read as UTF-16LE to its end, not as UTF-8 with NULs", async () => {
  const { reader, settled } = cosReader(UTF16_INV, {});
  await reader.read({});
  expect(settled).toHaveLength(1);
  expect(settled[0]).toMatchObject({
    output: UTF16_LOG,
    outputEncoding: "utf-16le",
    outputSource: "cos",
    droppedBytes: UTF16_LOG.length * 2 - 24 * 1024,
  });
});
