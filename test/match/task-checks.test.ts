// Every expectation kind against every outcome it can have, through evaluate() with specs written
// in the real format. Each row: spec body, task fields → the results of the task.
import { describe, expect, test } from "@jest/globals";
import { evaluate } from "../../src/match/evaluate.js";
import type { AssertionResult, TaskObservation } from "../../src/model.js";
import { observation, specFrom, task } from "./helpers.js";

type Row = [
  name: string,
  body: string,
  fields: Partial<TaskObservation>,
  expected: Partial<AssertionResult>[],
];

function results(body: string, fields: Partial<TaskObservation>) {
  const verdict = evaluate(specFrom(body), observation([task(fields)]));
  return verdict.tasks[0]?.results ?? [];
}

const table = (rows: Row[]) =>
  test.each(rows)("%s", (_name, body, fields, expected) => {
    const got = results(body, fields);
    expect(got.map(({ where: _w, excerpt: _e, ...r }) => r)).toEqual(
      expected.map((e) => expect.objectContaining(e)),
    );
    expect(got).toHaveLength(expected.length);
  });

describe("status", () => {
  table([
    [
      "implied SUCCESS passes",
      "",
      {},
      [
        {
          check: "status",
          outcome: "pass",
          expected: "SUCCESS (default)",
          actual: "SUCCESS",
          message: "status SUCCESS",
        },
      ],
    ],
    [
      "FAILED names the exit code",
      "",
      { status: "FAILED", exitCode: 2 },
      [
        {
          outcome: "fail",
          actual: "FAILED",
          message: "status FAILED (exit code 2), expected SUCCESS (default)",
        },
      ],
    ],
    [
      "one of a list",
      "expect: { status: [SUCCESS, FAILED] }\n",
      { status: "FAILED", exitCode: 1 },
      [{ outcome: "pass", expected: "one of SUCCESS, FAILED" }],
    ],
    [
      "delivery failure carries ErrorInfo",
      "expect: { status: SUCCESS }\n",
      { status: "DELIVER_FAILED", exitCode: undefined, errorInfo: "agent offline" },
      [
        {
          outcome: "fail",
          message: "status DELIVER_FAILED (delivery failed: agent offline), expected SUCCESS",
        },
      ],
    ],
    [
      "start failure carries the agent's reason on one line",
      "expect: { status: SUCCESS }\n",
      { status: "START_FAILED", exitCode: -1, errorInfo: "InvalidUser:\n  no such user: deploy" },
      [
        {
          outcome: "fail",
          message:
            "status START_FAILED (the command failed to start: InvalidUser: no such user: deploy), expected SUCCESS",
        },
      ],
    ],
    [
      "agent timeout",
      "expect: { status: SUCCESS }\n",
      { status: "TASK_TIMEOUT", exitCode: undefined },
      [
        {
          outcome: "fail",
          message: "status TASK_TIMEOUT (the agent did not respond), expected SUCCESS",
        },
      ],
    ],
    [
      "cancellation",
      "expect: { status: SUCCESS }\n",
      { status: "TERMINATED", exitCode: -1 },
      [{ outcome: "fail", message: "status TERMINATED (killed while running), expected SUCCESS" }],
    ],
    [
      "a delivery failure can be what is expected",
      "expect: { status: DELIVER_FAILED }\n",
      { status: "DELIVER_FAILED", exitCode: undefined },
      [{ outcome: "pass" }],
    ],
  ]);
});

