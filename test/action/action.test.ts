// The committed bundle run as the runner runs it, against the TAT emulator (in this process, with a
// scenario) and the fake GitHub API: outputs, step summary, annotations, check runs, masks, exit
// status, input errors, OIDC without a long-lived key, and the fork case.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import { type FakeActionsOidc, startFakeActionsOidc } from "../../src/emulator/actions-oidc.js";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { type FakeSts, startFakeSts } from "../../src/emulator/sts.js";
import { cleanEnv, runCli } from "../helpers/cli.js";
import { type FakeGithub, startFakeGithub } from "../helpers/fake-github.js";
import {
  type ActionRun,
  type ActionRunOptions,
  actionYml,
  commands,
  GITHUB_TOKEN,
  installAction,
  MERGE_SHA,
  nodeModulesAbove,
  PR_HEAD_SHA,
  runAction,
} from "./harness.js";

const SECRET_ID = "AKIDactionTest00000000000000000000001";
const SECRET_KEY = "action-secret-key-never-printed-5b9e";
const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/github-deploy-gate";

const SPEC = `version: 1
name: web deploy
target: { invocationId: "\${DEPLOY_INVOCATION_ID}" }
wait: { timeout: 30s, minInterval: 200ms, maxInterval: 300ms }
expect:
  status: SUCCESS
  exitCode: 0
  output:
    matches: ["deploy ok"]
instances:
  exactly: [ins-web00001, ins-web00002]
`;
/** Where a failed exit code is annotated: the `exitCode` line. */
const EXIT_CODE_LINE = SPEC.split("\n").findIndex((l) => l.includes("exitCode")) + 1;

const ok = {
  timeline: "PENDING@0s RUNNING@0.2s SUCCESS@0.6s",
  output: "deploy ok version=2.0.1\n",
};
const scenario = buildScenario({
  credentials: [{ secretId: SECRET_ID, secretKey: SECRET_KEY }],
  invocations: [
    {
      id: "inv-pass0001",
      commandId: "cmd-deploy01",
      tasks: [
        { instance: "ins-web00001", ...ok },
        { instance: "ins-web00002", ...ok },
      ],
    },
    {
      id: "inv-fail0001",
      commandId: "cmd-deploy01",
      tasks: [
        { instance: "ins-web00001", ...ok },
        {
          instance: "ins-web00002",
          timeline: "PENDING@0s RUNNING@0.2s FAILED@0.6s",
          exitCode: 2,
          output: "migrating\nERROR: migration 42 failed\n",
        },
      ],
    },
    {
      id: "inv-hang0001",
      commandId: "cmd-deploy01",
      tasks: [{ instance: "ins-web00001", timeline: "PENDING@0s RUNNING@0.2s" }],
    },
  ],
});

let main: string;
let emulator: Emulator;
let github: FakeGithub;

beforeAll(async () => {
  main = installAction();
  emulator = await startEmulator({ scenario });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  github = await startFakeGithub({ token: GITHUB_TOKEN });
});
afterEach(async () => {
  await github.close();
});

/** A pull request's gate step: keys as inputs, the check run on, the spec in the workspace. */
function gate(
  invocation: string,
  inputs: Record<string, string | undefined> = {},
  env: Record<string, string> = {},
  interrupt?: ActionRunOptions["interrupt"],
): Promise<ActionRun> {
  return runAction(main, {
    ...(interrupt && { interrupt }),
    inputs: {
      specs: "# the gate's specs\nspecs/*.yml\n",
      region: "ap-guangzhou",
      endpoint: emulator.url,
      "secret-id": SECRET_ID,
      "secret-key": SECRET_KEY,
      ...inputs,
    },
    files: { "specs/deploy.yml": SPEC },
    env: { GITHUB_API_URL: github.url, DEPLOY_INVOCATION_ID: invocation, ...env },
  });
}

