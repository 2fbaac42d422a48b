// Record and replay through the built CLI: a run against the emulator, `record --from-report` of
// what the API answered, then `--replay` of that file must give the same verdict and the same
// JUnit; the file holds no credential of the account and honours --redact and --no-output.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { parse } from "yaml";
import { loadScenario, startEmulator } from "../../src/emulator/index.js";
import { plain } from "../../src/report/sanitize.js";
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

  test("a task TAT cut, no COS: `notMatches` is exit 3 live and replayed, with the same JUnit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tat-assert-record-cut-"));
    // 25,600 bytes: TAT keeps 24,576; ERROR is only on the last line, in the part it dropped.
    const line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde";
    writeFileSync(
      join(dir, "scenario.yml"),
      [
        "version: 1",
        "credentials:",
        "  - secretId: AKIDCUT00000000000000000000000000000",
        "    secretKey: record-cut-secret-key-never-written",
        "invocations:",
        "  - id: inv-cut00001",
        "    commandId: cmd-cut00001",
        "    tasks:",
        "      - instance: ins-cut00001",
        '        timeline: "PENDING@0s RUNNING@0.2s SUCCESS@0.5s"',
        `        output: "${`${line}\\n`.repeat(399)}ERROR: ${line.slice(7)}\\n"`,
        "      - instance: ins-cut00002",
        '        timeline: "PENDING@0s RUNNING@0.2s SUCCESS@0.5s"',
        `        output: "${line}\\n"`,
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "spec.yml"),
      [
        "version: 1",
        "name: cut log",
        "target: { invocationId: inv-cut00001 }",
        "wait: { timeout: 30s, minInterval: 200ms, maxInterval: 500ms }",
        "expect:",
        "  exitCode: 0",
        "  output: { notMatches: ERROR }",
      ].join("\n"),
    );
    const live = await withEmulator(join(dir, "scenario.yml"), async (url, env) => {
      const run = await runCli(
        [
          "spec.yml",
          "--endpoint",
          url,
          "--reporter",
          "junit:live.xml",
          "--reporter",
          "json:live.json",
        ],
        { cwd: dir, env },
      );
      const rec = await runCli(
        ["record", "--from-report", "live.json", "--endpoint", url, "--out", "rec.yml"],
        { cwd: dir, env },
      );
      expect({ code: rec.code, err: rec.stderr }).toEqual({
        code: 0,
        err: "recorded 1 invocation and 2 tasks to rec.yml\n",
      });
      return run;
    });
    // Live: ERROR was dropped by TAT, so whether it is there cannot be known.
    expect({ code: live.code, err: live.stderr }).toEqual({ code: 3, err: "" });
    expect(live.stdout).toContain("1024 bytes were dropped and it may be there");

    const text = readFileSync(join(dir, "rec.yml"), "utf8");
    expect(text).not.toContain("ERROR");
    expect(text).toMatch(/^# TAT had cut the output of invt-\w+: only the kept 24 KiB is here,$/m);
    const [cut, whole] = parse(text).invocations[0].tasks;
    expect([Buffer.byteLength(cut.output), cut.dropped]).toEqual([24_576, 1024]);
    expect(whole.dropped).toBeUndefined();

    // Replayed: still cut, still could not verify; not a pass over the 24 KiB that was kept.
    const replay = await runCli(
      ["--replay", "rec.yml", "spec.yml", "--reporter", "junit:replay.xml"],
      {
        cwd: dir,
        env: cleanEnv(),
      },
    );
    expect({ code: replay.code, err: replay.stderr }).toEqual({ code: 3, err: "" });
    expect(replay.stdout).toContain("1024 bytes were dropped and it may be there");
    const junit = readFileSync(join(dir, "replay.xml"), "utf8");
    expect(junit).toContain("1024 bytes were dropped");
    expect(stable(junit)).toEqual(stable(readFileSync(join(dir, "live.xml"), "utf8")));
  });

  test("--redact masks matches, --no-output records none, and a secret a runbook printed never lands", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tat-assert-record-redact-"));
    const key = "record-secret-key-never-written-91b";
    // The key as runbooks print it in disguise: a manifest through `base64` (wrapped at 76
    // columns), coloured by a highlighter, and split by a CRLF line ending.
    const manifest = Buffer.from(`apiVersion: v1\nkind: Secret\ndata:\n  key: ${key}\n`);
    const wrapped = (manifest.toString("base64").match(/.{1,76}/g) ?? []).join("\n");
    const disguised = `${wrapped}\nkey=${key.slice(0, 12)}\u001b[1m${key.slice(12)}\u001b[0m\nkey: ${key.slice(0, 20)}\r\n${key.slice(20)}\r\ndone\n`;
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
        "      - instance: ins-rec00003",
        '        timeline: "PENDING@0s RUNNING@1s SUCCESS@2s"',
        `        outputBase64: ${Buffer.from(disguised).toString("base64")}`,
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
      const shown = String(s.invocations[0].tasks[2].output);
      const base64 = shown.split("\nkey=")[0]?.replace(/\s/g, "") ?? "";
      expect(Buffer.from(base64, "base64").toString()).not.toContain(key.slice(0, 12));
      expect(plain(shown).replace(/\n/g, "")).not.toContain(key.slice(0, 12));
      expect(shown).toContain("done\n");

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
