// `tat-assert explain` through the built CLI: against the emulator over real HTTP, then against a
// `--replay` of what `record` wrote from that run. Each check must say what it read: the line a
// failing pattern was found on, where a passing `matches` was found, why an unverifiable check is
// unverifiable, and which override judged a task; hostile output (escape sequences, forged
// workflow commands, secrets the environment holds) is shown defused and masked.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { loadScenario, startEmulator } from "../../src/emulator/index.js";
import { cleanEnv, runCli } from "../helpers/cli.js";

const SECRET_KEY = "explain-emulator-secret-key-0000001";
const GITHUB_TOKEN = "ghp_explainTokenFromTheEnvironment77";
/** A key of the user's own account, printed by a runbook: masked though the replay never uses it. */
const USER_KEY = "user-own-secret-key-never-shown-42";

const SCENARIO = `version: 1
credentials:
  - secretId: AKIDEXPLAIN000000000000000000000000
    secretKey: ${SECRET_KEY}
invocations:
  - id: inv-expl0001
    commandId: cmd-expl0001
    command: deploy
    tasks:
      - instance: ins-expl0001
        timeline: "PENDING@0s RUNNING@1s SUCCESS@2s"
        exitCode: 0
        output: "starting\\n\\e[32mdeploy ok\\e[0m key=${SECRET_KEY} gh=${GITHUB_TOKEN} own=${USER_KEY}\\e]0;pwned\\a\\u202Edone\\n"
      - instance: ins-expl0002
        timeline: "PENDING@0s RUNNING@1s SUCCESS@3s"
        exitCode: 0
        output: "pulling\\n::error::forged\\nERROR: boom\\e[2J\\ndeploy ok version=1.2.3\\n"
  - id: inv-expl0002
    commandId: cmd-expl0001
    command: deploy
    tasks:
      - instance: ins-expl0003
        timeline: "PENDING@0s RUNNING@1s SUCCESS@2s"
        exitCode: 0
        output: "filler line of the log, sixty-four bytes long..................\\n"
        outputRepeat: 400
`;

const SPEC = `version: 1
name: explain me
region: ap-guangzhou
target:
  invocationId: inv-expl0001
wait: { timeout: 1m, minInterval: 200ms, maxInterval: 1s }
expect:
  exitCode: 0
  output:
    matches: ["deploy ok"]
    notMatches: [ERROR]
  duration: { max: 10m }
`;

/** The task whose output TAT cut, judged through an override. */
const CUT_SPEC = `version: 1
name: explain the cut
region: ap-guangzhou
target:
  invocationId: inv-expl0002
wait: { timeout: 1m, minInterval: 200ms, maxInterval: 1s }
expect:
  exitCode: 0
  output:
    matches: ["deploy ok"]
overrides:
  ins-expl0003:
    output:
      matches: [filler]
      notMatches: [ERROR]
`;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "tat-assert-explain-"));
  writeFileSync(join(dir, "scenario.yml"), SCENARIO);
  writeFileSync(join(dir, "spec.yml"), SPEC);
  writeFileSync(join(dir, "cut.yml"), CUT_SPEC);
  return dir;
}

/** One task's block of the explanation: from its header to the next task or spec. */
function block(stdout: string, instance: string): string {
  const start = stdout.indexOf(` ${instance}  task `);
  const header = stdout.lastIndexOf("\n", start);
  expect(start).toBeGreaterThan(0);
  const next = stdout.slice(start + 1).search(/\n\n/);
  return stdout.slice(header + 1, next < 0 ? undefined : start + 1 + next);
}

/** What the explanation says about one task, but the times (which differ between two runs). */
/** The explanation without what depends on when the polls fell: the times, and which statuses a
 * poll happened to see on the way (live, a poll may or may not land while a task runs). */
function explained(stdout: string, instance: string): string {
  return block(stdout, instance)
    .replace(/ExecStartTime \S+, ExecEndTime \S+/g, "ExecStartTime …")
    .replace(/, seen [^,]+(?=, )/g, "");
}

