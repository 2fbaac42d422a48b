// expect.output.failEarly end to end: the built CLI as a subprocess against the emulator in this
// process, on real time. The emulator serves output as the agent sends it (scenario
// outputChunks); what the CLI asked for is counted at the emulator, not taken from the CLI.
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

const CRED = { secretId: "AKIDEARLYE2E0000000000000000000000", secretKey: "early-e2e-key-8f21" };
const INTERVAL_MS = 500;
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});
jest.setTimeout(60_000);

async function runCase(
  scenario: Omit<RawScenario, "credentials">,
  specYaml: string,
  args: string[],
) {
  const emu = await startEmulator({
    scenario: buildScenario({ version: 1, credentials: [CRED], ...scenario }),
  });
  emulators.push(emu);
  // Scenario time 0 is now: the invocation was created as the emulator started.
  const startedMs = Date.now();
  const work = mkdtempSync(join(tmpdir(), "tat-assert-early-e2e-"));
  writeFileSync(join(work, "spec.yml"), specYaml);
  const result = await runCli([...args, "--endpoint", emu.url], {
    cwd: work,
    env: cleanEnv({
      TENCENTCLOUD_SECRET_ID: CRED.secretId,
      TENCENTCLOUD_SECRET_KEY: CRED.secretKey,
      TENCENTCLOUD_REGION: "ap-guangzhou",
    }),
  });
  const elapsedMs = Date.now() - startedMs;
  const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  const read = (file: string) => readFileSync(join(work, file), "utf8");
  const report = (): RunReport => JSON.parse(read("report.json"));
  const calls = (action: string) => emu.stats().requests[action] ?? 0;
  expect(result.stdout + result.stderr).not.toContain(CRED.secretKey);
  return {
    result,
    exit: { code: result.code, context },
    elapsedMs,
    startedMs,
    report,
    read,
    calls,
  };
}

const TEN_MINUTES = "PENDING@0s RUNNING@0.5s SUCCESS@600s";

/** Two 10-minute tasks; one prints FATAL at second 5, after a line written in two chunks. */
const fatalAtFive: Omit<RawScenario, "credentials"> = {
  invocations: [
    {
      id: "inv-early001",
      commandId: "cmd-early001",
      timeout: 900,
      tasks: [
        {
          instance: "ins-fatal",
          timeline: TEN_MINUTES,
          outputChunks: [
            { at: "1s", output: "migrating schema\nstep 2 of 9: copy" },
            { at: "2s", output: "ing rows\n" },
            { at: "5s", output: "FATAL: disk full on /var\nretrying" },
          ],
        },
        {
          instance: "ins-fine",
          timeline: TEN_MINUTES,
          outputChunks: [{ at: "1s", output: "migrating schema\n" }],
        },
      ],
    },
  ],
};

const spec = (output: string) =>
  `version: 1\nname: migrate\ntarget: { invocationId: inv-early001 }\nwait: { timeout: 15m, minInterval: ${INTERVAL_MS}ms, maxInterval: ${INTERVAL_MS}ms }\nexpect:\n  exitCode: 0\n  output:\n${output}`;

const EARLY = "    notMatches: FATAL\n    failEarly: true\n";
const REPORTERS = [
  "--reporter",
  "json:report.json",
  "--reporter",
  "junit:junit.xml",
  "--reporter",
  "html:report.html",
];

