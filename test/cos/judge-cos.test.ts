// How output checks and `truncated` judge a task whose full log came from COS, or whose COS read
// failed: through evaluate() with specs in the real format, so the whole judging path is tested.
import { describe, expect, test } from "@jest/globals";
import { evaluate } from "../../src/match/evaluate.js";
import type { AssertionResult, TaskObservation } from "../../src/model.js";
import { observation, specFrom, task } from "../match/helpers.js";

const FULL = `${"step ok\n".repeat(4096)}ERROR: migration 42 failed\n${"tail ok\n".repeat(10)}`;
const KEPT = FULL.slice(0, 24 * 1024);
const DROPPED = FULL.length - KEPT.length;
const COS_403 = "COS object logs-1250000000/x.log: HTTP 403 AccessDenied (Access Denied.)";

function results(body: string, fields: Partial<TaskObservation>): AssertionResult[] {
  const verdict = evaluate(specFrom(body), observation([task(fields)]));
  return verdict.tasks[0]?.results ?? [];
}
const one = (body: string, fields: Partial<TaskObservation>) => {
  // The implied `status: SUCCESS` is judged too; the check under test is the other one.
  const r = results(body, fields).filter((x) => x.check !== "status");
  expect(r).toHaveLength(1);
  return r[0] as AssertionResult;
};

describe("output read in full from COS", () => {
  const fromCos = { output: FULL, outputSource: "cos" as const, droppedBytes: DROPPED };

  test("notMatches fails at the line of the full log, saying it was read from COS", () => {
    const r = one("expect:\n  output: { notMatches: ERROR }\n", fromCos);
    expect(r).toMatchObject({ outcome: "fail", actual: "found at line 4097" });
    expect(r.message).toBe('output contains "ERROR" at line 4097 (full output read from COS)');
  });

  test("a clean full log passes notMatches although TAT dropped bytes", () => {
    const clean = FULL.replace("ERROR", "fine!");
    const r = one("expect:\n  output: { notMatches: ERROR }\n", { ...fromCos, output: clean });
    expect(r).toMatchObject({ outcome: "pass" });
    expect(r.message).toMatch(/full output read from COS/);
  });

  test("truncated: false still judges TAT's own copy", () => {
    const r = one("expect:\n  truncated: false\n", fromCos);
    expect(r).toMatchObject({ outcome: "fail", actual: `${DROPPED} bytes dropped` });
  });
});

describe("COS needed but not read", () => {
  const failed = { output: KEPT, droppedBytes: DROPPED, outputCosError: COS_403 };

  test("a pattern not in TAT's copy cannot be verified, naming the COS error", () => {
    const r = one("expect:\n  output: { notMatches: ERROR }\n", failed);
    expect(r.outcome).toBe("error");
    expect(r.message).toContain("HTTP 403 AccessDenied");
  });

  test("allowTruncated does not turn a failed COS read into a pass", () => {
    const r = one("expect:\n  output: { notMatches: ERROR, allowTruncated: true }\n", failed);
    expect(r.outcome).toBe("error");
  });

  test("a pattern required and found in TAT's copy is still not a pass", () => {
    const r = one("expect:\n  output: { matches: step ok }\n", failed);
    expect(r.outcome).toBe("error");
    expect(r.actual).toMatch(/found in TAT's copy/);
  });

  test("a forbidden pattern in TAT's kept part is a fail even so", () => {
    const r = one("expect:\n  output: { notMatches: step }\n", failed);
    expect(r.outcome).toBe("fail");
    expect(r.message).toMatch(/at line 1 \(in TAT's kept part; .*403 AccessDenied/);
  });

  test("a task that never started printed nothing: COS is not needed for that", () => {
    const r = results("expect:\n  status: DELIVER_FAILED\n  output: { notMatches: ERROR }\n", {
      status: "DELIVER_FAILED",
      output: undefined,
      droppedBytes: 0,
      outputCosError: "no full output in COS (OutputUrl is empty)",
    });
    expect(r.map((x) => [x.check, x.outcome])).toEqual([
      ["status", "pass"],
      ["output.notMatches", "pass"],
    ]);
  });
});
