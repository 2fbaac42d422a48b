// Full output from COS end to end: the built CLI as a subprocess against the emulator in this
// process, whose COS endpoint (--cos-endpoint) serves the whole logs TAT cut at 24 KiB. What COS
// was asked is checked from the emulator's own counts, and a foreign host from what it received.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { parse } from "yaml";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { closeServer, listen } from "../../src/emulator/listen.js";
import type { RunReport } from "../../src/model.js";
import { type CliRun, cleanEnv, runCli } from "../helpers/cli.js";

const CRED = {
  secretId: "AKIDCOSE2E00000000000000000000000000",
  secretKey: "Sk7-e2e-secret-key-never-shown-51c2",
  token: "Tk9-e2e-session-token-never-shown-9b7e",
};
const BUCKET = "https://deploy-logs-1250000000.cos.ap-guangzhou.myqcloud.com";
const TIMELINE = "PENDING@0s RUNNING@0.2s SUCCESS@0.5s";

// 100 KiB: 32 KiB of fine lines, ERROR on line 4097 (well past TAT's 24 KiB cut), more fine lines.
const LINES = 12_800;
const BAD = `${"step ok\n".repeat(4096)}ERROR: migration 42\n${"tail ok\n".repeat(LINES - 4096 - 3)}`;
const CLEAN = `${"step ok\n".repeat(LINES - 1)}deploy finished\n`;

/** One invocation per case, one task each: `inv-c05e000N`, `invt-c05e000N`. */
const cases = {
  bad: { output: BAD },
  denied: { output: BAD, cosFault: "accessDenied" },
  upload: {
    output: BAD,
    outputUploadCOSErrorInfo:
      "Upload output to cos failed, please check if ins-c05e0003 has permission to put file to COS",
  },
  clean: { output: CLEAN },
  foreign: { output: BAD },
  missing: { output: BAD, cosFault: "noSuchKey" },
  cut: { output: BAD, cosFault: "truncated" },
} as const;
type CaseName = keyof typeof cases;
const names = Object.keys(cases) as CaseName[];
const inv = (name: CaseName) => `inv-c05e000${names.indexOf(name) + 1}`;

let emulator: Emulator;
let foreign: { url: string; requests: string[]; close(): Promise<void> };

beforeAll(async () => {
  const requests: string[] = [];
  const server = createServerRecording(requests);
  foreign = { url: await listen(server), requests, close: () => closeServer(server) };
  emulator = await startEmulator({
    scenario: buildScenario({
      version: 1,
      credentials: [CRED],
      invocations: names.map((name, i) => {
        const id = inv(name);
        const taskId = `invt-c05e000${i + 1}`;
        const outputUrl =
          name === "foreign"
            ? `${foreign.url}/deploy-logs-1250000000/${id}/${taskId}.log`
            : `${BUCKET}/${id}/${taskId}.log`;
        return {
          id,
          commandId: "cmd-c05e0001",
          tasks: [
            {
              instance: `ins-c05e000${i + 1}`,
              id: taskId,
              timeline: TIMELINE,
              outputUrl,
              ...cases[name],
            },
          ],
        };
      }),
    }),
  });
});

afterAll(async () => {
  await emulator?.close();
  await foreign?.close();
});

/** A host that is not COS: it answers anything, and remembers every request it got. */
function createServerRecording(requests: string[]) {
  return createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
    res.writeHead(200, { "Content-Length": 5 });
    res.end("hello");
  });
}

interface Run extends CliRun {
  report: RunReport;
  files: Record<string, string>;
}

const ENV = () =>
  cleanEnv({
    TENCENTCLOUD_SECRET_ID: CRED.secretId,
    TENCENTCLOUD_SECRET_KEY: CRED.secretKey,
    TENCENTCLOUD_SESSION_TOKEN: CRED.token,
    TENCENTCLOUD_REGION: "ap-guangzhou",
  });