describe("exitCode", () => {
  table([
    [
      "one code passes",
      "expect: { exitCode: 0 }\n",
      {},
      [{ check: "exitCode", outcome: "pass", expected: "0", actual: "0", message: "exit code 0" }],
    ],
    [
      "one code fails",
      "expect: { exitCode: 0 }\n",
      { status: "FAILED", exitCode: 2 },
      [{ outcome: "fail", actual: "2", message: "exit code 2, expected 0" }],
    ],
    [
      "a list",
      "expect: { exitCode: [0, 3] }\n",
      { status: "FAILED", exitCode: 3 },
      [{ outcome: "pass", expected: "one of 0, 3" }],
    ],
    [
      "a range",
      'expect: { exitCode: "1-5" }\n',
      { status: "FAILED", exitCode: 6 },
      [{ outcome: "fail", message: "exit code 6, expected 1 to 5" }],
    ],
    [
      "a mixed list",
      "expect: { exitCode: [0, { min: 10, max: 20 }] }\n",
      { status: "FAILED", exitCode: 15 },
      [{ outcome: "pass", expected: "one of 0, 10 to 20" }],
    ],
    [
      "a start failure has no exit code, whatever ExitCode says: its status is what fails",
      "expect: { exitCode: 0 }\n",
      { status: "START_FAILED", exitCode: -1, errorInfo: "InvalidUser: x" },
      [
        {
          check: "exitCode",
          outcome: "fail",
          actual: "no exit code",
          message:
            "status START_FAILED (the agent could not start the command: InvalidUser: x), expected SUCCESS (from exitCode 0); list START_FAILED under expect.status to allow it",
        },
      ],
    ],
    [
      "a TIMEOUT task reported with ExitCode 0 fails exitCode: 0",
      "expect: { exitCode: 0 }\n",
      { status: "TIMEOUT", exitCode: 0 },
      [
        {
          check: "exitCode",
          outcome: "fail",
          actual: "no exit code",
          message:
            "status TIMEOUT (killed at its command timeout after 1m), expected SUCCESS (from exitCode 0); list TIMEOUT under expect.status to allow it",
        },
      ],
    ],
    [
      "a DELIVER_FAILED task reported with ExitCode 0 fails exitCode: 0",
      "expect: { exitCode: 0 }\n",
      { status: "DELIVER_FAILED", exitCode: 0, execStartTime: undefined, execEndTime: undefined },
      [
        {
          outcome: "fail",
          message:
            "status DELIVER_FAILED (never delivered to the instance, the command did not run), expected SUCCESS (from exitCode 0); list DELIVER_FAILED under expect.status to allow it",
        },
      ],
    ],
    [
      "TERMINATED, TASK_TIMEOUT and CANCELLED never pass by an exit code, -1 included",
      "expect: { exitCode: [0, -1] }\n",
      { status: "CANCELLED", exitCode: -1 },
      [
        {
          outcome: "fail",
          message:
            "status CANCELLED (cancelled before it started, the command did not run), expected one of SUCCESS, FAILED (from exitCode one of 0, -1); list CANCELLED under expect.status to allow it",
        },
      ],
    ],
    [
      "a status listed on purpose allows a task without an exit code",
      "expect: { status: [SUCCESS, TIMEOUT], exitCode: 0 }\n",
      { status: "TIMEOUT", exitCode: 0 },
      [
        { check: "status", outcome: "pass" },
        {
          check: "exitCode",
          outcome: "pass",
          actual: "no exit code",
          message: "no exit code: TIMEOUT, allowed by expect.status",
        },
      ],
    ],
    [
      "a written status that does not allow it: both say so",
      "expect: { status: SUCCESS, exitCode: 0 }\n",
      { status: "TERMINATED", exitCode: 0 },
      [
        { check: "status", outcome: "fail" },
        {
          check: "exitCode",
          outcome: "fail",
          message:
            "no exit code, expected 0: the task did not exit on its own: TERMINATED (cancelled and killed while running)",
        },
      ],
    ],
    [
      "SUCCESS without ExecStartTime never ran: its ExitCode 0 is no exit code",
      "expect: { status: SUCCESS, exitCode: 0 }\n",
      { execStartTime: undefined },
      [
        { check: "status", outcome: "pass" },
        {
          outcome: "fail",
          actual: "no exit code",
          message:
            "no exit code, expected 0: SUCCESS was reported, but the command never started (no ExecStartTime)",
        },
      ],
    ],
    [
      "SUCCESS without ExecStartTime, status implied by exitCode: says why, not 'status SUCCESS, expected SUCCESS'",
      "expect: { exitCode: 0 }\n",
      { execStartTime: undefined },
      [
        {
          outcome: "fail",
          actual: "no exit code",
          message:
            "no exit code, expected 0: SUCCESS was reported, but the command never started (no ExecStartTime)",
        },
      ],
    ],
    [
      "FAILED means a non-zero exit: FAILED with exit code 0 contradicts itself, could not verify",
      "expect: { exitCode: 0 }\n",
      { status: "FAILED", exitCode: 0 },
      [
        {
          outcome: "error",
          actual: "FAILED with exit code 0",
          message:
            "could not verify: TAT reported FAILED with exit code 0, but FAILED means a non-zero exit code: the answer contradicts itself",
        },
      ],
    ],
    [
      "a status-only spec never passes SUCCESS with exit code 1: the answer contradicts itself",
      "expect: { status: SUCCESS }\n",
      { exitCode: 1 },
      [
        {
          check: "status",
          outcome: "error",
          actual: "SUCCESS with exit code 1",
          message:
            "could not verify: TAT reported SUCCESS with exit code 1, but SUCCESS means exit code 0: the answer contradicts itself",
        },
      ],
    ],
    [
      "nor the default status (no expect at all); output checks still judge the output",
      "expect: { output: { matches: ['deploy ok'] } }\n",
      { exitCode: 3 },
      [
        { check: "status", outcome: "error", actual: "SUCCESS with exit code 3" },
        { check: "output.matches", outcome: "pass" },
      ],
    ],
    [
      "a non-zero code allows FAILED",
      "expect: { exitCode: [0, 3] }\n",
      { status: "FAILED", exitCode: 3 },
      [{ outcome: "pass", actual: "3" }],
    ],
    [
      "-1 can be expected of a FAILED task killed by a signal",
      "expect: { exitCode: [0, -1] }\n",
      { status: "FAILED", exitCode: -1 },
      [{ outcome: "pass", actual: "-1" }],
    ],
    [
      "no exit code on a task that ran cannot be checked",
      "expect: { exitCode: 0 }\n",
      { exitCode: undefined },
      [
        {
          outcome: "error",
          actual: "none",
          message: "no exit code reported for a SUCCESS task, expected 0",
        },
      ],
    ],
  ]);
});

