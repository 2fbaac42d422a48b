// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${capture.NAME} syntax under test
// capture: values read from each task's output, and `${capture.NAME}` in the same spec's patterns.
import { describe, expect, test } from "@jest/globals";
import { CAPTURE_VALUE_CHARS, isCutValue, keptValue } from "../../src/match/capture.js";
import { evaluate } from "../../src/match/evaluate.js";
import { observation, specFrom, task } from "./helpers.js";

const spec = (more = "") =>
  specFrom(`expect:\n  capture:\n    version: '/deployed version=(\\S+)/'\n${more}`);

const captureResult = (verdict: ReturnType<typeof evaluate>, i = 0) =>
  verdict.tasks[i]?.results.find((r) => r.check === "capture");

describe("capture", () => {
  test("takes the first group of the first match into the verdict", () => {
    const v = evaluate(
      spec(),
      observation([task({ output: "x\ndeployed version=1.4.2 ok\ndeployed version=9\n" })]),
    );
    expect(v.outcome).toBe("pass");
    expect(v.tasks[0]?.captures).toEqual({ version: "1.4.2" });
    expect(captureResult(v)).toMatchObject({
      outcome: "pass",
      actual: "1.4.2",
      message: 'captured version = "1.4.2"',
      where: { line: 5 },
    });
  });

  test("a group named value wins over the first group", () => {
    const s = specFrom("expect:\n  capture:\n    v: '/(build|release) (?P<value>\\d+)/'\n");
    const v = evaluate(s, observation([task({ output: "release 42\n" })]));
    expect(v.tasks[0]?.captures).toEqual({ v: "42" });
  });

  test("a capture with no match fails the task, naming the capture, with the tail", () => {
    const v = evaluate(spec(), observation([task({ output: "nothing here\n" })]));
    expect(v.outcome).toBe("fail");
    expect(v.tasks[0]?.captures).toBeUndefined();
    expect(captureResult(v)).toMatchObject({
      outcome: "fail",
      message: "capture version /deployed version=(\\S+)/: no match in the output",
    });
    expect(captureResult(v)?.excerpt).toContain("nothing here");
  });

  test("not found in truncated output cannot be verified; allowTruncated judges the kept part", () => {
    const cut = task({ output: "head only\n", droppedBytes: 500 });
    expect(captureResult(evaluate(spec(), observation([cut])))?.outcome).toBe("error");
    const allowed = spec("  output:\n    matches: head\n    allowTruncated: true\n");
    expect(captureResult(evaluate(allowed, observation([{ ...cut }])))?.outcome).toBe("fail");
  });

  test("a value reaching where truncated output was cut cannot be verified: it may go on", () => {
    // The runbook printed "deployed version=1.4.2"; TAT's copy ends in "version=1.4".
    const cut = task({ output: "pulling\ndeployed version=1.4", droppedBytes: 500 });
    expect(captureResult(evaluate(spec(), observation([cut])))).toMatchObject({
      outcome: "error",
      message: expect.stringContaining("found only where TAT cut the output (500 bytes dropped)"),
    });
    // On a complete line the value ends where the line does, whatever was cut after it.
    const whole = task({ output: "deployed version=1.4.2\nmore", droppedBytes: 500 });
    expect(captureResult(evaluate(spec(), observation([whole])))).toMatchObject({
      outcome: "pass",
      actual: "1.4.2",
    });
    const allowed = spec("  output:\n    matches: pulling\n    allowTruncated: true\n");
    expect(captureResult(evaluate(allowed, observation([{ ...cut }])))?.actual).toBe("1.4");
  });

  test("output that was not fetched or undecodable is an error, not a fail", () => {
    const v = evaluate(
      spec(),
      observation([task({ output: undefined, outputUndecodable: "bytes are not UTF-8" })]),
    );
    expect(captureResult(v)).toMatchObject({ outcome: "error", actual: "undecodable output" });
  });

  test("an empty group is not a value", () => {
    const s = specFrom("expect:\n  capture:\n    v: '/v=(\\S*)/'\n");
    const v = evaluate(s, observation([task({ output: "v=\n" })]));
    expect(captureResult(v)).toMatchObject({ outcome: "fail", actual: "empty value" });
  });

  test("CR LF output: the value has no CR", () => {
    const v = evaluate(spec(), observation([task({ output: "deployed version=2.0\r\nok\r\n" })]));
    expect(v.tasks[0]?.captures).toEqual({ version: "2.0" });
  });

  test("values are cleaned and bounded; long ones keep a digest so they stay distinct", () => {
    expect(keptValue("a\u001b[31mb")).toBe("ab");
    expect(keptValue("a\u0007b\nc")).toBe("a\uFFFDb ⏎ c");
    const long1 = keptValue(`${"x".repeat(300)}1`);
    const long2 = keptValue(`${"x".repeat(300)}2`);
    expect(long1.length).toBeLessThanOrEqual(CAPTURE_VALUE_CHARS);
    expect(long1).not.toBe(long2);
    expect(isCutValue(long1)).toBe(true);
    expect(isCutValue("1.4.2")).toBe(false);
  });
});

