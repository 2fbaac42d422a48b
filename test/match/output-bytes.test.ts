// Output as the machine printed it: Windows code pages, CR LF line ends, bytes that are no text.
// From the API record through the tracker's decoding to the verdict, with specs in the real format.
import { describe, expect, test } from "@jest/globals";
import { formatIssue } from "../../src/errors.js";
import { evaluate } from "../../src/match/evaluate.js";
import type { TaskObservation } from "../../src/model.js";
import { parseSpecs } from "../../src/spec/load.js";
import { outputEncodings } from "../../src/spec/needs.js";
import { TaskTracker } from "../../src/wait/tracker.js";
import { observation, specFrom, task } from "./helpers.js";

/** 错误 ("error") in GBK. */
const GBK_ERROR = [0xb4, 0xed, 0xce, 0xf3];

/** What the tracker makes of a finished task record with these output bytes. */
function observed(bytes: number[] | string, commandType: string, body: string, dropped = 0) {
  const spec = specFrom(body);
  // The record as the judge receives it, output included (the tracker lets the output go after).
  let settled: TaskObservation | undefined;
  const tracker = new TaskTracker(true, outputEncodings(spec), (t) => {
    settled = { ...t };
  });
  tracker.detail(
    {
      InvocationId: "inv-abcd1234",
      InvocationTaskId: "invt-abcd1234",
      InstanceId: "ins-abcd1234",
      TaskStatus: "SUCCESS",
      CommandDocument: { CommandType: commandType },
      TaskResult: {
        ExitCode: 0,
        Dropped: dropped,
        Output: Buffer.from(bytes as number[]).toString("base64"),
        ExecStartTime: "2026-01-01T12:00:00Z",
        ExecEndTime: "2026-01-01T12:01:00Z",
      },
    },
    "2026-01-01T12:01:01.000Z",
    true,
  );
  const obs = settled;
  if (!obs) throw new Error("no observation");
  return { spec, obs, verdict: evaluate(spec, observation([obs])) };
}

const outputResult = (v: ReturnType<typeof observed>["verdict"]) =>
  v.tasks[0]?.results.find((r) => r.check.startsWith("output"));

describe("output bytes", () => {
  const gbk = [...Buffer.from("step 1 ok\r\nstep 2: "), ...GBK_ERROR, 0x0d, 0x0a];

  test("GBK 错误 printed by a BAT command is found by notMatches: the task fails", () => {
    const { obs, verdict } = observed(gbk, "BAT", "expect:\n  output:\n    notMatches: [错误]\n");
    expect(obs).toMatchObject({
      output: "step 1 ok\r\nstep 2: 错误\r\n",
      outputEncoding: "gb18030",
    });
    expect(verdict.outcome).toBe("fail");
    expect(outputResult(verdict)).toMatchObject({
      outcome: "fail",
      message: 'output contains "错误" at line 2',
      excerpt: " 1 | step 1 ok\n>2 | step 2: 错误",
    });
  });

  test("the same bytes from a SHELL command cannot be verified, with the reason", () => {
    const { obs, verdict } = observed(gbk, "SHELL", "expect:\n  output:\n    notMatches: [错误]\n");
    expect(obs.output).toBeUndefined();
    expect(verdict.outcome).toBe("error");
    expect(outputResult(verdict)).toMatchObject({
      outcome: "error",
      actual: "undecodable output",
      message: expect.stringContaining("output is not valid UTF-8 (byte 0xB4 at offset 19)"),
    });
  });

  test("encoding: gbk in the spec decodes them for any command type", () => {
    const body = "expect:\n  output:\n    notMatches: [错误]\n    encoding: gbk\n";
    expect(observed(gbk, "SHELL", body).verdict.outcome).toBe("fail");
  });

  test("an override's encoding applies to its instance", () => {
    const body =
      "expect:\n  output: { notMatches: [错误] }\noverrides:\n  ins-abcd1234:\n    output: { notMatches: [错误], encoding: gbk }\n";
    expect(observed(gbk, "SHELL", body).verdict.outcome).toBe("fail");
  });

  test("invalid bytes are never a pass, not even for notMatches", () => {
    const { verdict } = observed(
      [0x6f, 0x6b, 0xff, 0x0a],
      "BAT",
      "expect:\n  output:\n    notMatches: [ERROR]\n",
    );
    expect(verdict.outcome).toBe("error");
  });

  test("a character split by the 24 KiB cut is left out, not shown as junk", () => {
    const cut = [...Buffer.from("done 完成").subarray(0, 10)];
    const { obs, verdict } = observed(
      cut,
      "SHELL",
      "expect:\n  output: { matches: [done], allowTruncated: true }\n",
      100,
    );
    expect(obs.output).toBe("done 完");
    expect(verdict.outcome).toBe("pass");
  });
});

