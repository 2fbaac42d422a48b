// The GitHub check run driven through the real CLI: the built binary, the TAT emulator and a fake
// GitHub API that validates every request body against GitHub's published OpenAPI description.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "@jest/globals";
import { type Emulator, generateFleet, startEmulator } from "../../src/emulator/index.js";
import { cleanEnv, runCli } from "../helpers/cli.js";
import { type FakeGithub, startFakeGithub } from "../helpers/fake-github.js";

const TOKEN = "ghs_e2eTokenThatMustNeverBePrinted0001";
const SHA = "0123456789abcdef0123456789abcdef01234567";
let emulator: Emulator | undefined;
let github: FakeGithub | undefined;

afterEach(async () => {
  await emulator?.close();
  await github?.close();
  emulator = github = undefined;
});

async function setUp(failing: number) {
  const scenario = generateFleet({
    credentials: [
      { secretId: "AKIDGHCHECK000000000000000000000000", secretKey: "gh-e2e-secret-key-9c1d" },
    ],
    invocations: 1,
    tasksPerInvocation: 60,
    timeline: "PENDING@0s RUNNING@1s SUCCESS@4s",
    vary: (_inv, task) =>
      task <= failing ? { timeline: "PENDING@0s RUNNING@1s FAILED@4s", exitCode: 3 } : undefined,
  });
  emulator = await startEmulator({ scenario, speed: 20 });
  github = await startFakeGithub({ token: TOKEN, owner: "acme", repo: "web" });
  const work = mkdtempSync(join(tmpdir(), "tat-assert-gh-"));
  const invocationId = "inv-fleet001";
  writeFileSync(
    join(work, "spec.yml"),
    [
      "version: 1",
      "name: fleet deploy",
      `target: { invocationId: ${invocationId} }`,
      "wait: { timeout: 60s, minInterval: 200ms, maxInterval: 1s }",
      "expect:",
      "  exitCode: 0",
      "",
    ].join("\n"),
  );
  const cred = emulator.credentials[0];
  const env = cleanEnv({
    TENCENTCLOUD_SECRET_ID: cred?.secretId,
    TENCENTCLOUD_SECRET_KEY: cred?.secretKey,
    TENCENTCLOUD_REGION: "ap-guangzhou",
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: "acme/web",
    GITHUB_SHA: SHA,
    GITHUB_API_URL: github.url,
  });
  return { work, env };
}

describe("github-check reporter through the CLI", () => {
  test("creates the run in_progress, annotates every failing task line in batches of 50, completes with failure", async () => {
    const { work, env } = await setUp(55);
    const result = await runCli(
      ["spec.yml", "--reporter", "github-check", "--endpoint", emulator?.url ?? ""],
      {
        cwd: work,
        env,
      },
    );
    expect(result.code).toBe(1);
    const requests = github?.requests ?? [];
    expect(requests.flatMap((r) => r.errors)).toEqual([]);
    const create = requests.find((r) => r.method === "POST");
    expect(create?.body).toMatchObject({
      name: "tat-assert",
      head_sha: SHA,
      status: "in_progress",
    });
    const run = [...(github?.runs.values() ?? [])][0];
    expect(run?.status).toBe("completed");
    expect(run?.conclusion).toBe("failure");
    expect(run?.annotations).toHaveLength(55);
    expect(run?.annotations[0]).toMatchObject({
      path: "spec.yml",
      start_line: 6,
      annotation_level: "failure",
    });
    const batches = requests
      .filter((r) => r.method === "PATCH")
      .map(
        (r) =>
          ((r.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length,
      )
      .filter((n) => n > 0);
    expect(batches).toEqual([50, 5]);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  test("a token that cannot write checks (a fork) warns, and the verdict and exit code stay the same", async () => {
    const { work, env } = await setUp(0);
    github?.fail({
      method: "POST",
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    const summary = join(work, "summary.md");
    writeFileSync(summary, "");
    const result = await runCli(
      ["spec.yml", "--reporter", "github-check", "--endpoint", emulator?.url ?? ""],
      {
        cwd: work,
        env: { ...env, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary },
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^::warning title=tat-assert github-check::.*403/m);
    expect(readFileSync(summary, "utf8")).toContain("fleet deploy");
  });

  test("GitHub answering 502 after the retries: the same fallback as 403, one ::warning::, exit code of the verdict", async () => {
    const { work, env } = await setUp(2);
    github?.fail({ status: 502, times: 1000 });
    const summary = join(work, "summary.md");
    writeFileSync(summary, "");
    const result = await runCli(
      ["spec.yml", "--reporter", "github-check", "--endpoint", emulator?.url ?? ""],
      {
        cwd: work,
        env: { ...env, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary },
      },
    );
    const context = `${result.stdout}\n${result.stderr}`;
    // The verdict (2 tasks failed) decides the exit code, not the check run: 1, never 5.
    expect({ code: result.code, context }).toEqual({ code: 1, context });
    const warnings = result.stdout.split("\n").filter((l) => l.startsWith("::warning"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not write the check run after retries \(HTTP 502/);
    expect(
      result.stdout.split("\n").filter((l) => l.startsWith("::error file=spec.yml")),
    ).not.toEqual([]);
    expect(readFileSync(summary, "utf8")).toContain("fleet deploy");
    expect(result.stdout + result.stderr).not.toContain("reporter github-check failed");
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  }, 60_000);
});
