// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the ${capture.NAME} syntax under test
// Captures, fleet consistency and needs: end to end, the built CLI as a subprocess against the TAT
// emulator in this process. Run `npm run -s build` first.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, jest, test } from "@jest/globals";
import { Ajv } from "ajv";
import {
  buildScenario,
  type Emulator,
  type RawScenario,
  startEmulator,
} from "../../src/emulator/index.js";
import type { RunReport } from "../../src/model.js";
import { cleanEnv, ROOT, runCli } from "../helpers/cli.js";

const CRED = {
  secretId: "AKIDFLEETE2E00000000000000000000000",
  secretKey: "fleet-e2e-secret-key-5b1e",
};
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const reportSchema = new Ajv({ allErrors: true, strict: false })
  .addFormat("date-time", /^\d{4}-\d{2}-\d{2}T/)
  .compile(JSON.parse(readFileSync(join(ROOT, "schema/report-v1.json"), "utf8")));

type Invocation = NonNullable<RawScenario["invocations"]>[number];

const TIMELINE = "PENDING@0s RUNNING@0.2s SUCCESS@0.6s";
const WAIT = "wait: { timeout: 60s, minInterval: 200ms, maxInterval: 500ms }\n";

/** `count` tasks on ins-fleet0001…, printing `output`, with some tasks changed by 1-based index. */
function fleet(
  id: string,
  count: number,
  output: string,
  overrides: NonNullable<NonNullable<Invocation["fleet"]>["overrides"]> = [],
): Invocation {
  return {
    id,
    commandId: "cmd-deploy01",
    fleet: {
      count,
      instancePrefix: "ins-fleet",
      stagger: "1ms",
      template: { timeline: TIMELINE, output },
      overrides,
    },
  };
}