describe("line semantics: CR LF ends a line", () => {
  const run = (body: string, output: string) => {
    const t: TaskObservation = task({ output });
    return evaluate(specFrom(body), observation([t]));
  };

  test("/^ERROR$/m finds ERROR\\r\\n, and the excerpt shows no CR", () => {
    const v = run(
      "expect:\n  output:\n    notMatches: ['/^ERROR$/m']\n",
      "ok\r\nERROR\r\nnext\r\n",
    );
    expect(outputResult(v)).toMatchObject({
      outcome: "fail",
      message: "output matches /^ERROR$/m at line 2",
      excerpt: " 1 | ok\n>2 | ERROR\n 3 | next",
    });
  });

  test("the same with LF only", () => {
    const v = run("expect:\n  output:\n    notMatches: ['/^ERROR$/m']\n", "ok\nERROR\nnext\n");
    expect(outputResult(v)).toMatchObject({
      outcome: "fail",
      message: "output matches /^ERROR$/m at line 2",
    });
  });

  test("$ without m is the very end of the output, CR LF or LF", () => {
    expect(run("expect:\n  output: { matches: ['/done\\n$/'] }\n", "all done\r\n").outcome).toBe(
      "pass",
    );
    expect(run("expect:\n  output: { matches: ['/done$/'] }\n", "all done\r\n").outcome).toBe(
      "fail",
    );
  });

  test("a CR that ends no line stays, so progress output is judged as printed", () => {
    const v = run("expect:\n  output: { matches: ['/10%\\r20%/'] }\n", "progress 10%\r20%\n");
    expect(v.outcome).toBe("pass");
  });

  test("the tail excerpt of a failed matches shows Windows lines without CR", () => {
    const v = run("expect:\n  output: { matches: [deployed] }\n", "a\r\nb\r\n");
    expect(outputResult(v)?.excerpt).toBe(" 1 | a\n 2 | b");
  });
});

describe("expect.output.encoding in a spec", () => {
  const load = (encoding: string) =>
    parseSpecs(
      `version: 1\ntarget: { invocationId: inv-abcd1234 }\nexpect:\n  output:\n    notMatches: [x]\n    encoding: ${encoding}\n`,
      "spec.yml",
      { env: {} },
    ).issues.map(formatIssue);

  test.each([
    ["utf16le", "utf-16le"],
    ["GBK", "gbk"],
    ["shiftjis", "shift_jis"],
    ["gb1803", "gb18030"],
  ])("%s is a located error suggesting %s", (written, meant) => {
    const [issue, ...rest] = load(written);
    expect(rest).toEqual([]);
    expect(issue).toContain("spec.yml:6:15: expect.output.encoding");
    expect(issue).toContain(`did you mean \`${meant}\`?`);
  });

  test("known names and Windows code pages load", () => {
    for (const name of ["auto", "gbk", "gb18030", "utf-16le", "latin1", "cp936"]) {
      expect(load(name)).toEqual([]);
    }
  });
});