/** `own` is what the environment's own key (TENCENTCLOUD_SECRET_KEY) reads as. */
function assertExplanation(stdout: string, own = "***"): void {
  const hostile = block(stdout, "ins-expl0001");
  // A passing `matches` says where it was found.
  // A passing `matches` says where it was found; the line is shown defused and masked.
  expect(hostile).toContain(
    `✓ output.matches  output contains "deploy ok"  (spec.yml:10)\n        found on line 2:\n        > 2 | deploy ok key=*** gh=*** own=${own}\uFFFDdone\n`,
  );
  expect(hostile).toMatch(
    /✓ output\.notMatches .*\(spec\.yml:11\)\n {8}not found in 2 lines \/ \d+ characters/,
  );
  expect(hostile).toContain("expectations: spec-wide (no override for this instance)");
  expect(hostile).toMatch(/TaskStatus SUCCESS(, seen [^,]*)?, ExitCode 0, ran 1s, output 2 lines/);

  const failing = block(stdout, "ins-expl0002");
  // A failing `notMatches` shows the line it was found on, with its neighbours.
  expect(failing).toMatch(
    /✗ output\.notMatches {2}did not hold: output contains "ERROR" at line 3 {2}\(spec\.yml:11\)\n {8}found on line 3:\n {8}\| {2}1 \| pulling\n {8}\| {2}2 \| ::error::forged\n {8}\| >3 \| ERROR: boom\n/,
  );
  expect(failing).toMatch(/✓ duration {2}ran 2s {2}\(spec\.yml:12\)\n {8}limit: at most 10m; read/);

  const cut = block(stdout, "ins-expl0003");
  expect(cut).toContain(
    "expectations: spec-wide, with the override for ins-expl0003 at cut.yml:12",
  );
  expect(cut).toContain("Dropped 1024");
  // The override's `notMatches` cannot be verified on cut output: said, with the reason.
  expect(cut).toMatch(
    /! output\.notMatches {2}could not verify: "ERROR" not found in the kept output, but 1024 bytes were dropped and it may be there .*\(cut\.yml:15\)\n {8}read 384 lines \/ 24576 characters \(what TAT kept; 1024 bytes dropped\)/,
  );
  expect(cut).toMatch(
    /✓ output\.matches {2}output contains "filler" {2}\(cut\.yml:14\)\n {8}found on line 1/,
  );

  // Hostile output: no escape sequence, no forged command, no secret.
  expect(stdout).not.toContain("\u001b");
  expect(stdout).not.toContain("\u0007");
  expect(stdout).not.toMatch(/^\s*::error::/m);
  expect(stdout).not.toContain("\u202E");
  for (const secret of [SECRET_KEY, GITHUB_TOKEN]) expect(stdout).not.toContain(secret);
  // The gate's exit code and its words.
  expect(stdout).toMatch(/exit 3: could not verify/);
}