describe("output", () => {
  const long = `${Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n")}\n`;
  table([
    [
      "substring found",
      "expect: { output: { matches: 'deploy ok' } }\n",
      {},
      [
        { check: "status", outcome: "pass" },
        {
          check: "output.matches",
          outcome: "pass",
          expected: 'contains "deploy ok"',
          actual: "found",
          message: 'output contains "deploy ok"',
        },
      ],
    ],
    [
      "substring missing",
      "expect: { exitCode: 0, output: { matches: 'deploy ok' } }\n",
      { output: "nothing here\n" },
      [
        { check: "exitCode", outcome: "pass" },
        {
          check: "output.matches",
          outcome: "fail",
          actual: "not found",
          message: 'output does not contain "deploy ok"',
        },
      ],
    ],
    [
      "regex with flags",
      "expect: { exitCode: 0, output: { matches: '/VERSION=\\d+/i' } }\n",
      { output: "a\nversion=42\n" },
      [
        { check: "exitCode" },
        { outcome: "pass", expected: "matches /VERSION=\\d+/i", actual: "found" },
      ],
    ],
    [
      "regex anchored to lines with m",
      "expect: { exitCode: 0, output: { matches: '/^done$/m' } }\n",
      { output: "a\ndone\nb\n" },
      [{ check: "exitCode" }, { outcome: "pass" }],
    ],
    [
      "without m, ^ and $ are the whole output",
      "expect: { exitCode: 0, output: { matches: '/^done$/' } }\n",
      { output: "a\ndone\nb\n" },
      [{ check: "exitCode" }, { outcome: "fail", message: "output does not match /^done$/" }],
    ],
    [
      "forbidden text found, with its line",
      "expect: { exitCode: 0, output: { notMatches: [ERROR] } }\n",
      { output: "ok\nERROR: disk full\n" },
      [
        { check: "exitCode" },
        {
          check: "output.notMatches",
          outcome: "fail",
          expected: 'does not contain "ERROR"',
          actual: "found at line 2",
          message: 'output contains "ERROR" at line 2',
        },
      ],
    ],
    [
      "forbidden text absent",
      "expect: { exitCode: 0, output: { notMatches: '/traceback/i' } }\n",
      {},
      [
        { check: "exitCode" },
        {
          outcome: "pass",
          expected: "does not match /traceback/i",
          message: "output does not match /traceback/i",
        },
      ],
    ],
    [
      "notMatches on truncated output cannot be verified",
      "expect: { exitCode: 0, output: { notMatches: [ERROR] } }\n",
      { output: long, droppedBytes: 4096 },
      [
        { check: "exitCode" },
        {
          outcome: "error",
          actual: "not found in the kept output; 4096 bytes dropped",
          message:
            '"ERROR" not found in the kept output, but 4096 bytes were dropped and it may be there (output.allowTruncated: true judges the kept part only)',
        },
      ],
    ],
    [
      "notMatches on truncated output with allowTruncated",
      "expect: { exitCode: 0, output: { notMatches: [ERROR], allowTruncated: true } }\n",
      { output: long, droppedBytes: 4096 },
      [
        { check: "exitCode" },
        {
          outcome: "pass",
          message: 'output does not contain "ERROR" (in the kept part of truncated output)',
        },
      ],
    ],
    [
      "notMatches found in truncated output is a plain fail",
      "expect: { exitCode: 0, output: { notMatches: [line 3] } }\n",
      { output: long, droppedBytes: 4096 },
      [{ check: "exitCode" }, { outcome: "fail" }],
    ],
    [
      "matches missing from truncated output cannot be verified",
      "expect: { exitCode: 0, output: { matches: [deploy ok] } }\n",
      { output: long, droppedBytes: 10 },
      [{ check: "exitCode" }, { outcome: "error" }],
    ],
    [
      "matches missing from truncated output with allowTruncated fails",
      "expect: { exitCode: 0, output: { matches: [deploy ok], allowTruncated: true } }\n",
      { output: long, droppedBytes: 10 },
      [
        { check: "exitCode" },
        {
          outcome: "fail",
          message: 'output does not contain "deploy ok" (in the kept part of truncated output)',
        },
      ],
    ],
    [
      // The copy ends in "deploy ok" because TAT cut "deploy okay? no" there.
      "matches that holds only where truncated output was cut cannot be verified",
      "expect: { exitCode: 0, output: { matches: ['/^deploy ok$/m', '/ok\\b/'] } }\n",
      { output: "pulling\ndeploy ok", droppedBytes: 10 },
      [
        { check: "exitCode" },
        ...["/^deploy ok$/m", "/ok\\b/"].map((p) => ({
          outcome: "error" as const,
          actual: "found only at the cut; 10 bytes dropped",
          message: `${p} found only where TAT cut the output (10 bytes dropped): the match reaches the cut-short last line, which goes on in the full output (output.allowTruncated: true judges the kept part only)`,
        })),
      ],
    ],
    [
      "notMatches that holds only where truncated output was cut cannot be verified",
      "expect: { exitCode: 0, output: { notMatches: ['/FATAL$/m'] } }\n",
      { output: "pulling\nFATAL", droppedBytes: 10 },
      [
        { check: "exitCode" },
        { outcome: "error", actual: "found only at the cut; 10 bytes dropped" },
      ],
    ],
    [
      "an anchored match on a complete line of truncated output, or a substring at the cut, holds",
      "expect: { exitCode: 0, output: { matches: ['/^deploy ok$/m', 'ok'], notMatches: ['/^FATAL\\b/m'] } }\n",
      { output: "deploy ok\nFATAL error\nmore ok", droppedBytes: 10 },
      [{ check: "exitCode" }, { outcome: "pass" }, { outcome: "pass" }, { outcome: "fail" }],
    ],
    [
      "allowTruncated judges the kept part as it is, its cut last line too",
      "expect: { exitCode: 0, output: { matches: ['/^deploy ok$/m'], allowTruncated: true } }\n",
      { output: "pulling\ndeploy ok", droppedBytes: 10 },
      [{ check: "exitCode" }, { outcome: "pass" }],
    ],
    [
      "matches found in truncated output passes",
      "expect: { exitCode: 0, output: { matches: [line 30] } }\n",
      { output: long, droppedBytes: 10 },
      [{ check: "exitCode" }, { outcome: "pass" }],
    ],
    [
      "output not fetched",
      "expect: { exitCode: 0, output: { notMatches: [ERROR] } }\n",
      { output: undefined, outputFetched: false },
      [
        { check: "exitCode" },
        {
          outcome: "error",
          actual: "no output",
          message: 'output was not fetched: cannot check "ERROR"',
        },
      ],
    ],
    [
      "output fetched but missing",
      "expect: { exitCode: 0, output: { matches: [ok] } }\n",
      { output: undefined, outputUploadError: "AccessDenied" },
      [
        { check: "exitCode" },
        {
          outcome: "error",
          message: 'no output was reported (COS upload: AccessDenied): cannot check "ok"',
        },
      ],
    ],
    [
      "a command that never started printed nothing",
      "expect: { status: SUCCESS, output: { matches: [ok], notMatches: [ERROR] } }\n",
      { status: "DELIVER_FAILED", exitCode: undefined, output: undefined },
      [
        { check: "status", outcome: "fail" },
        { check: "output.matches", outcome: "fail", message: 'output does not contain "ok"' },
        { check: "output.notMatches", outcome: "pass" },
      ],
    ],
  ]);

  test("a mismatch carries the output's last lines, numbered", () => {
    const [, result] = results("expect: { exitCode: 0, output: { matches: [deploy ok] } }\n", {
      output: long,
    });
    expect(result?.excerpt).toBe(
      Array.from({ length: 10 }, (_, i) => ` ${21 + i} | line ${21 + i}`).join("\n"),
    );
  });

  test("a forbidden match carries the lines around it, the match marked", () => {
    const [, result] = results(
      "expect: { exitCode: 0, output: { notMatches: ['/line 1[5]/'] } }\n",
      { output: long },
    );
    expect(result?.excerpt).toBe(
      [" 13 | line 13", " 14 | line 14", ">15 | line 15", " 16 | line 16", " 17 | line 17"].join(
        "\n",
      ),
    );
  });

  test("every pattern is its own result, located at the pattern", () => {
    const got = results("expect:\n  output:\n    matches:\n      - deploy\n      - '/ok$/m'\n", {});
    expect(got.map((r) => [r.check, r.where.line, r.where.col])).toEqual([
      ["status", 3, 1],
      ["output.matches", 6, 9],
      ["output.matches", 7, 9],
    ]);
  });
});

