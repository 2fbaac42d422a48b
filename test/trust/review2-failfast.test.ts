// Review: --fail-fast stops when a spec can no longer pass; it must never end in exit 0. With a
// quorum, a task that could not be verified counts against it: fail-fast stopped, and the quorum
// (an error: unverified tasks decide it) was then read as "not checked, stopped early" (skip), the
// task outcomes do not reach a spec with a quorum, and the spec came out skipped: exit 0.
// Real HTTP against the TAT emulator, one manual clock.
import { afterEach, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { runSpec } from "./run-spec.js";

const CRED = { secretId: "AKIDREVIEW2FAILFAST0000000000000", secretKey: "review2-ff-secret" };
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function gate(quorum: string) {
  const clock = manualClock();
  emulator = await startEmulator({
    scenario: buildScenario({
      version: 1,
      credentials: [CRED],
      invocations: [
        {
          id: "inv-7e71ff01",
          commandId: "cmd-7e71ff01",
          timeout: 900,
          tasks: [
            {
              // 40 KiB of output: TAT cuts it, so `notMatches` cannot be verified on it.
              instance: "ins-7e71ff01",
              id: "invt-7e71ff01",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
              output: "fine\n".repeat(8192),
            },
            {
              instance: "ins-7e71ff02",
              id: "invt-7e71ff02",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@600s",
              output: "fine\n",
            },
          ],
        },
      ],
    }),
    clock,
  });
  const yaml =
    "version: 1\nname: ff\ntarget: { invocationId: inv-7e71ff01 }\n" +
    "wait: { timeout: 20m, minInterval: 2s, maxInterval: 2s }\n" +
    `expect:\n  output:\n    notMatches: FATAL\n${quorum}`;
  const report = await runSpec({
    endpoint: emulator.url,
    credential: CRED,
    clock,
    yaml,
    failFast: true,
  });
  return { report, elapsedMs: clock.now() };
}

test.each([
  ["quorum maxFailures 0", "quorum:\n  maxFailures: 0\n"],
  ["quorum minPassRatio 1", "quorum:\n  minPassRatio: 1\n"],
  ["no quorum", ""],
])("%s: stopped on a task that could not be verified is never exit 0", async (_what, quorum) => {
  const { report } = await gate(quorum);
  expect(report.specs[0]?.outcome).not.toBe("pass");
  expect(report.specs[0]?.outcome).not.toBe("skip");
  expect(report.exitCode).toBe(3);
});
