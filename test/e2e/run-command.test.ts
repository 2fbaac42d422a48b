// `tat-assert run` end to end: the built CLI as a subprocess against the emulator in this process
// (with the local agent for the --local-exec cases). What the emulator was asked is checked from
// its stats and its records, not from what the CLI says about itself.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, jest, test } from "@jest/globals";
import { Ajv } from "ajv";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  type RawScenario,
  startEmulator,
} from "../../src/emulator/index.js";
import type { RunReport } from "../../src/model.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { type CliRun, cleanEnv, ROOT, runCli } from "../helpers/cli.js";

const CRED = {
  secretId: "AKIDRUNE2E000000000000000000000000",
  secretKey: "run-e2e-secret-key-3d9c",
};
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const reportSchema = new Ajv({ allErrors: true, strict: false })
  .addFormat("date-time", /^\d{4}-\d{2}-\d{2}T/)
  .compile(JSON.parse(readFileSync(join(ROOT, "schema/report-v1.json"), "utf8")));

interface Case {
  scenario?: Omit<RawScenario, "credentials">;
  spec: string;
  args?: string[];
  localExec?: boolean;
  /** Send SIGINT once stdout holds this. */
  interruptOn?: string;
  /** Standard input of the CLI. */
  input?: string;
}

async function runCase(c: Case) {
  const scenario = buildScenario({ version: 1, credentials: [CRED], ...c.scenario });
  const emu = await startEmulator({ scenario, ...(c.localExec && { localExec: true }) });
  emulators.push(emu);
  const work = mkdtempSync(join(tmpdir(), "tat-assert-run-e2e-"));
  writeFileSync(join(work, "spec.yml"), c.spec);
  const args = c.args ?? ["run", "spec.yml", "--reporter", "json:report.json"];
  const result: CliRun = await runCli([...args, "--endpoint", emu.url], {
    cwd: work,
    ...(c.input !== undefined && { input: c.input }),
    env: cleanEnv({
      TENCENTCLOUD_SECRET_ID: CRED.secretId,
      TENCENTCLOUD_SECRET_KEY: CRED.secretKey,
      TENCENTCLOUD_REGION: "ap-guangzhou",
    }),
    onStart: (child, out) => {
      if (!c.interruptOn) return;
      const when = c.interruptOn;
      const timer = setInterval(() => {
        if (out.stdout().includes(when)) {
          clearInterval(timer);
          // After the first polls, so that the watcher has seen the tasks running.
          setTimeout(() => child.kill("SIGINT"), 1500);
        }
      }, 20);
      child.on("close", () => clearInterval(timer));
    },
  });
  const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  const report = (): RunReport => {
    const doc = JSON.parse(readFileSync(join(work, "report.json"), "utf8"));
    expect(reportSchema(doc) ? [] : reportSchema.errors).toEqual([]);
    return doc;
  };
  const client = new TatClient({
    endpoint: emu.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(CRED),
    limiter: new RateLimiter(),
  });
  const calls = (action: string) => emu.stats().requests[action] ?? 0;
  expect(result.stdout + result.stderr).not.toContain(CRED.secretKey);
  return { result, context, report, client, calls, exit: { code: result.code, context } };
}

const exit = (code: number, context: string) => ({ code, context });

const spec = (body: string) =>
  `version: 1\nname: deploy\nwait: { minInterval: 200ms, maxInterval: 500ms, notFoundGrace: 2s }\n${body}`;

jest.setTimeout(60_000);

