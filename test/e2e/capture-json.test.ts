// capture: { version: { json: $.version } } end to end: the built CLI as a subprocess against the
// TAT emulator in this process; fleet: same names the instances whose health JSON reports an older
// version. Run `npm run -s build` first.
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

const CRED = {
  secretId: "AKIDJSONCAPE2E000000000000000000000",
  secretKey: "jsoncap-e2e-secret-key-7d30",
};
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});
jest.setTimeout(120_000);

type Invocation = NonNullable<RawScenario["invocations"]>[number];

/** A health check's output: a log line, then JSON whose keys come in either order. */
const health = (version: string, pretty = false) =>
  pretty
    ? `checking health\n{\n  "version": "${version}",\n  "build": {"id": 7},\n  "status": "ok"\n}\nhealth ok\n`
    : `checking health\n{"status":"ok","build":{"id":7},"version":"${version}"}\n`;

function fleetOf(count: number, old: number[]): Invocation {
  return {
    id: "inv-health01",
    commandId: "cmd-health01",
    fleet: {
      count,
      instancePrefix: "ins-hc",
      stagger: "1ms",
      template: { timeline: "PENDING@0s RUNNING@0.2s SUCCESS@0.6s", output: health("1.4.2") },
      overrides: [
        // Some print the same JSON pretty-printed, keys in another order.
        ...[3, 9].map((index) => ({ index, output: health("1.4.2", true) })),
        ...old.map((index) => ({ index, output: health("1.4.1", index % 2 === 0) })),
      ],
    },
  };
}

const SPEC = [
  "version: 1",
  "name: health",
  "target: { invocationId: inv-health01 }",
  "wait: { timeout: 60s, minInterval: 200ms, maxInterval: 500ms }",
  "expect:",
  "  exitCode: 0",
  "  capture:",
  "    version: { json: $.version }",
  "fleet:",
  "  same: version",
  "",
].join("\n");

async function gate(invocation: Invocation) {
  const scenario = buildScenario({ version: 1, credentials: [CRED], invocations: [invocation] });
  const emu = await startEmulator({ scenario });
  emulators.push(emu);
  const work = mkdtempSync(join(tmpdir(), "tat-assert-jsoncap-e2e-"));
  writeFileSync(join(work, "health.yml"), SPEC);
  const result = await runCli(
    ["health.yml", "--reporter", "json:report.json", "--endpoint", emu.url],
    {
      cwd: work,
      env: cleanEnv({
        TENCENTCLOUD_SECRET_ID: CRED.secretId,
        TENCENTCLOUD_SECRET_KEY: CRED.secretKey,
        TENCENTCLOUD_REGION: "ap-guangzhou",
      }),
      timeoutMs: 90_000,
    },
  );
  const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  expect(result.stdout + result.stderr).not.toContain(CRED.secretKey);
  const report = (): RunReport => JSON.parse(readFileSync(join(work, "report.json"), "utf8"));
  return { result, exit: { code: result.code, context }, report };
}

describe("capture by JSONPath (built CLI against the emulator)", () => {
  test("20 instances, 2 report an older version in their health JSON: exit 1 naming those 2", async () => {
    const r = await gate(fleetOf(20, [6, 15]));
    expect(r.exit).toEqual({ code: 1, context: r.exit.context });
    const line = r.result.stdout.split("\n").find((l) => l.includes("version differs"));
    expect(line).toContain('"1.4.1" on 2 tasks (ins-hc0006, ins-hc0015)');
    expect(line).toContain('"1.4.2" on 18 tasks (ins-hc0001');
    const [spec] = r.report().specs;
    // Every task passed on its own: the drift alone fails the spec.
    expect(spec?.counts).toEqual({ pass: 20, fail: 0, error: 0, skip: 0 });
    expect(spec?.fleet.find((f) => f.check === "fleet.same")?.outcome).toBe("fail");
    const byInstance = new Map(spec?.tasks.map((t) => [t.instanceId, t.captures?.version]));
    expect(byInstance.get("ins-hc0006")).toBe("1.4.1");
    expect(byInstance.get("ins-hc0015")).toBe("1.4.1");
    // Pretty-printed, keys in another order: the same value, unquoted.
    expect(byInstance.get("ins-hc0003")).toBe("1.4.2");
  });

  test("the same version everywhere, whatever the key order: exit 0", async () => {
    const r = await gate(fleetOf(20, []));
    expect(r.exit).toEqual({ code: 0, context: r.exit.context });
    const [spec] = r.report().specs;
    expect(spec?.fleet.find((f) => f.check === "fleet.same")?.message).toBe(
      'all 20 tasks captured version = "1.4.2"',
    );
  });

  test("a task whose JSON has no version fails, naming the capture and the path", async () => {
    const invocation = fleetOf(10, []);
    invocation.fleet?.overrides?.push({ index: 4, output: '{"status":"ok"}\n' });
    const r = await gate(invocation);
    expect(r.exit).toEqual({ code: 1, context: r.exit.context });
    expect(r.result.stdout).toContain("ins-hc0004");
    expect(r.result.stdout).toContain("capture version $.version: no value at $.version");
  });
});
