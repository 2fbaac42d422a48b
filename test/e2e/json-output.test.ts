// expect.output.json through the built CLI against the TAT emulator: health JSON with keys in any
// order passes; a missing key, a wrong type and output that is not JSON each fail, named with the
// instance, the output line and the path, in the console, the JSON report and JUnit.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "@jest/globals";
import { type Emulator, loadScenario, startEmulator } from "../../src/emulator/index.js";
import type { RunReport } from "../../src/model.js";
import { cleanEnv, runCli } from "../helpers/cli.js";

const SECRET = "Qx7e2e-secret-key-never-printed-41c2";

const task = (instance: string, output: string) =>
  `      - instance: ${instance}\n        timeline: "PENDING@0s RUNNING@0.2s SUCCESS@0.6s"\n        output: ${JSON.stringify(output)}\n`;

const SCENARIO = [
  "version: 1",
  "credentials:",
  `  - secretId: AKIDJSONE2E00000000000000000000000\n    secretKey: ${SECRET}`,
  "invocations:",
  "  - id: inv-json0001",
  "    commandId: cmd-health01",
  "    tasks:",
  task(
    "ins-jjj00001",
    'health check\n{"status":"ok","version":"1.4.2","checks":[{"ok":true}],"latencyMs":12}\n',
  ),
  task(
    "ins-jjj00002",
    'health check\n{\n  "latencyMs": 40,\n  "checks": [{"name": "db", "ok": true}],\n  "version": "1.4.0",\n  "status": "ok"\n}\n',
  ),
  "  - id: inv-json0002",
  "    commandId: cmd-health01",
  "    tasks:",
  task("ins-jjj00003", 'checking\n{"version":"1.4.2","checks":[{"ok":true}],"latencyMs":12}\n'),
  task(
    "ins-jjj00004",
    'checking\n{"status":"ok","version":"1.4.2","checks":[{"ok":true}],"latencyMs":"12ms"}\n',
  ),
  task("ins-jjj00005", 'checking\n{"status":"ok","version":"1.4.2",\nTraceback: disk full\n'),
  "",
].join("\n");

const spec = (invocationId: string) =>
  [
    "version: 1",
    "name: health",
    `target: { invocationId: ${invocationId} }`,
    "wait: { timeout: 30s, minInterval: 200ms, maxInterval: 500ms }",
    "expect:",
    "  output:",
    "    json:",
    "      from: last",
    "      assert:",
    "        - { path: $.status, equals: ok }",
    "        - { path: $.version, matches: '/^1\\.4\\./' }",
    "        - { path: '$.checks[*].ok', all: { equals: true } }",
    "        - { path: $.latencyMs, type: number, max: 250 }",
    "",
  ].join("\n");

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function run(invocationId: string) {
  const work = mkdtempSync(join(tmpdir(), "tat-assert-json-"));
  writeFileSync(join(work, "scenario.yml"), SCENARIO);
  writeFileSync(join(work, "spec.yml"), spec(invocationId));
  emulator = await startEmulator({ scenario: await loadScenario(join(work, "scenario.yml")) });
  const cred = emulator.credentials[0];
  const env = cleanEnv({
    TENCENTCLOUD_SECRET_ID: cred?.secretId,
    TENCENTCLOUD_SECRET_KEY: cred?.secretKey,
    TENCENTCLOUD_REGION: "ap-guangzhou",
  });
  const result = await runCli(
    [
      "spec.yml",
      "--reporter",
      "json:out/report.json",
      "--reporter",
      "junit:out/junit.xml",
      "--endpoint",
      emulator.url,
    ],
    { cwd: work, env, timeoutMs: 60_000 },
  );
  const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  expect(result.stdout + result.stderr).not.toContain(SECRET);
  return { work, result, context };
}

describe("expect.output.json end to end", () => {
  test("health JSON, one line or pretty-printed, keys in any order: exit 0", async () => {
    const { work, result, context } = await run("inv-json0001");
    expect({ exit: result.code, context }).toEqual({ exit: 0, context });
    const report = JSON.parse(readFileSync(join(work, "out/report.json"), "utf8")) as RunReport;
    const results = report.specs[0]?.tasks.flatMap((t) => t.results) ?? [];
    // Two tasks, each with a read and four assertions, all checked and passed.
    expect(results.filter((r) => r.check === "output.json" && r.outcome === "pass")).toHaveLength(
      10,
    );
  });

  test("a missing key, a wrong type, output that is not JSON: exit 1, each named", async () => {
    const { work, result, context } = await run("inv-json0002");
    expect({ exit: result.code, context }).toEqual({ exit: 1, context });
    const out = result.stdout;
    for (const fragment of [
      "ins-jjj00003",
      "no value at $.status (JSON from line 2)",
      "ins-jjj00004",
      '$.latencyMs is "12ms" (a string), not a number (JSON from line 2)',
      "ins-jjj00005",
      "not valid JSON",
      "spec.yml:10",
      "spec.yml:13",
    ]) {
      expect({ fragment, out }).toEqual({ fragment, out: expect.stringContaining(fragment) });
    }

    const report = JSON.parse(readFileSync(join(work, "out/report.json"), "utf8")) as RunReport;
    const byInstance = Object.fromEntries(
      (report.specs[0]?.tasks ?? []).map((t) => [
        t.instanceId,
        t.results.filter((r) => r.check === "output.json" && r.outcome === "fail"),
      ]),
    );
    expect(byInstance["ins-jjj00003"]?.map((r) => [r.message, r.where.line])).toEqual([
      ["no value at $.status (JSON from line 2)", 10],
    ]);
    expect(byInstance["ins-jjj00004"]?.map((r) => r.where.line)).toEqual([13]);
    const notJson = byInstance["ins-jjj00005"]?.[0];
    expect(notJson?.message).toMatch(/^no JSON value found: the last line is not valid JSON/);
    expect(notJson?.where.line).toBe(7);
    expect(notJson?.excerpt).toContain("Traceback: disk full");

    const junit = readFileSync(join(work, "out/junit.xml"), "utf8");
    expect(junit).toContain("no value at $.status (JSON from line 2)");
    expect(junit).toContain("ins-jjj00005");
    expect(junit).toContain("not valid JSON");
  });
});
