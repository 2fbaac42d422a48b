// The examples as users run them: the Jenkins gate script and the GitLab gate job's script lines
// run in bash against the TAT emulator (with `npx tat-assert@…` standing for this package), the
// emulator demo's specs through the built CLI, and the README's own spec with the variables its
// command line sets. The emulated tasks print what the examples' runbook prints, so runbook, spec
// and command line are checked together.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { parse } from "yaml";
import {
  buildScenario,
  type Emulator,
  loadScenario,
  startEmulator,
} from "../../src/emulator/index.js";
import { CLI, cleanEnv, ROOT, runCli } from "../helpers/cli.js";

const EXAMPLES = join(ROOT, "examples");
const VERSION = "1.4.2";
const CREDENTIAL = { secretId: "AKIDexamplesRun0000000000000000000001", secretKey: "ex-key-51f0" };
const SERVERS = ["ins-web00001", "ins-web00002"];

/** What the runbook prints on success and on a failed health check, read from the runbook. */
function runbookOutput(outcome: "ok" | "broken"): string {
  const runbook = readFileSync(join(EXAMPLES, "jenkins", "runbooks", "deploy-web.sh"), "utf8");
  const echoes = [...runbook.matchAll(/^\s*echo "([^"]*)"$/gm)].map((m) =>
    (m[1] ?? "").replace(/\$\{version\}/g, VERSION).replace(/\$\{image\}/g, `web:${VERSION}`),
  );
  const pulled = echoes.find((e) => e.startsWith("pulling image")) ?? "";
  const last = echoes.find((e) => (outcome === "ok" ? /^deploy ok/ : /^ERROR/).test(e));
  if (!last) throw new Error(`the runbook has no ${outcome} line`);
  return `${pulled}\n${last}\n`;
}

let emulator: Emulator;
let fakeBin: string;

beforeAll(async () => {
  const task = (instance: string, outcome: "ok" | "broken") => ({
    instance,
    timeline: `PENDING@0s RUNNING@0.05s ${outcome === "ok" ? "SUCCESS" : "FAILED"}@0.1s`,
    exitCode: outcome === "ok" ? 0 : 1,
    output: runbookOutput(outcome),
  });
  emulator = await startEmulator({
    scenario: buildScenario({
      credentials: [CREDENTIAL],
      invocations: [
        {
          id: "inv-good0001",
          commandId: "cmd-deploy01",
          tasks: SERVERS.map((s) => task(s, "ok")),
        },
        {
          id: "inv-bad00001",
          commandId: "cmd-deploy01",
          tasks: [task("ins-web00001", "ok"), task("ins-web00002", "broken")],
        },
        {
          id: "inv-1a2b3c4d",
          commandId: "cmd-deploy01",
          tasks: [
            {
              instance: "ins-a1b2c3d4",
              timeline: "PENDING@0s RUNNING@0.05s SUCCESS@0.1s",
              output: "deploy ok version=1.4.2\n",
            },
            {
              instance: "ins-e5f6g7h8",
              timeline: "PENDING@0s RUNNING@0.05s SUCCESS@0.1s",
              output: "deploy ok version=1.4.2\n",
            },
            // The README's override lets the canary exit 3.
            {
              instance: "ins-canary01",
              timeline: "PENDING@0s RUNNING@0.05s FAILED@0.1s",
              exitCode: 3,
              output: "deploy ok version=1.4.2 (canary: partial)\n",
            },
          ],
        },
      ],
    }),
  });
  // `npx --yes tat-assert@<version> …` runs this package's built CLI, not one from the registry.
  fakeBin = mkdtempSync(join(tmpdir(), "tat-examples-bin-"));
  writeFileSync(
    join(fakeBin, "npx"),
    `#!/bin/sh
[ "$1" = "--yes" ] && shift
case "$1" in tat-assert|tat-assert@*) shift ;; *) echo "unexpected: npx $*" >&2; exit 99 ;; esac
exec "${process.execPath}" "${CLI}" "$@" --endpoint "$TAT_ENDPOINT"
`,
  );
  chmodSync(join(fakeBin, "npx"), 0o755);
});
afterAll(() => emulator.close());

function env(extra: Record<string, string> = {}) {
  return cleanEnv({
    PATH: `${fakeBin}:${process.env.PATH ?? ""}`,
    TENCENTCLOUD_SECRET_ID: CREDENTIAL.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDENTIAL.secretKey,
    TAT_ENDPOINT: emulator.url,
    ...extra,
  });
}