describe("${capture.NAME} in the same spec", () => {
  const s = spec("  output:\n    matches: '/running ${capture.version}$/m'\n");

  test("reads the same task's value, quoted into the regex", () => {
    const v = evaluate(
      s,
      observation([
        task({ output: "deployed version=1.4.2\nrunning 1.4.2\n" }),
        task({ output: "deployed version=1.4.2\nrunning 1x4x2\n" }),
      ]),
    );
    expect(v.tasks.map((t) => t.outcome)).toEqual(["pass", "fail"]);
    const failed = v.tasks[1]?.results.find((r) => r.check === "output.matches");
    expect(failed?.message).toBe("output does not match /running 1.4.2$/m");
    expect(failed?.expected).toBe("matches /running ${capture.version}$/m");
  });

  test("each task its own value", () => {
    const v = evaluate(
      s,
      observation([
        task({ output: "deployed version=1\nrunning 1\n" }),
        task({ output: "deployed version=2\nrunning 2\n" }),
      ]),
    );
    expect(v.outcome).toBe("pass");
  });

  test("when the capture found nothing, the pattern is not checked and the capture fails", () => {
    const v = evaluate(s, observation([task({ output: "running 1\n" })]));
    expect(v.tasks[0]?.outcome).toBe("fail");
    expect(v.tasks[0]?.results.find((r) => r.check === "output.matches")).toMatchObject({
      outcome: "skip",
      message: "not checked: capture version has no value in this task's output",
    });
  });

  test("notMatches and substrings", () => {
    const t = specFrom(
      "expect:\n  capture:\n    v: '/v=(\\S+)/'\n  output:\n    notMatches: 'old ${capture.v}'\n",
    );
    const v = evaluate(
      t,
      observation([task({ output: "v=a.b\nold a.b\n" }), task({ output: "v=a.b\nold axb\n" })]),
    );
    expect(v.tasks.map((x) => x.outcome)).toEqual(["fail", "pass"]);
  });

  // docs/spec.md quotes an environment variable with \Q…\E; written the same way around a
  // capture, the value was quoted twice (\Q1\.4\.2\E) and the notMatches never found the line.
  test("inside \\Q…\\E: the value is matched as itself", () => {
    const t = spec("  output:\n    notMatches: '/rollback of \\Q${capture.version}\\E failed/'\n");
    const v = evaluate(
      t,
      observation([
        task({ output: "deployed version=1.4.2\nERROR: rollback of 1.4.2 failed\n" }),
        task({ output: "deployed version=1.4.2\nERROR: rollback of 1x4x2 failed\n" }),
      ]),
    );
    expect(v.tasks.map((x) => x.outcome)).toEqual(["fail", "pass"]);
    expect(v.tasks[0]?.results.find((r) => r.check === "output.notMatches")?.message).toBe(
      "output matches /rollback of \\Q1.4.2\\E failed/ at line 2",
    );
  });

  test("inside \\Q…\\E: a value holding \\E or ending in a backslash", () => {
    const t = specFrom(
      "expect:\n  capture:\n    dir: '/dir=(\\S+)/'\n  output:\n    matches: '/^opened \\Q${capture.dir}\\E$/m'\n",
    );
    const v = evaluate(
      t,
      observation([
        task({ output: "dir=C:\\Eval\\\nopened C:\\Eval\\\n" }),
        task({ output: "dir=C:\\Eval\\\nopened C:\\Xval\\\n" }),
      ]),
    );
    expect(v.tasks.map((x) => x.outcome)).toEqual(["pass", "fail"]);
  });

  test("a task that never finished: captures and patterns are not verified", () => {
    const v = evaluate(s, observation([task({ status: "RUNNING", terminal: false })]));
    expect(v.tasks[0]?.outcome).toBe("error");
  });
});