describe("tat-assert run (built CLI against the emulator)", () => {
  test("run + pass: prints what it starts and the invocation id, judges it, records it", async () => {
    const r = await runCase({
      scenario: { onRun: [{ match: { content: "deploy.sh" }, output: "deployed 2.4.1\n" }] },
      spec: spec(
        "run:\n  command: /opt/deploy.sh {{v}}\n  parameters: { v: '2.4.1' }\n  instances: [ins-a1, ins-a2]\nexpect: { exitCode: 0, output: { matches: deployed 2.4.1 } }\n",
      ),
    });
    expect(r.exit).toEqual(exit(0, r.context));
    expect(r.result.stdout).toContain(
      "deploy: will start RunCommand SHELL script (1 line) in ap-guangzhou on 2 instances",
    );
    expect(r.result.stdout).toMatch(/deploy: started inv-[a-z0-9]{8} on 2 instances/);
    expect(r.calls("RunCommand")).toBe(1);
    const [launch] = r.report().launches ?? [];
    expect(launch).toMatchObject({
      spec: "deploy",
      action: "RunCommand",
      instances: 2,
      cancelled: [],
    });
    expect(r.result.stdout).toContain(launch?.invocationIds[0]);
    expect(r.report().specs[0]?.target).toMatchObject({ invocationIds: launch?.invocationIds });
  });

  test("run - reads the spec from standard input once, for the check and for the run", async () => {
    // Standard input can be read once; a second read found it empty: "no spec in this file".
    const r = await runCase({
      spec: "",
      input: spec("run:\n  command: echo hi\n  instances: [ins-a1]\nexpect: { exitCode: 0 }\n"),
      args: ["run", "-", "--reporter", "json:report.json"],
    });
    expect(r.exit).toEqual(exit(0, r.context));
    expect(r.calls("RunCommand")).toBe(1);
    expect(r.report().specs[0]).toMatchObject({ name: "deploy", file: "<stdin>" });
  });

  test("a spec warning is printed once, though run reads the specs before the gate does", async () => {
    const r = await runCase({
      spec: `${spec("run:\n  command: echo hi\n  instances: [ins-a1]\nexpect: { exitCode: 0 }\n")}---\nversion: 1\nname: later\ntarget: { filters: { command-id: [cmd-12345678] } }\nskip: not today\n`,
    });
    expect(r.exit).toEqual(exit(0, r.context));
    expect(r.result.stderr.split("filters without `since`").length - 1).toBe(1);
  });

  test("run + fail: a task exiting non-zero fails the spec (exit 1)", async () => {
    const r = await runCase({
      scenario: { onRun: [{ match: { instance: "ins-a2" }, exitCode: 3, output: "disk full\n" }] },
      spec: spec(
        "run:\n  command: /opt/deploy.sh\n  instances: [ins-a1, ins-a2]\nexpect: { exitCode: 0 }\n",
      ),
    });
    expect(r.exit).toEqual(exit(1, r.context));
    expect(r.result.stdout).toContain("ins-a2");
    expect(r.calls("RunCommand")).toBe(1);
  });

  test("a lost answer after the invocation was created: found again and adopted, never started twice", async () => {
    const r = await runCase({
      scenario: { dropAfterCreate: { times: 1 } },
      spec: spec("run:\n  command: echo once\n  instances: [ins-a1]\n"),
    });
    expect(r.exit).toEqual(exit(0, r.context));
    expect(r.calls("RunCommand")).toBe(1);
    const all = await r.client.describeInvocations({ Limit: 100 });
    expect(all.TotalCount).toBe(1);
    expect(r.result.stdout).toContain("found again after its answer was lost");
    expect(r.report().launches?.[0]?.adopted).toEqual([all.InvocationSet[0]?.InvocationId]);
  });

  test("a lost answer that cannot be found again: exit 4, saying it may have started and what to check", async () => {
    const r = await runCase({
      scenario: { faults: [{ action: "RunCommand", reset: true }] },
      spec: spec("run:\n  command: echo once\n  instances: [ins-a1]\n"),
    });
    expect(r.exit).toEqual(exit(4, r.context));
    expect(r.calls("RunCommand")).toBe(1);
    expect(r.result.stderr).toContain("may have started the command");
    expect(r.result.stderr).toContain("It was NOT sent again. Check DescribeInvocations");
  });

  test("InvokeCommand of a saved command: {{name}} from parameters, a lost answer found by command id", async () => {
    const r = await runCase({
      scenario: {
        commands: [
          {
            id: "cmd-deploy01",
            content: "deploy {{version}}",
            defaultParameters: { version: "1" },
          },
        ],
        onRun: [{ match: { content: "deploy 2.0" }, output: "deployed 2.0\n" }],
        dropAfterCreate: { action: "InvokeCommand", times: 1 },
      },
      spec: spec(
        "run:\n  commandId: cmd-deploy01\n  parameters: { version: '2.0' }\n  instances: [ins-a1]\nexpect: { output: { matches: deployed 2.0 } }\n",
      ),
    });
    expect(r.exit).toEqual(exit(0, r.context));
    expect(r.calls("InvokeCommand")).toBe(1);
    expect(r.result.stdout).toContain("deploy: will start InvokeCommand cmd-deploy01");
    expect(r.report().launches?.[0]).toMatchObject({
      action: "InvokeCommand",
      commandId: "cmd-deploy01",
    });
    expect(r.report().launches?.[0]?.adopted).toHaveLength(1);
  });

  test("--fail-fast: once the spec cannot pass, the unfinished tasks are cancelled", async () => {
    const r = await runCase({
      scenario: {
        onRun: [
          {
            match: { instance: "ins-bad" },
            exitCode: 1,
            timeline: "PENDING@0s RUNNING@0.2s FAILED@0.5s",
          },
          { match: { instance: "ins-slow" }, timeline: "PENDING@0s RUNNING@0.2s SUCCESS@120s" },
        ],
      },
      spec: spec("run:\n  command: work\n  instances: [ins-bad, ins-slow]\n"),
      args: ["run", "spec.yml", "--fail-fast", "--reporter", "json:report.json"],
    });
    expect(r.exit).toEqual(exit(1, r.context));
    expect(r.calls("CancelInvocation")).toBe(1);
    expect(r.report().launches?.[0]?.cancelled).toEqual([
      { invocationId: r.report().launches?.[0]?.invocationIds[0], instanceIds: ["ins-slow"] },
    ]);
  });

  test("SIGINT: unfinished tasks are cancelled with CancelInvocation and the report says so (exit 3)", async () => {
    const r = await runCase({
      scenario: {
        onRun: [{ match: { content: "sleep" }, timeline: "PENDING@0s RUNNING@0.2s SUCCESS@120s" }],
      },
      spec: spec("run:\n  command: sleep 120\n  instances: [ins-a1, ins-a2]\n"),
      interruptOn: "deploy: started inv-",
      args: ["run", "spec.yml", "--reporter", "json:report.json", "--verbose"],
    });
    expect(r.exit).toEqual(exit(3, r.context));
    expect(r.calls("CancelInvocation")).toBeGreaterThanOrEqual(1);
    expect(r.result.stdout).toMatch(/deploy: cancelled .* of inv-[a-z0-9]{8} \(CancelInvocation\)/);
    const [launch] = r.report().launches ?? [];
    expect(launch?.cancelled.map((c) => c.invocationId)).toEqual(launch?.invocationIds);
    const tasks = await r.client.describeInvocationTasks({ Limit: 100 });
    expect(tasks.InvocationTaskSet.map((t) => t.TaskStatus)).toEqual(["TERMINATED", "TERMINATED"]);
  });

  test("--no-cancel: the deadline leaves unfinished tasks running, and the report lists them", async () => {
    const r = await runCase({
      scenario: {
        onRun: [{ match: { content: "sleep" }, timeline: "PENDING@0s RUNNING@0.2s SUCCESS@120s" }],
      },
      spec: spec("run:\n  command: sleep 120\n  instances: [ins-a1]\n"),
      args: ["run", "spec.yml", "--timeout", "2s", "--no-cancel", "--reporter", "json:report.json"],
    });
    expect(r.exit).toEqual(exit(3, r.context));
    expect(r.calls("CancelInvocation")).toBe(0);
    expect(r.report().launches?.[0]?.leftRunning).toEqual([
      expect.objectContaining({ instanceIds: ["ins-a1"], reason: "--no-cancel" }),
    ]);
  });

  test("more than 200 instances become several invocations judged as one spec", async () => {
    const instances = Array.from({ length: 250 }, (_, i) => `ins-f${String(i).padStart(4, "0")}`);
    const r = await runCase({
      spec: spec(
        `run:\n  command: uptime\n  instances: [${instances.join(", ")}]\ninstances: { count: 250 }\n`,
      ),
    });
    expect(r.exit).toEqual(exit(0, r.context));
    expect(r.calls("RunCommand")).toBe(2);
    const [launch] = r.report().launches ?? [];
    expect(launch?.invocationIds).toHaveLength(2);
    expect(r.report().specs[0]?.tasks).toHaveLength(250);
    expect(r.result.stdout).toContain("as 2 invocations of at most 200");
  });

  test("--local-exec: a real shell script passes and fails on its actual output", async () => {
    const script = [
      'mkdir -p conf && printf "port=8080\\n" > conf/app.ini',
      'if grep -q "port={{port}}" conf/app.ini; then echo "config ok"; else echo "config mismatch: want {{port}}"; exit 2; fi',
    ].join("\n");
    const body = (port: string) =>
      spec(
        `run:\n  command: |\n${script
          .split("\n")
          .map((l) => `    ${l}`)
          .join(
            "\n",
          )}\n  parameters: { port: '${port}' }\n  instances: [ins-local1]\n  timeout: 20s\nexpect: { exitCode: 0, output: { matches: config ok, notMatches: mismatch } }\n`,
      );
    const good = await runCase({ localExec: true, spec: body("8080") });
    expect(good.exit).toEqual(exit(0, good.context));
    const bad = await runCase({ localExec: true, spec: body("9090") });
    expect(bad.exit).toEqual(exit(1, bad.context));
    const tasks = await bad.client.describeInvocationTasks({ HideOutput: false, Limit: 10 });
    const out = Buffer.from(
      tasks.InvocationTaskSet[0]?.TaskResult?.Output ?? "",
      "base64",
    ).toString();
    expect(out).toBe("config mismatch: want 9090\n");
    expect(tasks.InvocationTaskSet[0]?.TaskResult?.ExitCode).toBe(2);
    expect(bad.result.stdout).toContain("mismatch");
  });

  test("the plain gate refuses a run: spec (exit 2) naming tat-assert run, and starts nothing", async () => {
    const r = await runCase({
      spec: spec("run:\n  command: echo hi\n  instances: [ins-a1]\n"),
      args: ["spec.yml"],
    });
    expect(r.exit).toEqual(exit(2, r.context));
    expect(r.result.stderr).toContain("To start and judge it: tat-assert run spec.yml");
    expect(r.calls("RunCommand")).toBe(0);
  });

  test("--dry-run prints what would start and starts nothing", async () => {
    const r = await runCase({
      spec: spec("run:\n  command: echo hi\n  instances: [ins-a1]\n"),
      args: ["run", "--dry-run", "spec.yml"],
    });
    expect(r.exit).toEqual(exit(0, r.context));
    expect(r.result.stdout).toContain("    | echo hi");
    expect(r.result.stdout).toContain("--dry-run: nothing was started");
    expect(r.calls("RunCommand")).toBe(0);
  });

  test("demo --run: the example runbook really runs through the local agent and passes", async () => {
    const r = await runCli(["demo", "--run"], { env: cleanEnv() });
    const context = `\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
    expect({ code: r.code, context }).toEqual({ code: 0, context });
    expect(r.stdout).toMatch(/prepare release: started inv-[a-z0-9]{8} on 2 instances/);
    expect(r.stdout).toContain("PASS  prepare release");
  });

  test("demo --run --failing: the runbook with a bug runs, exits 1, and the gate says why (exit 1)", async () => {
    const r = await runCli(["demo", "--run", "--failing"], { env: cleanEnv() });
    const context = `\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
    expect({ code: r.code, context }).toEqual({ code: 1, context });
    expect(r.stdout).toMatch(/prepare release \(failing\): started inv-[a-z0-9]{8} on 2 instances/);
    expect(r.stdout).toContain("FAIL  prepare release (failing)");
    expect(r.stdout).toMatch(/ins-web00001: exit code 1, expected 0/);
    expect(r.stdout).toContain(
      "error: release/manifest says version=2.4.0, expected version=2.4.1",
    );
  });
});