function copyExample(folder: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tat-example-${folder}-`));
  cpSync(join(EXAMPLES, folder), dir, { recursive: true });
  return dir;
}

/** Runs bash without blocking: the emulator answers from this process. */
function bash(
  args: string[],
  cwd: string,
  vars: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", args, { cwd, env: env(vars), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe("examples/jenkins: gate.sh", () => {
  test.each([
    ["inv-good0001", 0, "gate passed"],
    ["inv-bad00001", 1, "gate FAILED"],
  ])(
    "deploy %s: exit %i, says %j, writes the report the junit step reads",
    async (id, code, says) => {
      const dir = copyExample("jenkins");
      const r = await bash(["gate.sh"], dir, { DEPLOY_INVOCATION_ID: id, DEPLOY_VERSION: VERSION });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: code, stderr: "" });
      expect(r.stdout).toContain(says);
      const junitStep = /junit testResults: '([^']+)'/.exec(
        readFileSync(join(dir, "Jenkinsfile"), "utf8"),
      )?.[1];
      const xml = readFileSync(join(dir, junitStep ?? "missing"), "utf8");
      expect(xml).toContain('<testcase name="ins-web00002" classname="web tier deploy"');
      if (code !== 0) expect(xml).toContain("ERROR: health check failed");
    },
  );
});

describe("examples/gitlab: the gate job", () => {
  const ci = parse(readFileSync(join(EXAMPLES, "gitlab", ".gitlab-ci.yml"), "utf8")) as {
    variables: Record<string, string>;
    gate: { script: string[]; artifacts: { reports: { junit: string } } };
  };

  test.each([
    ["inv-good0001", 0],
    ["inv-bad00001", 1],
  ])(
    "deploy %s: the script exits %i and leaves the junit report GitLab reads",
    async (id, code) => {
      const dir = copyExample("gitlab");
      // The deploy job's dotenv report, as GitLab hands it to the gate job.
      const dotenv = { DEPLOY_INVOCATION_ID: id, DEPLOY_VERSION: VERSION };
      const script = `set -e\n${ci.gate.script.join("\n")}`;
      const r = await bash(["-c", script], dir, { ...ci.variables, ...dotenv });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: code, stderr: "" });
      const xml = readFileSync(join(dir, ci.gate.artifacts.reports.junit), "utf8");
      expect(xml).toMatch(/<testsuites name="tat-assert" tests="\d+" failures="\d+"/);
      expect(xml).toContain(`file="specs/web-deploy.yml"`);
    },
  );
});

describe("examples/emulator-demo", () => {
  test("its specs fail against the failing demo scenario, as `tat-assert demo --failing` shows", async () => {
    const scenario = await loadScenario(join(ROOT, "specs", "scenarios", "failing.yml"));
    const demo = await startEmulator({ scenario, speed: 20 });
    try {
      const cred = demo.credentials[0];
      const r = await runCli(
        [
          "examples/emulator-demo/deploy.yml",
          "examples/emulator-demo/smoke.yml",
          "--endpoint",
          demo.url,
        ],
        {
          env: cleanEnv({
            TENCENTCLOUD_SECRET_ID: cred?.secretId,
            TENCENTCLOUD_SECRET_KEY: cred?.secretKey,
          }),
        },
      );
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: "" });
      expect(r.stdout).toContain("FAIL  web tier deploy");
    } finally {
      await demo.close();
    }
  });
});

describe("README", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const use = readme.slice(readme.indexOf("## Use it"));
  const command = /```sh\n([\s\S]*?)```/.exec(use)?.[1] ?? "";
  const spec = /```yaml\n([\s\S]*?)```/.exec(use)?.[1] ?? "";
  /** `NAME=value` given on the README's command line (not the `export` of credentials). */
  const vars = Object.fromEntries(
    [...command.matchAll(/^([A-Z_]+)=(\S+) npx tat-assert/gm)].map((m) => [m[1], m[2]]),
  ) as Record<string, string>;

  test("its spec validates with the variables its command line sets", () => {
    expect(Object.keys(vars)).toEqual(["DEPLOY_INVOCATION_ID"]);
    const dir = mkdtempSync(join(tmpdir(), "tat-readme-"));
    writeFileSync(join(dir, "deploy.yml"), spec);
    const r = spawnSync(process.execPath, [CLI, "validate", "deploy.yml"], {
      cwd: dir,
      env: cleanEnv(vars),
      encoding: "utf8",
    });
    expect({ status: r.status, out: r.stdout, err: r.stderr }).toEqual({
      status: 0,
      out: "1 spec valid\n",
      err: "",
    });
  });

  test("its command line, run against the emulator, passes a deploy its spec describes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tat-readme-"));
    writeFileSync(join(dir, "deploy.yml"), spec);
    const line = command.split("\n").find((l) => l.includes("npx tat-assert")) ?? "";
    const r = await bash(["-c", line.replace("specs/*.yml", "deploy.yml")], dir, {
      TENCENTCLOUD_REGION: "ap-guangzhou",
    });
    expect({ status: r.status, stderr: r.stderr, out: r.stdout }).toEqual({
      status: 0,
      stderr: "",
      out: expect.stringContaining("PASS  web tier deploy"),
    });
    expect(existsSync(join(dir, "out", "junit.xml"))).toBe(true);
  });
});