describe("capture in an override", () => {
  test("replaces the spec-wide capture for its instance; fleet compares both", () => {
    const s = specFrom(
      "expect:\n  capture:\n    version: '/deployed version=(\\S+)/'\n" +
        "overrides:\n  ins-canary01:\n    capture:\n      version: '/canary build (\\S+)/'\n" +
        "fleet:\n  distinct: { of: version, max: 1 }\n",
    );
    const v = evaluate(
      s,
      observation([
        task({ instanceId: "ins-00000001", output: "deployed version=2\n" }),
        task({ instanceId: "ins-canary01", output: "canary build 2\ndeployed version=9\n" }),
      ]),
    );
    expect(v.tasks.map((t) => t.captures)).toEqual([{ version: "2" }, { version: "2" }]);
    expect(v.outcome).toBe("pass");
  });
});

describe("capture by JSONPath", () => {
  const json = (more = "") =>
    specFrom(
      `expect:\n  capture:\n    version: { json: $.version }\n    build: { json: $.build, from: whole }\n${more}`,
    );
  const only = (source: string) => specFrom(`expect:\n  capture:\n    version: ${source}\n`);
  const HEALTH = '{"status":"ok","build":{"id":7},"version":"1.4.2"}\n';

  test("the value at the path: a string as it is, anything else as compact JSON", () => {
    const v = evaluate(json(), observation([task({ output: HEALTH })]));
    expect(v.outcome).toBe("pass");
    expect(v.tasks[0]?.captures).toEqual({ version: "1.4.2", build: '{"id":7}' });
    expect(captureResult(v)).toMatchObject({
      outcome: "pass",
      actual: "1.4.2",
      message: 'captured version = "1.4.2"',
    });
  });

  test("from: last reads the last JSON value after a log; from: lines the last line with it", () => {
    const log = `starting\n{"version":"0.9"}\nchecking\n{\n  "version": "1.0"\n}\nsmoke ok\n`;
    const last = evaluate(only("{ json: $.version }"), observation([task({ output: log })]));
    expect(last.tasks[0]?.captures).toEqual({ version: "1.0" });
    const lines = '{"version":"1"}\n{"other":2}\n{"version":"2"}\n{"other":3}\n';
    const v = evaluate(
      only("{ json: $.version, from: lines }"),
      observation([task({ output: lines })]),
    );
    expect(v.tasks[0]?.captures).toEqual({ version: "2" });
  });

  test("a missing key fails, naming the capture and the path", () => {
    const v = evaluate(only("{ json: $.version }"), observation([task({ output: '{"a":1}\n' })]));
    expect(v.outcome).toBe("fail");
    expect(v.tasks[0]?.captures).toBeUndefined();
    expect(captureResult(v)).toMatchObject({
      outcome: "fail",
      actual: "no value",
      message: "capture version $.version: no value at $.version in the JSON from line 1",
    });
  });

  test("invalid JSON fails with the parse error and its line, never passes", () => {
    const v = evaluate(
      only("{ json: $.version, from: whole }"),
      observation([task({ output: 'log line\n{"version": 1.4.2}\n' })]),
    );
    expect(v.outcome).toBe("fail");
    const r = captureResult(v);
    expect(r?.outcome).toBe("fail");
    expect(r?.message).toMatch(/^capture version \$\.version \(from: whole\): .*line 1/);
    expect(r?.excerpt).toContain("log line");
  });

  test("a path selecting several values captures nothing", () => {
    const v = evaluate(
      only("{ json: '$.checks[*].ok' }"),
      observation([task({ output: '{"checks":[{"ok":true},{"ok":false}]}\n' })]),
    );
    expect(captureResult(v)).toMatchObject({ outcome: "fail" });
    expect(captureResult(v)?.message).toContain("selects 2 values");
  });

  test("truncated output cannot be verified, even with the value in the kept part and allowTruncated", () => {
    const cut = task({ output: HEALTH, droppedBytes: 900 });
    const v = evaluate(only("{ json: $.version }"), observation([cut]));
    expect(v.outcome).toBe("error");
    expect(v.tasks[0]?.captures).toBeUndefined();
    expect(captureResult(v)).toMatchObject({
      outcome: "error",
      actual: "900 bytes dropped",
      message: expect.stringContaining("the output was truncated (900 bytes dropped)"),
    });
    const allowed = specFrom(
      "expect:\n  capture:\n    version: { json: $.version }\n  output:\n    matches: ok\n    allowTruncated: true\n",
    );
    expect(captureResult(evaluate(allowed, observation([{ ...cut }])))?.outcome).toBe("error");
  });

  test("the full log read from COS is not cut: captured, though TAT dropped bytes", () => {
    const full = `${"log\n".repeat(10_000)}${HEALTH}`;
    const v = evaluate(
      only("{ json: $.version }"),
      observation([task({ output: full, droppedBytes: 16_000, outputSource: "cos" })]),
    );
    expect(v.outcome).toBe("pass");
    expect(v.tasks[0]?.captures).toEqual({ version: "1.4.2" });
  });

  test("COS needed and failed: could not verify, naming COS", () => {
    const v = evaluate(
      only("{ json: $.version }"),
      observation([
        task({
          output: HEALTH,
          droppedBytes: 16_000,
          outputCosError: "COS object b-1/x: 403 AccessDenied",
        }),
      ]),
    );
    expect(v.outcome).toBe("error");
    expect(captureResult(v)).toMatchObject({
      outcome: "error",
      actual: "full output not read from COS",
      message:
        "cannot capture version $.version from the full output: COS object b-1/x: 403 AccessDenied",
    });
  });
});

describe("regex capture and COS", () => {
  test("the full log from COS is judged: a value past TAT's cut is captured", () => {
    const v = evaluate(
      spec(),
      observation([
        task({
          output: `${"x\n".repeat(20_000)}deployed version=3.1\n`,
          droppedBytes: 20_000,
          outputSource: "cos",
        }),
      ]),
    );
    expect(v.outcome).toBe("pass");
    expect(v.tasks[0]?.captures).toEqual({ version: "3.1" });
  });

  test("not in the full COS log: a plain fail, not 'bytes were dropped'", () => {
    const v = evaluate(
      spec(),
      observation([task({ output: "nothing\n", droppedBytes: 20_000, outputSource: "cos" })]),
    );
    expect(captureResult(v)).toMatchObject({ outcome: "fail", actual: "not found" });
  });

  test("COS needed and failed: could not verify, naming COS, not TAT's cut", () => {
    const v = evaluate(
      spec(),
      observation([
        task({
          output: "head only\n",
          droppedBytes: 20_000,
          outputCosError: "COS object b-1/x: 404 NoSuchKey",
        }),
      ]),
    );
    expect(captureResult(v)).toMatchObject({
      outcome: "error",
      message: expect.stringContaining("404 NoSuchKey"),
    });
  });
});