describe("tat-assert explain", () => {
  test("against the emulator, then against --replay of its recording: the same explanation", async () => {
    const dir = workspace();
    const emulator = await startEmulator({
      scenario: await loadScenario(join(dir, "scenario.yml")),
      speed: 4,
    });
    let live: Awaited<ReturnType<typeof runCli>>;
    try {
      const env = cleanEnv({
        TENCENTCLOUD_SECRET_ID: "AKIDEXPLAIN000000000000000000000000",
        TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
        GITHUB_TOKEN,
      });
      live = await runCli(
        [
          "explain",
          "spec.yml",
          "cut.yml",
          "--endpoint",
          emulator.url,
          "--reporter",
          "json:live.json",
        ],
        { cwd: dir, env },
      );
      expect({ code: live.code, stderr: live.stderr }).toEqual({ code: 3, stderr: "" });
      const rec = await runCli(
        [
          "record",
          "--from-report",
          "live.json",
          "--endpoint",
          emulator.url,
          "--region",
          "ap-guangzhou",
          "--out",
          "rec.yml",
        ],
        { cwd: dir, env },
      );
      expect({ code: rec.code, stderr: rec.stderr }).toEqual({
        code: 0,
        stderr: "recorded 2 invocations and 3 tasks to rec.yml\n",
      });
    } finally {
      await emulator.close();
    }
    // Live, the environment's key is the emulator's (SECRET_KEY); USER_KEY is only text.
    assertExplanation(live.stdout, USER_KEY);

    // The recording holds no secret; the user's own key in the environment is still masked.
    const replayed = await runCli(["explain", "--replay", "rec.yml", "spec.yml", "cut.yml"], {
      cwd: dir,
      env: cleanEnv({ GITHUB_TOKEN, TENCENTCLOUD_SECRET_KEY: USER_KEY }),
    });
    expect({ code: replayed.code, stderr: replayed.stderr }).toEqual({ code: 3, stderr: "" });
    expect(explained(replayed.stdout, "ins-expl0002")).toEqual(
      explained(live.stdout, "ins-expl0002"),
    );
    // The recording keeps the 24 KiB TAT kept and how much it dropped: replayed, the cut task's
    // `notMatches` is unverifiable as it was live, not a pass over the kept part.
    expect(explained(replayed.stdout, "ins-expl0003")).toEqual(
      explained(live.stdout, "ins-expl0003"),
    );
    expect(block(replayed.stdout, "ins-expl0003")).toContain("Dropped 1024");
    // The recording masked what the runbook printed of the secrets; the user's key is masked too.
    expect(block(replayed.stdout, "ins-expl0001")).toContain(
      "found on line 2:\n        > 2 | deploy ok key=*** gh=*** own=***\uFFFDdone\n",
    );
  });

  test("--replay of a hand-written scenario masks the environment's secrets too", async () => {
    const dir = workspace();
    const r = await runCli(["explain", "--replay", "scenario.yml", "spec.yml", "cut.yml"], {
      cwd: dir,
      env: cleanEnv({ GITHUB_TOKEN, TENCENTCLOUD_SECRET_KEY: USER_KEY }),
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 3, stderr: "" });
    assertExplanation(r.stdout);
    expect(r.stdout).not.toContain(USER_KEY);
  });

  test("--demo --failing explains the failing demo: exit 1, as `demo --failing`", async () => {
    const r = await runCli(["explain", "--demo", "--failing"], {
      env: cleanEnv(),
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("TAT emulator on http://127.0.0.1:");
    expect(block(r.stdout, "ins-web004")).toMatch(
      /✗ output\.notMatches {2}did not hold: output contains "Traceback" at line 2 .*\n {8}found on line 2:/,
    );
  }, 60_000);

  test("an invalid spec: exit 2, every problem at its file:line, nothing polled", async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, "bad.yml"),
      "version: 1\ntarget: { invocationId: inv-expl0001 }\nexpect:\n  exitCode: 300\n",
    );
    const r = await runCli(["explain", "--replay", "scenario.yml", "bad.yml"], {
      cwd: dir,
      env: cleanEnv(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.yml:4:13: expect\.exitCode: /m);
    expect(r.stdout).toBe("");
  });

  test.each([
    [
      ["explain", "--replya", "x.yml", "spec.yml"],
      /unknown option --replya \(did you mean --replay\?\)\nRun tat-assert explain --help/,
    ],
    [["explain", "--dem"], /unknown option --dem \(did you mean --demo\?\)/],
    [["explain", "--demo", "--quiet"], /explain --demo takes only --failing, not --quiet/],
    [["explain"], /no spec files given: tat-assert explain \[options\]/],
    [["explain", "--failing", "spec.yml"], /--failing goes with --demo/],
    [["explain", "--demo", "spec.yml"], /explain --demo checks the demo's own specs/],
    [["--demo", "spec.yml"], /unknown option --demo\n/],
  ])("%j is a usage error (exit 2)", async (args, message) => {
    const r = await runCli(args, { env: cleanEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test("help: `explain --help` and `help explain` say what it shows and its exit codes", async () => {
    const a = await runCli(["explain", "--help"]);
    const b = await runCli(["help", "explain"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^Usage: tat-assert explain/);
    expect(a.stdout).toMatch(
      /Exit codes: the gate's own.*0 every expectation held.*\s3 could not verify/s,
    );
    expect((await runCli(["--help"])).stdout).toContain("tat-assert explain [options]");
  });
});
