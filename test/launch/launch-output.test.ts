// What `tat-assert run` prints about its launches goes through the same masking and sanitising as
// every other sink: the script is shown with what was interpolated into it (a token), and the
// lines quote the API's messages (escape sequences, workflow commands).
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "@jest/globals";
import { runCommand } from "../../src/cli/run-command.js";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { Capture } from "../report/stream.js";

const CRED = {
  secretId: "AKIDLAUNCHOUT0000000000000000000000",
  secretKey: "launch-out-secret-5e1f",
};
const TOKEN = "ghp_launchoutputtoken0000000000000";
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function launch(args: string[], scenario: object) {
  const emu = await startEmulator({
    scenario: buildScenario({ version: 1, credentials: [CRED], ...scenario }),
  });
  emulators.push(emu);
  const dir = await mkdtemp(join(tmpdir(), "tat-launch-out-"));
  await writeFile(
    join(dir, "spec.yml"),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own ${VAR} interpolation
    'version: 1\nname: d\nwait: { minInterval: 200ms, maxInterval: 500ms }\nrun:\n  command: |\n    curl -H "Authorization: ${GITHUB_TOKEN}" https://example.invalid\n    sleep 100\n  instances: [ins-a1]\n',
  );
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCommand([...args, "spec.yml", "--endpoint", emu.url], {
    stdout,
    stderr,
    env: {
      TENCENTCLOUD_SECRET_ID: CRED.secretId,
      TENCENTCLOUD_SECRET_KEY: CRED.secretKey,
      TENCENTCLOUD_REGION: "ap-guangzhou",
      GITHUB_TOKEN: TOKEN,
    },
    cwd: dir,
  });
  return { code, out: stdout.text + stderr.text };
}

test("the script's interpolated token is masked, in a run and with --dry-run", async () => {
  for (const args of [["--dry-run"], ["--timeout", "1s"]]) {
    const { out } = await launch(args, {
      onRun: [{ match: { content: "sleep" }, timeline: "PENDING@0s RUNNING@0.2s SUCCESS@120s" }],
    });
    expect(out).toContain("will start RunCommand");
    expect(out).toContain('| curl -H "Authorization: ***"');
    expect(out).not.toContain(TOKEN);
  }
});

test("an API message quoted in a launch line cannot colour the terminal or issue a workflow command", async () => {
  const { code, out } = await launch(["--timeout", "1s"], {
    onRun: [{ match: { content: "sleep" }, timeline: "PENDING@0s RUNNING@0.2s SUCCESS@120s" }],
    faults: [
      {
        action: "CancelInvocation",
        error: "FailedOperation",
        message: "no\u001b[31m red\n::error::injected",
      },
    ],
  });
  expect(code).toBe(3);
  expect(out).toContain("could not cancel");
  expect(out).not.toContain("\u001b");
  expect(out).not.toMatch(/^::error::injected/m);
});

test("a secret in an API message is masked in the JSON report's launches too", async () => {
  const reportDir = await mkdtemp(join(tmpdir(), "tat-launch-report-"));
  const reportPath = join(reportDir, "report.json");
  const { code } = await launch(["--timeout", "1s", "--reporter", `json:${reportPath}`], {
    onRun: [{ match: { content: "sleep" }, timeline: "PENDING@0s RUNNING@0.2s SUCCESS@120s" }],
    faults: [
      {
        action: "CancelInvocation",
        error: "FailedOperation",
        message: `cannot cancel with key ${CRED.secretKey}`,
      },
    ],
  });
  expect(code).toBe(3);
  const text = await readFile(reportPath, "utf8");
  const report = JSON.parse(text) as { launches?: { leftRunning: { reason: string }[] }[] };
  expect(report.launches?.[0]?.leftRunning[0]?.reason).toContain("cannot cancel with key ***");
  expect(text).not.toContain(CRED.secretKey);
});
