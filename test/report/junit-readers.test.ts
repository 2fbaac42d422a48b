// The JUnit report as third-party readers see it: real runs against the TAT emulator (a pass, a
// failure, a run that could not be verified, and the passing fleet deployed a second time), each
// report fed to test-results-parser (testbeats' reader: totals from the root, cases, properties) and
// junit-report-merger (merges reports the way CI jobs do), asserting counts, names and locations.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { mergeToString } from "junit-report-merger";
import { parse } from "test-results-parser";
import { type Emulator, parseScenario, startEmulator } from "../../src/emulator/index.js";
import { runGate } from "../../src/gate.js";
import type { RunReport } from "../../src/model.js";
import { Capture } from "./stream.js";

const FLEET = ["ins-web00001", "ins-web00002", "ins-web00003"];
const SECRET = { secretId: "AKIDREADERS00000000000000000000000000", secretKey: "readers-key-9c1e" };

const task = (instance: string, end: string, extra = "") =>
  `      - { instance: ${instance}, timeline: "PENDING@0s RUNNING@0.1s ${end}"${extra} }`;
const invocation = (id: string, tasks: string[]) =>
  [`  - id: ${id}`, "    commandId: cmd-deploy01", "    tasks:", ...tasks].join("\n");

const SCENARIO = [
  "version: 1",
  "credentials:",
  `  - { secretId: ${SECRET.secretId}, secretKey: ${SECRET.secretKey} }`,
  "invocations:",
  invocation(
    "inv-deploy01",
    FLEET.map((i) => task(i, "SUCCESS@0.3s", ', output: "deploy ok\\n"')),
  ),
  invocation(
    "inv-deploy02",
    FLEET.map((i) => task(i, "SUCCESS@0.3s", ', output: "deploy ok\\n"')),
  ),
  invocation("inv-deploy03", [
    task("ins-web00001", "SUCCESS@0.3s", ', output: "deploy ok\\n"'),
    task("ins-web00002", "FAILED@0.3s", ', exitCode: 3, output: "disk full\\n"'),
    task("ins-web00003", "SUCCESS@0.3s", ', output: "deploy ok\\n"'),
  ]),
  invocation("inv-deploy04", [
    task("ins-web00001", "SUCCESS@0.3s", ', output: "deploy ok\\n"'),
    // Never finishes within the spec's wait: not verified.
    task("ins-web00002", "SUCCESS@600s", ', output: "deploy ok\\n"'),
    task("ins-web00003", "SUCCESS@0.3s", ', output: "deploy ok\\n"'),
  ]),
  "",
].join("\n");

// Line 6 is `exitCode: 0`: where a failing exit code is reported.
const SPEC = `version: 1
name: web deploy
region: ap-guangzhou
target: { invocationId: "\${INVOCATION_ID}" }
expect:
  exitCode: 0
wait: { timeout: 5s, minInterval: 200ms, maxInterval: 200ms }
`;

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ scenario: parseScenario(SCENARIO, "readers.yml") });
  dir = await mkdtemp(join(tmpdir(), "tat-junit-readers-"));
  await writeFile(join(dir, "deploy.yml"), SPEC);
});
afterAll(() => emulator.close());

async function gate(
  invocationId: string,
  out: string,
): Promise<{ xml: string; report: RunReport }> {
  const report = await runGate(
    {
      patterns: ["deploy.yml"],
      endpoint: emulator.url,
      reporters: [`junit:${out}`],
      failFast: false,
      quiet: true,
      verbose: false,
      credentials: { secretId: SECRET.secretId, secretKey: SECRET.secretKey },
    },
    {
      stdout: new Capture(),
      stderr: new Capture(),
      env: { INVOCATION_ID: invocationId },
      cwd: dir,
      homeDir: dir,
    },
  );
  return { xml: await readFile(join(dir, out), "utf8"), report };
}

interface Reader {
  total: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  duration: number;
  suites: {
    name: string;
    cases: { name: string; status: string; failure: string; metadata: Record<string, string> }[];
  }[];
}

const read = (file: string) => parse({ type: "junit", files: [join(dir, file)] }) as Reader;

