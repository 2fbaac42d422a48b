// Record and replay through the built CLI: a run against the emulator, `record --from-report` of
// what the API answered, then `--replay` of that file must give the same verdict and the same
// JUnit; the file holds no credential of the account and honours --redact and --no-output.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { parse } from "yaml";
import { loadScenario, startEmulator } from "../../src/emulator/index.js";
import { cleanEnv, ROOT, runCli } from "../helpers/cli.js";

const SPECS = [
  join(ROOT, "examples/emulator-demo/deploy.yml"),
  join(ROOT, "examples/emulator-demo/smoke.yml"),
];

/** JUnit without what differs between two runs of the same data: times, the host and how many
 * polls the wait took (a replay starts at the end of the recording). */
const stable = (xml: string) =>
  xml
    .replace(/ (time|timestamp|hostname)="[^"]*"/g, "")
    .replace(/<property name="(startedAt|endedAt|wait\.polls)" value="[^"]*"\/>/g, "");

async function withEmulator<T>(
  scenarioFile: string,
  body: (url: string, env: Record<string, string>, secretKey: string) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ scenario: await loadScenario(scenarioFile), speed: 4 });
  try {
    const cred = emulator.credentials[0];
    if (!cred) throw new Error("no credentials");
    const env = cleanEnv({
      TENCENTCLOUD_SECRET_ID: cred.secretId,
      TENCENTCLOUD_SECRET_KEY: cred.secretKey,
      TENCENTCLOUD_REGION: "ap-guangzhou",
    });
    return await body(emulator.url, env, cred.secretKey);
  } finally {
    await emulator.close();
  }
}

describe("record and replay", () => {
  test("a recorded failing run replays to the same verdict and the same JUnit, with no network", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tat-assert-record-"));
    const recorded = await withEmulator(
      join(ROOT, "specs/scenarios/failing.yml"),
      async (url, env, secretKey) => {
        const live = await runCli(
          [
            ...SPECS,
            "--endpoint",
            url,
            "--reporter",
            `junit:${join(dir, "live.xml")}`,
            "--reporter",
            `json:${join(dir, "live.json")}`,
          ],
          { cwd: dir, env },
        );
        expect(live.code).toBe(1);
        const rec = await runCli(
          [
            "record",
            "--from-report",
            join(dir, "live.json"),
            "--endpoint",
            url,
            "--out",
            join(dir, "rec.yml"),
          ],
          { cwd: dir, env },
        );
        expect({ code: rec.code, err: rec.stderr }).toEqual({
          code: 0,
          err: `recorded 2 invocations and 10 tasks to ${join(dir, "rec.yml")}\n`,
        });
        const text = readFileSync(join(dir, "rec.yml"), "utf8");
        expect(text).not.toContain(secretKey);
        return { live, text };
      },
    );
    const scenario = parse(recorded.text);
    expect(scenario.recorded).toMatchObject({ region: "ap-guangzhou" });
    expect(scenario.invocations).toHaveLength(2);
    expect(recorded.text).toMatch(/^# Recorded by tat-assert /);

    // The emulator is gone: the replay needs neither it nor any credential.
    const replay = await runCli(
      ["--replay", "rec.yml", ...SPECS, "--reporter", `junit:${join(dir, "replay.xml")}`],
      { cwd: dir, env: cleanEnv() },
    );
    expect({ code: replay.code, err: replay.stderr }).toEqual({ code: 1, err: "" });
    expect(replay.stdout).toContain("ins-web003");
    expect(stable(readFileSync(join(dir, "replay.xml"), "utf8"))).toEqual(
      stable(readFileSync(join(dir, "live.xml"), "utf8")),
    );
  });

  test("--redact masks matches, --no-output records none, and a secret a runbook printed never lands", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tat-assert-record-redact-"));
    writeFileSync(
      join(dir, "scenario.yml"),
      [
        "version: 1",
        "credentials:",
        "  - secretId: AKIDREC0000000000000000000000000000",
        "    secretKey: record-secret-key-never-written-91b",
        "invocations:",
        "  - id: inv-rec00001",
        "    commandId: cmd-rec00001",
        "    command: 'deploy --password=hunter2-pw'",
        "    tasks:",
        "      - instance: ins-rec00001",
        '        timeline: "PENDING@0s RUNNING@1s SUCCESS@2s"',
        '        output: "token=abc123def\\nkey=record-secret-key-never-written-91b\\ndone\\n"',
        "      - instance: ins-rec00002",
        '        timeline: "PENDING@0s DELIVER_FAILED@1s"',
        "        errorInfo: 'agent offline; token=abc123def'",
      ].join("\n"),
    );
    await withEmulator(join(dir, "scenario.yml"), async (url, env) => {
      await new Promise((r) => setTimeout(r, 800));
      const redacted = await runCli(
        [
          "record",
          "--invocation",
          "inv-rec00001",
          "--endpoint",
          url,
          "--redact",
          "token=\\w+",
          "--redact",
          "password=\\S+",
        ],
        { cwd: dir, env },
      );
      expect(redacted.code).toBe(0);
      expect(redacted.stdout).not.toContain("abc123def");
      expect(redacted.stdout).not.toContain("hunter2");
      expect(redacted.stdout).not.toContain("record-secret-key-never-written-91b");
      const s = parse(redacted.stdout);
      const [ok, never] = s.invocations[0].tasks;
      expect(ok.output).toBe("***\nkey=***\ndone\n");
      expect(ok.timeline).toBe("PENDING@0s RUNNING@1s SUCCESS@2s");
      expect(never.timeline).toBe("PENDING@0s DELIVER_FAILED@1s");
      expect(never.errorInfo).toBe("agent offline; ***");

      const bare = await runCli(
        ["record", "--invocation", "inv-rec00001", "--endpoint", url, "--no-output"],
        { cwd: dir, env },
      );
      expect(bare.code).toBe(0);
      expect(parse(bare.stdout).invocations[0].tasks[0].output).toBeUndefined();
      expect(bare.stdout).toContain("# Output was not recorded (--no-output).");
    });
  });

  test("usage errors: nothing to record, a bad pattern, --replay with --endpoint", async () => {
    const none = await runCli(["record", "--region", "ap-guangzhou"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("nothing to record");
    const bad = await runCli(
      ["record", "--invocation", "inv-a", "--redact", "(", "--region", "x"],
      {
        env: cleanEnv({ TENCENTCLOUD_SECRET_ID: "AKIDX", TENCENTCLOUD_SECRET_KEY: "k" }),
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--redact "(" is not an RE2 pattern');
    const both = await runCli(["--replay", "x.yml", "--endpoint", "http://127.0.0.1:1", "a.yml"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--replay serves its own endpoint");
  });
});