const context = (r: ActionRun) =>
  `\n--- exit ${r.code} ---\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

/** Lines of stdout before the first one that is not a mask. */
function leadingMasks(stdout: string): string[] {
  const lines = stdout.split("\n");
  const end = lines.findIndex((l) => !l.startsWith("::add-mask::"));
  return lines.slice(0, end);
}

/** Every place a secret could leak to, except the mask commands themselves. */
function everythingPrintedOrWritten(r: ActionRun, files: string[] = []): string {
  const stdout = r.stdout
    .split("\n")
    .filter((l) => !l.startsWith("::add-mask::"))
    .join("\n");
  return [
    stdout,
    r.stderr,
    r.summary,
    r.outputFile,
    ...files.map((f) => readFileSync(join(r.workspace, f), "utf8")),
  ].join("\n");
}

describe("the bundle as the runner runs it", () => {
  test("is installed alone, with no node_modules to lean on", () => {
    expect(nodeModulesAbove(dirname(main))).toBe(false);
  });

  test("a passing gate: outputs, reports, summary, a completed check run on the PR head, secrets masked first", async () => {
    const r = await gate("inv-pass0001", {
      "junit-path": "out/junit.xml",
      "json-path": "out/report.json",
      "html-path": "out/report.html",
    });
    expect({ code: r.code, context: context(r) }).toEqual({ code: 0, context: context(r) });

    expect(r.outputs).toEqual({
      result: "passed",
      "exit-code": "0",
      passed: "1",
      failed: "0",
      errors: "0",
      skipped: "0",
      "junit-path": "out/junit.xml",
      "json-path": "out/report.json",
      "html-path": "out/report.html",
      // Gate mode starts nothing.
      "invocation-ids": "",
    });
    expect(readFileSync(join(r.workspace, "out/report.html"), "utf8")).toContain(
      "Passed: every expectation held",
    );
    // Every output action.yml declares is written, and nothing else.
    expect(Object.keys(r.outputs).sort()).toEqual(Object.keys(actionYml().outputs).sort());
    expect(readFileSync(join(r.workspace, "out/junit.xml"), "utf8")).toContain("ins-web00002");
    expect(JSON.parse(readFileSync(join(r.workspace, "out/report.json"), "utf8"))).toMatchObject({
      exitCode: 0,
    });

    expect(r.stdout).toContain("PASS  web deploy (specs/deploy.yml:1)");
    expect(r.stdout).toContain("exit 0: every expectation held");
    expect(commands(r.stdout, "error")).toEqual([]);
    expect(r.summary).toContain("web deploy");

    // The runner must learn the secrets before any line that could carry them.
    expect(leadingMasks(r.stdout)).toEqual([
      `::add-mask::${SECRET_KEY}`,
      `::add-mask::${GITHUB_TOKEN}`,
    ]);
    const elsewhere = everythingPrintedOrWritten(r, ["out/junit.xml", "out/report.json"]);
    expect(elsewhere).not.toContain(SECRET_KEY);
    expect(elsewhere).not.toContain(GITHUB_TOKEN);
    expect(JSON.stringify(github.requests.map((q) => q.body))).not.toContain(SECRET_KEY);

    expect(github.requests.map((q) => [q.method, q.status, q.errors])).toEqual([
      ["POST", 201, []],
      ["PATCH", 200, []],
    ]);
    expect(github.requests[0]?.body).toMatchObject({
      name: "tat-assert",
      head_sha: PR_HEAD_SHA,
      status: "in_progress",
    });
    const [run] = [...github.runs.values()];
    expect(run).toMatchObject({
      head_sha: PR_HEAD_SHA,
      status: "completed",
      conclusion: "success",
    });
    expect(run?.head_sha).not.toBe(MERGE_SHA);
  });

  test("a failing gate fails the step with the console's closing lines; the check run carries the annotations", async () => {
    const r = await gate("inv-fail0001", { "check-name": "deploy gate" });
    expect({ code: r.code, context: context(r) }).toEqual({ code: 1, context: context(r) });
    expect(r.outputs).toMatchObject({
      result: "failed",
      "exit-code": "1",
      passed: "0",
      failed: "1",
      "junit-path": "",
      "json-path": "",
      "html-path": "",
    });

    const errors = commands(r.stdout, "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.props).toEqual({ title: "tat-assert" });
    const lines = errors[0]?.message.split("\n") ?? [];
    expect(lines).toEqual([
      expect.stringMatching(/^1 spec: 0 passed, 1 failed in /),
      "exit 1: an expectation did not hold",
    ]);
    // The same words as the console printed, line for line.
    const printed = r.stdout.split("\n");
    for (const line of lines) expect(printed).toContain(line);
    expect(r.stdout).toContain("ins-web00002");

    const [run] = [...github.runs.values()];
    expect(run).toMatchObject({ name: "deploy gate", conclusion: "failure" });
    expect(run?.annotations).toContainEqual(
      expect.objectContaining({
        path: "specs/deploy.yml",
        start_line: EXIT_CODE_LINE,
        annotation_level: "failure",
      }),
    );
    expect(r.summary).toContain("web deploy");
  });

  test("fail-on: never reports a failure without failing the step; annotations go to the log without a check run", async () => {
    const r = await gate("inv-fail0001", { "fail-on": "never", "check-run": "false" });
    expect({ code: r.code, context: context(r) }).toEqual({ code: 0, context: context(r) });
    expect(r.outputs).toMatchObject({ result: "failed", "exit-code": "1", failed: "1" });
    expect(github.requests).toEqual([]);

    const annotations = commands(r.stdout, "error");
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations).toContainEqual(
      expect.objectContaining({
        props: expect.objectContaining({ file: "specs/deploy.yml", line: String(EXIT_CODE_LINE) }),
      }),
    );
    expect(annotations.some((a) => a.message.includes("exit code 2, expected 0"))).toBe(true);
    expect(commands(r.stdout, "warning").map((w) => w.message)).toContainEqual(
      expect.stringContaining("exit 1: an expectation did not hold"),
    );
    expect(r.summary).toContain("web deploy");
  });

  test("a gate that cannot be verified in time is an error (exit 3), with the timeout input applied", async () => {
    const r = await gate("inv-hang0001", { timeout: "1s", "check-run": "false" });
    expect({ code: r.code, context: context(r) }).toEqual({ code: 3, context: context(r) });
    expect(r.outputs).toMatchObject({ result: "error", "exit-code": "3", errors: "1" });
    expect(commands(r.stdout, "error").at(-1)?.message).toContain("exit 3: could not verify");
  });

  test("a cancelled job (SIGTERM) still writes the reports and outputs: could not verify", async () => {
    const r = await gate(
      "inv-hang0001",
      { "check-run": "false", "junit-path": "out/junit.xml" },
      {},
      { when: "waiting on 1 spec", signal: "SIGTERM" },
    );
    expect({ code: r.code, context: context(r) }).toEqual({ code: 3, context: context(r) });
    expect(r.stderr).toContain("SIGTERM received: stopping the wait and writing reports");
    expect(r.outputs).toMatchObject({
      result: "error",
      "exit-code": "3",
      "junit-path": "out/junit.xml",
    });
    expect(readFileSync(join(r.workspace, "out/junit.xml"), "utf8")).toContain("ins-web00001");
  });

  test("a pull request from a fork (check runs refused): warning, summary and log annotations, verdict unchanged", async () => {
    github.fail({
      method: "POST",
      status: 403,
      body: { message: "Resource not accessible by integration", status: "403" },
    });
    const r = await gate("inv-fail0001");
    expect({ code: r.code, context: context(r) }).toEqual({ code: 1, context: context(r) });
    expect(r.outputs).toMatchObject({ result: "failed", "exit-code": "1" });
    // Said once, as a workflow warning the run's page shows (not a line lost in stderr).
    const warnings = commands(r.stdout, "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/403/);
    expect(r.stderr).not.toMatch(/github-check/);
    // Refused once, not retried, never updated.
    expect(github.requests.map((q) => [q.method, q.status])).toEqual([["POST", 403]]);
    expect(commands(r.stdout, "error")).toContainEqual(
      expect.objectContaining({
        props: expect.objectContaining({ file: "specs/deploy.yml", line: String(EXIT_CODE_LINE) }),
      }),
    );
    expect(r.summary).toContain("web deploy");
  });
});

describe("input errors fail the step with a clear message", () => {
  test("no specs", async () => {
    const r = await runAction(main, { inputs: {}, env: { GITHUB_API_URL: github.url } });
    expect({ code: r.code, context: context(r) }).toEqual({ code: 2, context: context(r) });
    expect(r.stderr).toContain(
      "tat-assert: input specs: give at least one spec file or glob, one per line",
    );
    expect(commands(r.stdout, "error").map((e) => e.message)).toEqual([
      expect.stringContaining("input specs: give at least one spec file or glob"),
    ]);
    expect(r.outputs).toMatchObject({ result: "error", "exit-code": "2", passed: "0" });
    expect(github.requests).toEqual([]);
  });

  test("half a key pair, with the half that is there still masked first", async () => {
    const r = await gate("inv-pass0001", { "secret-id": undefined });
    expect({ code: r.code, context: context(r) }).toEqual({ code: 2, context: context(r) });
    expect(r.stderr).toMatch(/inputs secret-id and secret-key go together: secret-key is set/);
    expect(leadingMasks(r.stdout)).toContain(`::add-mask::${SECRET_KEY}`);
    expect(everythingPrintedOrWritten(r)).not.toContain(SECRET_KEY);
    expect(r.outputs).toMatchObject({ result: "error", "exit-code": "2" });
  });

  test("a spec that is invalid still fails the step under fail-on: never", async () => {
    const r = await runAction(main, {
      inputs: { specs: "specs/*.yml", "fail-on": "never", "check-run": "false" },
      files: { "specs/deploy.yml": SPEC.replace("exitCode: 0", "exit_code: 0") },
      env: { DEPLOY_INVOCATION_ID: "inv-pass0001" },
    });
    expect({ code: r.code, context: context(r) }).toEqual({ code: 2, context: context(r) });
    expect(r.stderr).toContain("unknown key `exit_code` (did you mean `exitCode`?)");
    expect(commands(r.stdout, "error")[0]?.message).toContain("exit_code");
    // Every error command, the step's own included, is placed on the spec line: none is a bare title.
    for (const e of commands(r.stdout, "error")) {
      expect(e.props).toMatchObject({
        file: "specs/deploy.yml",
        line: expect.stringMatching(/^\d+$/),
      });
    }
    expect(r.outputs).toMatchObject({ result: "error", "exit-code": "2" });
  });

  test("a matrix job checks only its share of the spec files; strict makes a warning fail the step", async () => {
    const files = {
      "specs/a.yml": SPEC.replace("name: web deploy", "name: share a"),
      "specs/b.yml": SPEC.replace("name: web deploy", "name: share b"),
    };
    const base = {
      specs: "specs/*.yml",
      region: "ap-guangzhou",
      endpoint: emulator.url,
      "secret-id": SECRET_ID,
      "secret-key": SECRET_KEY,
      "check-run": "false",
      "json-path": "report.json",
    };
    const env = { DEPLOY_INVOCATION_ID: "inv-pass0001" };
    const names = (r: ActionRun) =>
      (
        JSON.parse(readFileSync(join(r.workspace, "report.json"), "utf8")) as {
          specs: { name: string }[];
        }
      ).specs.map((spec) => spec.name);
    const second = await runAction(main, { inputs: { ...base, shard: "2/2" }, files, env });
    expect({ code: second.code, context: context(second) }).toEqual({
      code: 0,
      context: context(second),
    });
    expect(names(second)).toEqual(["share b"]);
    expect(second.outputs).toMatchObject({ result: "passed", passed: "1" });
    const first = await runAction(main, { inputs: { ...base, shard: "1/2" }, files, env });
    expect(names(first)).toEqual(["share a"]);

    // A filters target without `since` is a warning: printed, then --strict refuses it.
    const stale = {
      "specs/a.yml": SPEC.replace(
        /^target: .*$/m,
        "target: { filters: { command-id: cmd-deploy01, instance-id: ins-web00001 } }",
      ).replace("exactly: [ins-web00001, ins-web00002]", "exactly: [ins-web00001]"),
    };
    const lenient = await runAction(main, { inputs: base, files: stale, env });
    expect(lenient.stderr + lenient.stdout).toContain("filters without `since`");
    const strict = await runAction(main, {
      inputs: { ...base, strict: "true" },
      files: stale,
      env,
    });
    expect({ code: strict.code, context: context(strict) }).toEqual({
      code: 2,
      context: context(strict),
    });
    expect(strict.stderr).toContain("a warning, made an error by --strict");
    expect(strict.outputs).toMatchObject({ result: "error", "exit-code": "2" });
  });

  test("a fail-on value that does not exist", async () => {
    const r = await gate("inv-pass0001", { "fail-on": "sometimes" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('input fail-on: expected "any" or "never", got "sometimes"');
  });
});

describe("OIDC: no long-lived key anywhere", () => {
  let oidc: FakeActionsOidc;
  let sts: FakeSts;

  beforeEach(async () => {
    oidc = await startFakeActionsOidc({ audiences: ["sts.tencentcloudapi.com"] });
    sts = await startFakeSts({
      acceptToken: (t) => !!oidc.verify(t),
      roleArns: [ROLE_ARN],
      onIssue: (c) => emulator.addCredential(c),
    });
  });
  afterEach(async () => {
    await Promise.all([oidc.close(), sts.close()]);
  });

  test("the workflow's ID token is exchanged at the sts-endpoint for credentials the TAT API accepts", async () => {
    const r = await gate(
      "inv-pass0001",
      {
        "secret-id": undefined,
        "secret-key": undefined,
        "role-arn": ROLE_ARN,
        "sts-endpoint": sts.url,
        verbose: "true",
      },
      oidc.env(),
    );
    expect({ code: r.code, context: context(r) }).toEqual({ code: 0, context: context(r) });
    expect(r.outputs).toMatchObject({ result: "passed", passed: "1" });
    expect(r.stderr).toContain(`credentials: OIDC web identity`);
    expect(r.stderr).toContain(ROLE_ARN);

    expect(oidc.issued.map((t) => t.audience)).toEqual(["sts.tencentcloudapi.com"]);
    expect(sts.requests).toHaveLength(1);
    expect(sts.requests[0]?.params).toMatchObject({
      RoleArn: ROLE_ARN,
      ProviderId: "OIDC",
      RoleSessionName: "tat-assert-4815162342-1",
    });
    const [issued] = sts.issued;
    if (!issued || !oidc.issued[0]) throw new Error("nothing was issued");
    const elsewhere = everythingPrintedOrWritten(r);
    expect(elsewhere).not.toContain(issued.secretKey);
    expect(elsewhere).not.toContain(issued.token);
    expect(elsewhere).not.toContain(oidc.issued[0].token);
    expect(leadingMasks(r.stdout)).toEqual([`::add-mask::${GITHUB_TOKEN}`]);
    expect([...github.runs.values()][0]).toMatchObject({ conclusion: "success" });
  });

  test("the CLI's --sts-endpoint reaches the same STS", async () => {
    const work = mkdtempSync(join(tmpdir(), "tat-assert-cli-oidc-"));
    mkdirSync(join(work, "specs"));
    writeFileSync(join(work, "specs", "deploy.yml"), SPEC);
    const r = await runCli(
      [
        "specs/deploy.yml",
        "--endpoint",
        emulator.url,
        "--region",
        "ap-guangzhou",
        "--role-arn",
        ROLE_ARN,
        "--sts-endpoint",
        sts.url,
        "--verbose",
      ],
      {
        cwd: work,
        env: cleanEnv({
          GITHUB_ACTIONS: "true",
          DEPLOY_INVOCATION_ID: "inv-pass0001",
          ...oidc.env(),
        }),
      },
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining("credentials: OIDC web identity"),
    });
    expect(sts.requests.map((q) => q.params.RoleArn)).toEqual([ROLE_ARN]);
  });

  test("without `id-token: write` the step says what is missing", async () => {
    const r = await gate("inv-pass0001", {
      "secret-id": undefined,
      "secret-key": undefined,
      "role-arn": ROLE_ARN,
      "sts-endpoint": sts.url,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("`permissions: id-token: write`");
    expect(r.outputs).toMatchObject({ result: "error", "exit-code": "4" });
    expect(sts.requests).toEqual([]);
  });

  test("a run stopped before its first poll still writes its reports, and names them as outputs", async () => {
    const r = await gate("inv-pass0001", {
      "secret-id": undefined,
      "secret-key": undefined,
      "role-arn": ROLE_ARN,
      "sts-endpoint": sts.url,
      "junit-path": "out/junit.xml",
    });
    expect(r.code).toBe(4);
    expect(r.outputs["junit-path"]).toBe("out/junit.xml");
    expect(readFileSync(join(r.workspace, "out/junit.xml"), "utf8")).toContain("id-token: write");
    expect(r.summary).toContain("id-token: write");
  });
});

test("every spec skipped: the step passes, but its result output says skipped, never passed", async () => {
  // A later job gated on `result == 'passed'` must not read a run that checked nothing as a pass.
  const r = await runAction(main, {
    inputs: { specs: "specs/*.yml", region: "ap-guangzhou", "check-run": "false" },
    files: {
      "specs/deploy.yml":
        "version: 1\nname: later\ntarget: { invocationId: inv-aaaaaaaa }\nskip: not today\n",
    },
    env: { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY },
  });
  expect(r.code).toBe(0);
  expect(r.outputs).toMatchObject({ result: "skipped", "exit-code": "0", skipped: "1" });
  expect(r.stdout).toContain("exit 0: nothing was checked: every spec was skipped");
});

test("a report that could not be written is not named as an output, and the step exits 5", async () => {
  const r = await gate("inv-pass0001", {
    "junit-path": "specs/deploy.yml/junit.xml",
    "json-path": "out/report.json",
  });
  expect(r.code).toBe(5);
  expect(r.outputs).toMatchObject({
    result: "error",
    "junit-path": "",
    "json-path": "out/report.json",
  });
  expect(r.stdout).toContain(
    "exit 5: every expectation held, but a requested report could not be written",
  );
});

test("step outputs that cannot be written fail a passing step with exit 5 and say so, not exit 70", async () => {
  const r = await gate(
    "inv-pass0001",
    {},
    { GITHUB_OUTPUT: join(tmpdir(), "no-such-runner-dir", "out") },
  );
  expect({ code: r.code, context: context(r) }).toEqual({ code: 5, context: context(r) });
  expect(r.stdout).toMatch(
    /::error title=tat-assert::the step's outputs could not be written to GITHUB_OUTPUT \(ENOENT\)/,
  );
  expect(r.stderr).not.toContain("internal error");
  expect(everythingPrintedOrWritten(r)).not.toContain(SECRET_KEY);
});
