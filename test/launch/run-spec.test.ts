// The `run:` block of a spec: what it normalises to, and every mistake reported at its place.
import { describe, expect, test } from "@jest/globals";
import { formatIssue } from "../../src/errors.js";
import { parseSpecs } from "../../src/spec/load.js";

const parse = (text: string, env: Record<string, string> = {}) =>
  parseSpecs(text, "r.yml", { env });
const problems = (text: string) => parse(text).issues.map(formatIssue);

describe("run: block", () => {
  test("a run spec normalises to a RunBlock and an empty invocation target at `run`", () => {
    const { specs, issues } = parse(
      [
        "version: 1",
        "run:",
        "  command: |",
        "    /opt/deploy.sh {{version}}",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's ${VAR} syntax
        '  parameters: { version: "${VERSION}" }',
        "  instances: [ins-a1, ins-b2]",
        "  timeout: 10m",
        "  workingDirectory: /srv",
        "  username: deploy",
        "  outputCOSBucketUrl: https://logs-1250000000.cos.ap-guangzhou.myqcloud.com",
        "expect: { exitCode: 0 }",
      ].join("\n"),
      { VERSION: "2.4.1" },
    );
    expect(issues).toEqual([]);
    const [spec] = specs;
    expect(spec?.run).toEqual({
      command: "/opt/deploy.sh {{version}}\n",
      parameters: { version: "2.4.1" },
      instances: ["ins-a1", "ins-b2"],
      timeoutSeconds: 600,
      workingDirectory: "/srv",
      username: "deploy",
      outputCOSBucketUrl: "https://logs-1250000000.cos.ap-guangzhou.myqcloud.com",
      where: { file: "r.yml", line: 2, col: 1 },
    });
    expect(spec?.target).toEqual({
      kind: "invocations",
      invocationIds: [],
      where: { file: "r.yml", line: 2, col: 1 },
    });
  });

  test("InvokeCommand form: commandId with parameters", () => {
    const { specs, issues } = parse(
      "version: 1\nrun: { commandId: cmd-abcd1234, instances: [ins-a1], parameters: { v: '1' } }\n",
    );
    expect(issues).toEqual([]);
    expect(specs[0]?.run).toMatchObject({ commandId: "cmd-abcd1234", parameters: { v: "1" } });
  });

  test("exactly one of target and run", () => {
    expect(problems("version: 1\nexpect: { exitCode: 0 }\n")).toEqual([
      "r.yml:1:1: missing `target` (add `target:` with one of invocationId, invocationIds, taskIds, latest, filters)",
    ]);
    expect(
      problems(
        "version: 1\ntarget: { invocationId: inv-abcd1234 }\nrun: { command: x, instances: [ins-a] }\n",
      ),
    ).toEqual([
      "r.yml:3:1: run: give `target` or `run`, not both (`run` starts a command and judges it; `target` judges tasks that already exist)",
    ]);
  });

  test("exactly one of command and commandId; keys only a created command takes", () => {
    expect(problems("version: 1\nrun: { instances: [ins-a] }\n")).toEqual([
      "r.yml:2:1: run: missing `command` or `commandId` (give the script as `command:`, or a saved command's id as `commandId:`)",
    ]);
    expect(
      problems("version: 1\nrun: { command: x, commandId: cmd-a, instances: [ins-a] }\n"),
    ).toEqual([
      "r.yml:2:20: run.commandId: give `command` (RunCommand) or `commandId` (InvokeCommand), not both",
    ]);
    expect(
      problems("version: 1\nrun: { commandId: cmd-a, commandType: BAT, instances: [ins-a] }\n"),
    ).toEqual([
      "r.yml:2:26: run.commandType: `commandType` applies only to a command created with `command`; a saved command keeps its own (remove it)",
    ]);
  });

  test("the API's limits, at the value", () => {
    const big = "x".repeat(50_000);
    const text = [
      "version: 1",
      "run:",
      `  command: "${big} {{a}} {{b}}"`,
      "  parameters: { a: '1' }",
      "  instances: [ins-a]",
      "  timeout: 0s",
      "  commandName: has space",
    ].join("\n");
    const got = problems(text).map((p) => p.replace(/\d{5,}/g, "N"));
    expect(got).toEqual([
      "r.yml:3:12: run.command: the script is N characters once base64-encoded; TAT accepts at most N (64 KiB) (put the script on the instances or in a saved command, and run that)",
      "r.yml:4:15: run.parameters: the command uses {{b}} but `parameters` gives no value (add b: …)",
      "r.yml:6:12: run.timeout: TAT takes a command timeout of 1s to 24h in whole seconds, got 0s",
      "r.yml:7:16: run.commandName: TAT takes a command name of letters, digits, _, - and . of at most 60 bytes",
    ]);
  });

  test("schema mistakes inside run are located and explained", () => {
    expect(
      problems(
        "version: 1\nrun:\n  command: x\n  instance: [ins-a]\n  commandType: BASH\n  parameters: { n: 3 }\n",
      ),
    ).toEqual([
      "r.yml:3:3: run: missing `instances` here",
      expect.stringContaining(
        "r.yml:4:3: run.instance: unknown key `instance` (did you mean `instances`?)",
      ),
      expect.stringContaining("r.yml:5:16: run.commandType: expected SHELL, POWERSHELL or BAT"),
      "r.yml:6:20: run.parameters.n: parameter values are strings: quote them, got 3",
    ]);
  });
});