async function gate(
  invocations: NonNullable<RawScenario["invocations"]>,
  files: Record<string, string>,
  args: string[] = [],
) {
  const scenario = buildScenario({ version: 1, credentials: [CRED], invocations });
  const emu = await startEmulator({ scenario });
  emulators.push(emu);
  const work = mkdtempSync(join(tmpdir(), "tat-assert-fleet-e2e-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
  const result = await runCli(
    [
      ...Object.keys(files),
      "--reporter",
      "json:report.json",
      "--reporter",
      "junit:junit.xml",
      ...args,
      "--endpoint",
      emu.url,
    ],
    {
      cwd: work,
      env: cleanEnv({
        TENCENTCLOUD_SECRET_ID: CRED.secretId,
        TENCENTCLOUD_SECRET_KEY: CRED.secretKey,
        TENCENTCLOUD_REGION: "ap-guangzhou",
        EXPECTED_VERSION: "1.4.2",
      }),
      timeoutMs: 90_000,
    },
  );
  const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  const report = (): RunReport => {
    const doc = JSON.parse(readFileSync(join(work, "report.json"), "utf8"));
    expect(reportSchema(doc) ? [] : reportSchema.errors).toEqual([]);
    return doc;
  };
  const junit = () => readFileSync(join(work, "junit.xml"), "utf8");
  return { result, exit: { code: result.code, context }, context, report, junit };
}

const exit = (code: number, r: { context: string }) => ({ code, context: r.context });

const deploySpec = (fleetRule: string, name = "deploy") =>
  `version: 1\nname: ${name}\ntarget: { invocationId: inv-deploy01 }\n${WAIT}expect:\n  exitCode: 0\n  capture:\n    version: '/deployed version=(\\S+)/'\n${fleetRule}`;

jest.setTimeout(120_000);

describe("fleet consistency (built CLI against the emulator)", () => {
  test("200 instances, 3 on an old version: exit 1 naming those 3, the majority value shown", async () => {
    const old = [17, 88, 150];
    const r = await gate(
      [
        fleet(
          "inv-deploy01",
          200,
          "deployed version=1.4.2\n",
          old.map((index) => ({ index, output: "deployed version=1.4.1\n" })),
        ),
      ],
      { "deploy.yml": deploySpec("fleet:\n  same: version\n") },
    );
    expect(r.exit).toEqual(exit(1, r));
    const names = old.map((n) => `ins-fleet${String(n).padStart(4, "0")}`);
    const line = r.result.stdout.split("\n").find((l) => l.includes("version differs"));
    expect(line).toContain(`"1.4.1" on 3 tasks (${names.join(", ")})`);
    expect(line).toContain('"1.4.2" on 197 tasks (ins-fleet0001');
    // Minority first.
    expect(line?.indexOf('"1.4.1"')).toBeLessThan(line?.indexOf('"1.4.2"') ?? 0);
    const report = r.report();
    const [spec] = report.specs;
    expect(spec?.counts).toEqual({ pass: 200, fail: 0, error: 0, skip: 0 });
    expect(spec?.fleet.find((f) => f.check === "fleet.same")?.outcome).toBe("fail");
    const byInstance = new Map(spec?.tasks.map((t) => [t.instanceId, t.captures?.version]));
    expect(byInstance.get(names[0] as string)).toBe("1.4.1");
    expect(byInstance.get("ins-fleet0001")).toBe("1.4.2");
    expect(r.junit()).toContain('<property name="capture.version" value="1.4.1"/>');
  });

  test("all the same, and equal to the expected version: exit 0", async () => {
    const r = await gate(
      [fleet("inv-deploy01", 200, "deployed version=1.4.2\n")],
      {
        "deploy.yml": deploySpec(
          'fleet:\n  same: version\n  equals: { version: "${EXPECTED_VERSION}" }\n',
        ),
      },
      ["--verbose"],
    );
    expect(r.exit).toEqual(exit(0, r));
    expect(r.result.stdout).toContain('all 200 tasks captured version = "1.4.2"');
    expect(r.result.stdout).toContain('captured version = "1.4.2"');
  });

  test("a capture that finds nothing fails, naming the capture and the instance", async () => {
    const r = await gate(
      [fleet("inv-deploy01", 3, "deployed version=1.4.2\n", [{ index: 2, output: "oops\n" }])],
      { "deploy.yml": deploySpec("") },
    );
    expect(r.exit).toEqual(exit(1, r));
    expect(r.result.stdout).toMatch(
      /ins-fleet0002.*capture version \/deployed version=\(\\S\+\)\/: no match in the output/,
    );
  });
});

describe("needs: a captured version checked by a later spec", () => {
  const smoke = (matches: string) =>
    `version: 1\nname: smoke\nneeds: deploy\ntarget: { invocationId: inv-smoke001 }\n${WAIT}expect:\n  output:\n    matches: '${matches}'\n`;

  test("the deploy spec's version is what the smoke spec reads, per instance", async () => {
    const r = await gate(
      [
        fleet("inv-deploy01", 20, "deployed version=1.4.2\n"),
        fleet("inv-smoke001", 20, "GET /health 200\nserving version 1.4.2\n"),
      ],
      // The dependent first on the command line: the order comes from needs.
      {
        "smoke.yml": smoke("serving version ${capture.version}"),
        "deploy.yml": deploySpec(""),
      },
    );
    expect(r.exit).toEqual(exit(0, r));
    const report = r.report();
    expect(report.specs.map((s) => [s.name, s.outcome])).toEqual([
      ["smoke", "pass"],
      ["deploy", "pass"],
    ]);
    // Judged after deploy: its wait started once deploy's verdict was in.
    const smokeStart = Date.parse(report.specs[0]?.observation.startedAt ?? "");
    const deployEnd = Date.parse(report.specs[1]?.observation.endedAt ?? "");
    expect(smokeStart).toBeGreaterThanOrEqual(deployEnd);
  });

  test("an instance serving another version than it deployed fails, named", async () => {
    const r = await gate(
      [
        fleet("inv-deploy01", 20, "deployed version=1.4.2\n"),
        fleet("inv-smoke001", 20, "serving version 1.4.2\n", [
          { index: 5, output: "serving version 1.4.1\n" },
        ]),
      ],
      { "deploy.yml": deploySpec(""), "smoke.yml": smoke("serving version ${capture.version}") },
    );
    expect(r.exit).toEqual(exit(1, r));
    expect(r.result.stdout).toMatch(/ins-fleet0005.*does not contain "serving version 1\.4\.2"/);
  });

  test("the needed spec failing: the dependent is not judged and does not pass", async () => {
    const r = await gate(
      [
        fleet("inv-deploy01", 4, "deployed version=1.4.2\n", [
          { index: 3, timeline: "PENDING@0s RUNNING@0.2s FAILED@0.6s", exitCode: 1 },
        ]),
        fleet("inv-smoke001", 4, "serving version 1.4.2\n"),
      ],
      { "deploy.yml": deploySpec(""), "smoke.yml": smoke("serving version ${capture.version}") },
    );
    expect(r.exit).toEqual(exit(1, r));
    const smokeReport = r.report().specs.find((s) => s.name === "smoke");
    expect(smokeReport?.outcome).toBe("skip");
    expect(smokeReport?.fleet[0]?.message).toBe("not checked: needs deploy failed");
    expect(r.result.stdout).toContain("not checked: needs deploy failed");
  });

  test("the needed spec skipped on purpose: the dependent cannot be verified (exit 3, never 0)", async () => {
    const r = await gate([fleet("inv-smoke001", 2, "serving version 1.4.2\n")], {
      "deploy.yml": `${deploySpec("")}skip: not this time\n`,
      "smoke.yml": smoke("serving version ${capture.version}"),
    });
    expect(r.exit).toEqual(exit(3, r));
    expect(r.result.stdout).toContain("needs deploy, which was skipped");
  });

  test("validate: an unknown need is a located error with did-you-mean (exit 2)", async () => {
    const work = mkdtempSync(join(tmpdir(), "tat-assert-fleet-validate-"));
    writeFileSync(join(work, "deploy.yml"), deploySpec(""));
    writeFileSync(
      join(work, "smoke.yml"),
      smoke("serving ${capture.version}").replace("needs: deploy", "needs: depoly"),
    );
    const result = await runCli(["validate", "deploy.yml", "smoke.yml"], {
      cwd: work,
      env: cleanEnv(),
    });
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toMatch(
      /smoke\.yml:3:1: needs: needs `depoly`, which is not a spec of this run \(did you mean `deploy`\?\)/,
    );
  });
});