describe("duration", () => {
  table([
    [
      "within max",
      "expect: { exitCode: 0, duration: { max: 5m } }\n",
      {},
      [
        { check: "exitCode" },
        {
          check: "duration",
          outcome: "pass",
          expected: "at most 5m",
          actual: "1m",
          message: "ran 1m",
        },
      ],
    ],
    [
      "over max",
      "expect: { exitCode: 0, duration: { max: 30s } }\n",
      {},
      [{ check: "exitCode" }, { outcome: "fail", message: "ran 1m, expected at most 30s" }],
    ],
    [
      "under min",
      "expect: { exitCode: 0, duration: { min: 2m, max: 5m } }\n",
      {},
      [
        { check: "exitCode" },
        { outcome: "fail", expected: "2m to 5m", message: "ran 1m, expected 2m to 5m" },
      ],
    ],
    [
      "no exec times on a task that ran",
      "expect: { exitCode: 0, duration: { min: 1s } }\n",
      { execEndTime: undefined },
      [
        { check: "exitCode" },
        {
          outcome: "error",
          message: "no execution start and end times reported, expected at least 1s",
        },
      ],
    ],
    [
      "no exec times because delivery failed",
      "expect: { status: DELIVER_FAILED, duration: { max: 1m } }\n",
      {
        status: "DELIVER_FAILED",
        exitCode: undefined,
        execStartTime: undefined,
        execEndTime: undefined,
      },
      [
        { check: "status", outcome: "pass" },
        {
          outcome: "fail",
          actual: "did not run",
          message:
            "the command did not run to completion (DELIVER_FAILED (delivery failed)), expected at most 1m",
        },
      ],
    ],
  ]);
});