async function gate(
  name: CaseName,
  output: string,
  options: { work?: string; source?: string[] } = {},
): Promise<Run> {
  const work = options.work ?? mkdtempSync(join(tmpdir(), "tat-assert-cos-e2e-"));
  writeFileSync(
    join(work, "spec.yml"),
    `version: 1\nname: ${name}\ntarget: { invocationId: ${inv(name)} }\nwait: { timeout: 30s, minInterval: 200ms, maxInterval: 500ms }\nexpect:\n  output: ${output}\n`,
  );
  const result = await runCli(
    [
      "spec.yml",
      ...(options.source ?? [
        "--endpoint",
        emulator.url,
        "--cos-endpoint",
        emulator.cosUrl as string,
      ]),
      "--reporter",
      "json:report.json",
      "--reporter",
      "junit:junit.xml",
      "--reporter",
      "html:report.html",
    ],
    { cwd: work, env: ENV() },
  );
  const files: Record<string, string> = {};
  for (const f of readdirSync(work)) files[f] = readFileSync(join(work, f), "utf8");
  const report = JSON.parse(files["report.json"] ?? "null") as RunReport;
  return { ...result, report, files };
}

const context = (r: CliRun) => `\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
const outputResults = (r: Run) =>
  r.report.specs.flatMap((s) =>
    s.tasks.flatMap((t) => t.results.filter((x) => x.check.startsWith("output."))),
  );

/** Nothing secret anywhere: not on the console, not in any report file. */
function expectNoSecrets(r: Run): void {
  for (const text of [r.stdout, r.stderr, ...Object.values(r.files)]) {
    expect(text).not.toContain(CRED.secretKey);
    expect(text).not.toContain(CRED.token);
    expect(text).not.toContain("q-signature");
  }
}

describe("full output from COS through the built CLI", () => {
  test("ERROR past the 24 KiB cut, full log in COS: exit 1 at the line of the full log", async () => {
    const before = emulator.cosStats?.().requests ?? 0;
    const r = await gate("bad", "{ notMatches: ERROR }");
    expect({ code: r.code, out: r.stdout }).toMatchObject({ code: 1 });
    expect(r.stdout).toContain('output contains "ERROR" at line 4097 (full output read from COS)');
    const task = r.report.specs[0]?.tasks[0];
    expect(task?.observed).toMatchObject({
      outputSource: "cos",
      droppedBytes: BAD.length - 24 * 1024,
    });
    // The summary counts the lines of the whole log, not of TAT's 24 KiB.
    expect(task?.observed.outputSummary?.lines).toBe(BAD.split("\n").length - 1);
    expect(r.files["junit.xml"]).toContain("at line 4097 (full output read from COS)");
    expect(r.files["report.html"]).toContain("at line 4097 (full output read from COS)");
    expect(emulator.cosStats?.().requests).toBe(before + 1);
    expectNoSecrets(r);
  });

  test("COS answers 403: exit 3, naming AccessDenied", async () => {
    const r = await gate("denied", "{ notMatches: ERROR }");
    expect(r.code).toBe(3);
    const [result] = outputResults(r);
    expect(result).toMatchObject({ outcome: "error" });
    expect(result?.message).toMatch(/HTTP 403 AccessDenied/);
    expect(r.stdout).toMatch(/HTTP 403 AccessDenied/);
    expectNoSecrets(r);
  });

  test("COS lacks the object (404) or cuts its body short: exit 3, naming each", async () => {
    const missing = await gate("missing", "{ notMatches: ERROR }");
    expect(missing.code).toBe(3);
    expect(outputResults(missing)[0]?.message).toMatch(/HTTP 404 NoSuchKey/);
    const cut = await gate("cut", "{ notMatches: ERROR }");
    expect(cut.code).toBe(3);
    expect(outputResults(cut)[0]?.message).toMatch(/cut short|read failed/);
    expectNoSecrets(cut);
  });

  test("the upload to COS failed: exit 3, naming OutputUploadCOSErrorInfo", async () => {
    const r = await gate("upload", "{ notMatches: ERROR }");
    expect(r.code).toBe(3);
    expect(outputResults(r)[0]?.message).toMatch(
      /OutputUploadCOSErrorInfo: Upload output to cos failed, please check if ins-c05e0003/,
    );
    expectNoSecrets(r);
  });

  test("a clean 100 KiB log: exit 0, every output check judged on the whole text", async () => {
    const r = await gate("clean", '{ matches: "deploy finished", notMatches: ERROR }');
    expect({ code: r.code, context: r.code === 0 ? "" : context(r) }).toEqual({
      code: 0,
      context: "",
    });
    const results = outputResults(r);
    expect(results.map((x) => [x.check, x.outcome])).toEqual([
      ["output.matches", "pass"],
      ["output.notMatches", "pass"],
    ]);
    // "deploy finished" is only in the part TAT dropped: found, so the full log was judged.
    for (const x of results) expect(x.message).toMatch(/full output read from COS/);
    expectNoSecrets(r);
  });

  test("source: tat keeps TAT's copy: ERROR past the cut cannot be verified, COS not asked", async () => {
    const before = emulator.cosStats?.().requests ?? 0;
    const r = await gate("bad", "{ notMatches: ERROR, source: tat }");
    expect(r.code).toBe(3);
    expect(outputResults(r)[0]?.message).toMatch(/bytes were dropped and it may be there/);
    expect(emulator.cosStats?.().requests).toBe(before);
  });

  test("an OutputUrl on a foreign host gets no request at all, and is exit 3", async () => {
    const r = await gate("foreign", "{ notMatches: ERROR }");
    expect(r.code).toBe(3);
    expect(outputResults(r)[0]?.message).toMatch(/not a COS URL .*no credentials are sent to it/);
    expect(foreign.requests).toEqual([]);
    expectNoSecrets(r);
  });

  test("record reads the whole log from COS; its replay gives the same verdict offline", async () => {
    const work = mkdtempSync(join(tmpdir(), "tat-assert-cos-record-"));
    const rec = await runCli(
      [
        "record",
        "--invocation",
        inv("bad"),
        "--endpoint",
        emulator.url,
        "--cos-endpoint",
        emulator.cosUrl as string,
        "--out",
        "rec.yml",
      ],
      { cwd: work, env: ENV() },
    );
    expect({ code: rec.code, err: rec.stderr }).toMatchObject({ code: 0 });
    const text = readFileSync(join(work, "rec.yml"), "utf8");
    expect(text).toContain("the whole log, read from COS, is here");
    expect(text).toContain("ERROR: migration 42");
    expect(text).not.toContain(CRED.secretKey);
    expect(text).not.toContain(CRED.token);

    const r = await gate("bad", "{ notMatches: ERROR }", {
      work,
      source: ["--replay", "rec.yml"],
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('output contains "ERROR" at line 4097 (full output read from COS)');
  });

  test("record of a task whose whole log COS refused: the kept part and `dropped`, exit 3 replayed as live", async () => {
    const work = mkdtempSync(join(tmpdir(), "tat-assert-cos-record-denied-"));
    const rec = await runCli(
      [
        "record",
        ...["--invocation", inv("denied"), "--invocation", inv("upload")],
        ...["--endpoint", emulator.url, "--cos-endpoint", emulator.cosUrl as string],
        ...["--out", "rec.yml"],
      ],
      { cwd: work, env: ENV() },
    );
    expect({ code: rec.code, err: rec.stderr }).toMatchObject({ code: 0 });
    const text = readFileSync(join(work, "rec.yml"), "utf8");
    // ERROR is past TAT's cut, and COS did not give the rest: the file does not have it.
    expect(text).not.toContain("ERROR: migration 42");
    expect(text).toMatch(/^# invt-c05e0002: only TAT's 24 KiB; .*HTTP 403 AccessDenied/m);
    const [denied, upload] = (
      parse(text) as { invocations: { tasks: Record<string, unknown>[] }[] }
    ).invocations.map((i) => i.tasks[0]);
    expect(denied).toMatchObject({ dropped: BAD.length - 24 * 1024, cosFault: "accessDenied" });
    expect(upload).toMatchObject({ dropped: BAD.length - 24 * 1024 });

    for (const [name, why] of [
      ["denied", /HTTP 403 AccessDenied/],
      ["upload", /OutputUploadCOSErrorInfo: Upload output to cos failed/],
    ] as const) {
      const live = await gate(name, "{ notMatches: ERROR }");
      const replay = await gate(name, "{ notMatches: ERROR }", {
        work,
        source: ["--replay", "rec.yml"],
      });
      expect([live.code, replay.code]).toEqual([3, 3]);
      expect(outputResults(live)[0]?.message).toMatch(why);
      expect(outputResults(replay)[0]?.message).toMatch(why);
    }
  });
});