describe("third-party JUnit readers", () => {
  let pass: { xml: string; report: RunReport };
  let again: { xml: string; report: RunReport };
  let fail: { xml: string; report: RunReport };
  let unverified: { xml: string; report: RunReport };

  beforeAll(async () => {
    [pass, again, fail, unverified] = await Promise.all([
      gate("inv-deploy01", "pass.xml"),
      gate("inv-deploy02", "again.xml"),
      gate("inv-deploy03", "fail.xml"),
      gate("inv-deploy04", "unverified.xml"),
    ]);
  }, 30_000);

  test("the runs are what the test says they are", () => {
    expect([pass, again, fail, unverified].map((r) => r.report.exitCode)).toEqual([0, 0, 1, 3]);
  });

  test("test-results-parser: counts from the root, wall time, names, statuses and task ids", () => {
    const p = read("pass.xml");
    // Three tasks and the spec-level "tasks" check (at least one task matched).
    expect({ total: p.total, passed: p.passed, failed: p.failed, errors: p.errors }).toEqual({
      total: 4,
      passed: 4,
      failed: 0,
      errors: 0,
    });
    // The run's wall time, not a sum of suites.
    expect(p.duration).toBeCloseTo(pass.report.durationMs, 0);
    expect(p.suites.map((s) => s.name)).toEqual(["web deploy"]);
    expect(p.suites[0]?.cases.map((c) => c.name)).toEqual(["tasks", ...FLEET]);
    const taskIds = pass.report.specs[0]?.tasks.map((t) => t.taskId);
    const tasks = p.suites[0]?.cases.slice(1) ?? [];
    expect(tasks.map((c) => c.metadata["task.id"])).toEqual(taskIds);
    expect(tasks[0]?.metadata["invocation.id"]).toBe("inv-deploy01");

    const f = read("fail.xml");
    expect({ total: f.total, passed: f.passed, failed: f.failed, errors: f.errors }).toEqual({
      total: 4,
      passed: 3,
      failed: 1,
      errors: 0,
    });
    const failed = f.suites[0]?.cases.find((c) => c.status === "FAIL");
    expect(failed?.name).toBe("ins-web00002");
    expect(failed?.failure).toBe("ins-web00002: exit code 3, expected 0 (deploy.yml:6)");

    const u = read("unverified.xml");
    // A task still running and the unfinished wait are errors, never passes.
    expect({ failed: u.failed, errors: u.errors }).toEqual({ failed: 0, errors: 2 });
    expect(u.passed).toBe(3);
    const notVerified = u.suites[0]?.cases.filter((c) => c.status === "FAIL").map((c) => c.name);
    expect(notVerified?.sort()).toEqual(["ins-web00002", "wait"]);
  });

  test("names are identical across two deploys of the same fleet; only the ids differ", () => {
    const names = (file: string) =>
      read(file).suites.flatMap((s) => s.cases.map((c) => `${s.name}/${c.name}`));
    expect(names("again.xml")).toEqual(names("pass.xml"));
    const ids = (r: RunReport) => r.specs[0]?.tasks.map((t) => t.taskId).sort();
    expect(ids(again.report)).not.toEqual(ids(pass.report));
    expect(again.xml).not.toContain("inv-deploy01");
  });

  test("junit-report-merger: merged totals add up, names and file/line locations survive", async () => {
    const merged = await mergeToString([pass.xml, fail.xml, unverified.xml]);
    const root = /<testsuites\b[^>]*>/.exec(merged)?.[0] ?? "";
    const attr = (n: string) => Number(new RegExp(` ${n}="([^"]*)"`).exec(root)?.[1]);
    // 4 + 4 + 5 (the unfinished wait is a case of its own); the merger recounts from the suites.
    expect({
      tests: attr("tests"),
      failures: attr("failures"),
      errors: attr("errors"),
    }).toEqual({ tests: 13, failures: 1, errors: 2 });
    // Suites of one name are merged into one: the cases keep their names and locations.
    expect(merged.match(/<testcase name="ins-web00002"[^>]*>/g)).toEqual([
      expect.stringContaining('file="deploy.yml" line="1"'),
      expect.stringContaining('file="deploy.yml" line="6"'),
      expect.stringContaining('file="deploy.yml" line="6"'),
    ]);
    expect(merged).toMatch(
      /<testcase name="wait" classname="web deploy"[^>]* file="deploy.yml" line="7"/,
    );
  });
});