describe("truncated", () => {
  table([
    [
      "complete output",
      "expect: { exitCode: 0, truncated: false }\n",
      {},
      [
        { check: "exitCode" },
        { check: "truncated", outcome: "pass", expected: "not truncated", actual: "not truncated" },
      ],
    ],
    [
      "dropped bytes",
      "expect: { exitCode: 0, truncated: false }\n",
      { droppedBytes: 100 },
      [
        { check: "exitCode" },
        {
          outcome: "fail",
          actual: "100 bytes dropped",
          message:
            "output truncated: 100 bytes dropped beyond what TAT keeps (24 KiB), expected no truncation",
        },
      ],
    ],
    [
      "truncation expected",
      "expect: { exitCode: 0, truncated: true }\n",
      {},
      [
        { check: "exitCode" },
        { outcome: "fail", message: "output not truncated, expected it to be" },
      ],
    ],
  ]);
});

describe("a task that is not terminal", () => {
  table([
    [
      "every check is an error that says what it was doing",
      "expect: { exitCode: 0, output: { matches: [ok] }, truncated: false }\n",
      { status: "RUNNING", terminal: false, exitCode: undefined },
      [
        {
          check: "exitCode",
          outcome: "error",
          actual: "RUNNING",
          message: "not verified: still RUNNING",
        },
        { check: "output.matches", outcome: "error", message: "not verified: still RUNNING" },
        { check: "truncated", outcome: "error", message: "not verified: still RUNNING" },
      ],
    ],
    [
      "a status this version does not know",
      "",
      { status: "HIBERNATING", terminal: false },
      [
        {
          check: "status",
          outcome: "error",
          message: "not verified: status HIBERNATING is unknown to this version of tat-assert",
        },
      ],
    ],
  ]);
});

