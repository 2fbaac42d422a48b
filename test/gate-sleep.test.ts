// runGate waits on the clock and the sleep it is given, as the rest of the pipeline does: a
// library user (or a test) can run a whole gate over minutes of runbook without waiting them.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { manualClock } from "../src/emulator/clock.js";
import { buildScenario, type Emulator, startEmulator } from "../src/emulator/index.js";
import { runGate } from "../src/gate.js";
import { Capture } from "./report/stream.js";

const CRED = {
  secretId: "AKIDgateSleep000000000000000000000001",
  secretKey: "gate-sleep-secret-key-9c1d",
};
const clock = manualClock();
let emulator: Emulator;

beforeAll(async () => {
  const scenario = buildScenario({
    credentials: [CRED],
    invocations: [
      {
        id: "inv-slow0001",
        commandId: "cmd-deploy01",
        tasks: [
          {
            instance: "ins-web00001",
            timeline: "PENDING@0s RUNNING@1s SUCCESS@40s",
            output: "deploy ok\n",
          },
        ],
      },
    ],
  });
  emulator = await startEmulator({ scenario, clock });
});
afterAll(async () => {
  await emulator.close();
});

test("a 40 s runbook is waited for on the injected sleep and clock, never on real timers", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tat-gate-sleep-"));
  await writeFile(
    join(dir, "deploy.yml"),
    "version: 1\nname: deploy\ntarget: { invocationId: inv-slow0001 }\nexpect:\n  exitCode: 0\n",
  );
  const slept: number[] = [];
  const report = await runGate(
    {
      patterns: ["deploy.yml"],
      reporters: [],
      failFast: false,
      quiet: true,
      verbose: false,
      region: "ap-guangzhou",
      endpoint: emulator.url,
      credentials: CRED,
    },
    {
      stdout: new Capture(),
      stderr: new Capture(),
      env: {},
      cwd: dir,
      homeDir: dir,
      now: clock.now,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        slept.push(ms);
        clock.advance(ms);
      },
    },
  );
  expect(report.exitCode).toBe(0);
  expect(report.specs[0]?.outcome).toBe("pass");
  // The task ended 40 s in: the gate got there by sleeping on the injected sleep only.
  expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(39_000);
});
