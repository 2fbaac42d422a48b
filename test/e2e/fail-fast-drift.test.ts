// --fail-fast on drift end to end: the built CLI as a subprocess against the emulator in this
// process, on real time. Two tasks finish early with different versions while the rest run on:
// the values can never agree again, so --fail-fast ends the run at once; without it the same spec
// waits for every task. Run `npm run -s build` first.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, jest, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  type RawScenario,
  startEmulator,
} from "../../src/emulator/index.js";
import type { RunReport } from "../../src/model.js";
import { cleanEnv, runCli } from "../helpers/cli.js";

const CRED = { secretId: "AKIDDRIFTE2E0000000000000000000000", secretKey: "drift-e2e-key-3a9c" };
const INTERVAL_MS = 500;
const TASKS = 30;
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});
jest.setTimeout(90_000);

const health = (version: string) => `health\n{"status":"ok","version":"${version}"}\n`;

/** TASKS tasks running until `othersEndAt`; the first two end at 1 s, on 1.4.2 and 1.4.1. */
function rollout(othersEndAt: string): Omit<RawScenario, "credentials"> {
  const early = "PENDING@0s RUNNING@0.2s SUCCESS@1s";
  return {
    invocations: [
      {
        id: "inv-drift001",
        commandId: "cmd-health01",
        timeout: 900,
        fleet: {
          count: TASKS,
          instancePrefix: "ins-dr",
          template: {
            timeline: `PENDING@0s RUNNING@0.5s SUCCESS@${othersEndAt}`,
            output: health("1.4.2"),
          },
          overrides: [
            { index: 1, timeline: early, output: health("1.4.2") },
            { index: 2, timeline: early, output: health("1.4.1") },
          ],
        },
      },
    ],
  };
}

// A quorum that 2 failures could not break: the drift fails the spec beside it all the same.
const SPEC = [
  "version: 1",
  "name: rollout",
  "target: { invocationId: inv-drift001 }",
  `wait: { timeout: 15m, minInterval: ${INTERVAL_MS}ms, maxInterval: ${INTERVAL_MS}ms }`,
  "expect:",
  "  exitCode: 0",
  "  capture:",
  "    version: { json: $.version }",
  "fleet:",
  "  same: version",
  "quorum: { maxFailures: 2 }",
  "",
].join("\n");

async function runCase(scenario: Omit<RawScenario, "credentials">, args: string[]) {
  const emu = await startEmulator({
    scenario: buildScenario({ version: 1, credentials: [CRED], ...scenario }),
  });
  emulators.push(emu);
  // Scenario time 0 is now: the invocation was created as the emulator started.
  const startedMs = Date.now();
  const work = mkdtempSync(join(tmpdir(), "tat-assert-drift-e2e-"));
  writeFileSync(join(work, "spec.yml"), SPEC);
  const result = await runCli(
    ["spec.yml", "--reporter", "json:report.json", ...args, "--endpoint", emu.url],
    {
      cwd: work,
      env: cleanEnv({
        TENCENTCLOUD_SECRET_ID: CRED.secretId,
        TENCENTCLOUD_SECRET_KEY: CRED.secretKey,
        TENCENTCLOUD_REGION: "ap-guangzhou",
      }),
      timeoutMs: 60_000,
    },
  );
  const elapsedMs = Date.now() - startedMs;
  const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  const report = (): RunReport => JSON.parse(readFileSync(join(work, "report.json"), "utf8"));
  return { result, exit: { code: result.code, context }, elapsedMs, report };
}

describe("--fail-fast on drift (built CLI against the emulator)", () => {
  test("2 of 30 tasks end with different versions, 28 run for 10 minutes: the run ends within a poll or two", async () => {
    const r = await runCase(rollout("600s"), ["--fail-fast"]);
    expect(r.exit).toEqual({ code: 1, context: r.exit.context });
    // 1 s, then one or two polls, and slack for starting node on a busy machine.
    expect(r.elapsedMs).toBeLessThanOrEqual(1_000 + 2 * INTERVAL_MS + 5_000);
    const out = r.result.stdout + r.result.stderr;
    expect(out).toContain("stopped early");
    expect(out).toContain("fail-fast: version already differs across tasks");
    const [spec] = r.report().specs;
    expect(spec?.observation.state).toBe("stopped");
    expect(spec?.outcome).toBe("fail");
    // The stop and the verdict say the same thing: the drift, with the drifted instance named.
    const same = spec?.fleet.find((f) => f.check === "fleet.same");
    expect(same).toMatchObject({
      outcome: "fail",
      message:
        'version differs across tasks: "1.4.1" on 1 task (ins-dr0002); "1.4.2" on 1 task (ins-dr0001)',
    });
    expect(spec?.fleet.find((f) => f.check === "quorum")?.outcome).not.toBe("fail");
    expect(spec?.counts).toEqual({ pass: 2, fail: 0, error: 0, skip: TASKS - 2 });
  });

  test("without --fail-fast the same spec waits for every task (here 4 s), then fails on the drift", async () => {
    const r = await runCase(rollout("4s"), []);
    expect(r.exit).toEqual({ code: 1, context: r.exit.context });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(4_000);
    expect(r.result.stdout + r.result.stderr).not.toContain("fail-fast");
    const [spec] = r.report().specs;
    expect(spec?.observation.state).toBe("terminal");
    expect(spec?.counts).toEqual({ pass: TASKS, fail: 0, error: 0, skip: 0 });
    expect(spec?.fleet.find((f) => f.check === "fleet.same")?.message).toBe(
      `version differs across tasks: "1.4.1" on 1 task (ins-dr0002); "1.4.2" on ${TASKS - 1} tasks (ins-dr0001, ins-dr0003, ins-dr0004, ins-dr0005, ins-dr0006, ins-dr0007, ins-dr0008, ins-dr0009, ins-dr0010, ins-dr0011 and ${TASKS - 11} more)`,
    );
  });
});