describe("task outcome and overrides", () => {
  test("the task outcome is its worst result: error over fail over pass", () => {
    const spec = specFrom(
      "expect: { exitCode: 0, output: { matches: [ok], notMatches: [ERROR] } }\n",
    );
    const t = task({ status: "FAILED", exitCode: 1, output: "x\n", droppedBytes: 5 });
    const verdict = evaluate(spec, observation([t]));
    expect(verdict.tasks[0]?.results.map((r) => r.outcome)).toEqual(["fail", "error", "error"]);
    expect(verdict.tasks[0]?.outcome).toBe("error");
  });

  test("an override replaces expect for its instance only", () => {
    const spec = specFrom(
      "expect: { exitCode: 0, truncated: false }\noverrides:\n  ins-canary: { exitCode: [0, 3] }\n",
    );
    const canary = task({ instanceId: "ins-canary", status: "FAILED", exitCode: 3 });
    const other = task({ instanceId: "ins-other", status: "FAILED", exitCode: 3 });
    const verdict = evaluate(spec, observation([canary, other]));
    expect(verdict.tasks.map((t) => [t.instanceId, t.outcome])).toEqual([
      ["ins-canary", "pass"],
      ["ins-other", "fail"],
    ]);
    // The override's exitCode is located at the override; truncated still comes from expect.
    expect(verdict.tasks[0]?.results.map((r) => [r.check, r.where.line])).toEqual([
      ["exitCode", 5],
      ["truncated", 3],
    ]);
  });
});