describe("failEarly (built CLI against the emulator)", () => {
  test("FATAL at second 5 of a 10-minute task ends the run with --fail-fast within one poll", async () => {
    const r = await runCase(fatalAtFive, spec(EARLY), ["spec.yml", "--fail-fast", ...REPORTERS]);
    expect(r.exit).toEqual({ code: 1, context: r.exit.context });
    // 5 s, the next poll at most one interval later, and slack for starting node on a busy machine.
    expect(r.elapsedMs).toBeLessThanOrEqual(5_000 + INTERVAL_MS + 4_000);
    expect(r.result.stdout).toContain("ins-fatal");
    expect(r.result.stdout).toContain("FATAL: disk full on /var");
    expect(r.result.stdout).toContain("seen while running");
    const judged = r.report().specs[0];
    expect(judged?.observation.state).toBe("stopped");
    const task = judged?.tasks.find((t) => t.instanceId === "ins-fatal");
    const hit = task?.results.find((x) => x.outcome === "fail");
    expect(hit).toMatchObject({
      check: "output.notMatches",
      actual: "found at line 3 while running",
    });
    const seenMs = Date.parse(hit?.seenWhileRunningAt ?? "") - r.startedMs;
    expect(seenMs).toBeGreaterThanOrEqual(5_000);
    expect(seenMs).toBeLessThanOrEqual(5_000 + INTERVAL_MS + 2_500);
    expect(judged?.tasks.find((t) => t.instanceId === "ins-fine")?.outcome).toBe("skip");
    for (const file of ["junit.xml", "report.html"]) {
      expect({ file, has: r.read(file).includes("seen while running") }).toEqual({
        file,
        has: true,
      });
    }
    // One DescribeInvocations and at most one DescribeInvocationTasks (the running tasks' batch)
    // a round: no task finished, so no other record was fetched.
    expect(r.calls("DescribeInvocationTasks")).toBeGreaterThan(0);
    expect(r.calls("DescribeInvocationTasks")).toBeLessThanOrEqual(r.calls("DescribeInvocations"));
  });

  test("without failEarly the same run waits for the task to end", async () => {
    // The same output, in a task of 7 s rather than 10 minutes.
    const short = structuredClone(fatalAtFive);
    for (const t of short.invocations?.[0]?.tasks ?? [])
      t.timeline = "PENDING@0s RUNNING@0.5s SUCCESS@7s";
    const r = await runCase(short, spec("    notMatches: FATAL\n"), [
      "spec.yml",
      "--fail-fast",
      ...REPORTERS,
    ]);
    expect(r.exit).toEqual({ code: 1, context: r.exit.context });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(7_000);
    expect(r.result.stdout).toContain("FATAL: disk full on /var");
    expect(r.result.stdout).not.toContain("seen while running");
    // No running task's output was read: one call for the two final records, no more.
    expect(r.calls("DescribeInvocationTasks")).toBe(1);
  });

  test("a pattern split across two chunks is found once the second lands", async () => {
    const split: Omit<RawScenario, "credentials"> = {
      invocations: [
        {
          id: "inv-early001",
          commandId: "cmd-early001",
          timeout: 900,
          tasks: [
            {
              instance: "ins-split",
              timeline: TEN_MINUTES,
              outputChunks: [
                { at: "1s", output: "step 1\nstep 2: FA" },
                { at: "3s", output: "TAL error\n" },
              ],
            },
          ],
        },
      ],
    };
    const r = await runCase(split, spec(EARLY), ["spec.yml", "--fail-fast", ...REPORTERS]);
    expect(r.exit).toEqual({ code: 1, context: r.exit.context });
    const hit = r.report().specs[0]?.tasks[0]?.results.find((x) => x.outcome === "fail");
    expect(hit?.excerpt).toContain(">2 | step 2: FATAL error");
    const seenMs = Date.parse(hit?.seenWhileRunningAt ?? "") - r.startedMs;
    expect(seenMs).toBeGreaterThanOrEqual(3_000);
    expect(r.elapsedMs).toBeLessThanOrEqual(3_000 + INTERVAL_MS + 4_000);
  });

  test("tat-assert run --fail-fast: a FATAL in running output cancels the unfinished tasks", async () => {
    const r = await runCase(
      {
        onRun: [
          {
            match: { instance: "ins-bad" },
            timeline: "PENDING@0s RUNNING@0.2s SUCCESS@120s",
            // Produced evenly over the run: the first line is whole within the first second.
            output: `FATAL: bad config\n${"still going\n".repeat(2000)}`,
          },
          { match: { instance: "ins-slow" }, timeline: "PENDING@0s RUNNING@0.2s SUCCESS@120s" },
        ],
      },
      `version: 1\nname: deploy\nwait: { minInterval: ${INTERVAL_MS}ms, maxInterval: ${INTERVAL_MS}ms, notFoundGrace: 2s }\nrun:\n  command: work\n  instances: [ins-bad, ins-slow]\nexpect:\n  output:\n${EARLY}`,
      ["run", "spec.yml", "--fail-fast", "--reporter", "json:report.json"],
    );
    expect(r.exit).toEqual({ code: 1, context: r.exit.context });
    expect(r.elapsedMs).toBeLessThan(20_000);
    expect(r.result.stdout).toContain("seen while running");
    expect(r.calls("CancelInvocation")).toBe(1);
    const launch = r.report().launches?.[0];
    expect(launch?.cancelled).toEqual([
      { invocationId: launch?.invocationIds[0], instanceIds: ["ins-bad", "ins-slow"] },
    ]);
  });
});
