// needs: how a dependent reads a needed spec's captures, and when it is not judged at all.
import { describe, expect, test } from "@jest/globals";
import { keptValue } from "../../src/match/capture.js";
import { captureScope } from "../../src/match/capture-scope.js";
import { blockedVerdict } from "../../src/match/needs-check.js";
import type { TaskVerdict } from "../../src/model.js";
import { specFrom } from "./helpers.js";

const verdict = (instanceId: string, version?: string): TaskVerdict => ({
  taskId: `invt-${instanceId}`,
  instanceId,
  outcome: "pass",
  results: [],
  ...(version !== undefined && { captures: { version } }),
});
const scopeOf = (...tasks: TaskVerdict[]) =>
  captureScope(new Map([["version", "deploy"]]), new Map([["deploy", tasks]]));

describe("captureScope", () => {
  test("this instance's value first", () => {
    const s = scopeOf(verdict("ins-a", "1"), verdict("ins-b", "2"));
    expect(s.resolve("version", "ins-b")).toEqual({ value: "2" });
  });

  test("else the one value the whole needed spec captured", () => {
    const s = scopeOf(verdict("ins-a", "1"), verdict("ins-b", "1"), verdict("ins-c"));
    expect(s.resolve("version", "ins-z")).toEqual({ value: "1" });
    expect(s.resolve("version", "ins-c")).toEqual({ value: "1" });
  });

  test("several values and none on this instance: not clear which, said so", () => {
    const s = scopeOf(verdict("ins-a", "1"), verdict("ins-b", "2"));
    expect(s.resolve("version", "ins-z")).toEqual({
      problem:
        "ins-z has no version in spec deploy, which captured 2 distinct values: which one is meant is not clear",
    });
  });

  test("an instance with two tasks that disagree; nothing captured; a value only its digest", () => {
    expect(
      scopeOf(verdict("ins-a", "1"), { ...verdict("ins-a", "2"), taskId: "invt-2" }).resolve(
        "version",
        "ins-a",
      ),
    ).toEqual({ problem: "ins-a captured several values of version in spec deploy" });
    expect(scopeOf(verdict("ins-a")).resolve("version", "ins-a")).toEqual({
      problem: "no task of spec deploy captured version",
    });
    const long = keptValue("x".repeat(500));
    expect(scopeOf(verdict("ins-a", long)).resolve("version", "ins-a")).toEqual({
      problem: "version from spec deploy is longer than is kept, so it cannot be matched",
    });
  });
});

describe("blockedVerdict", () => {
  const smoke = specFrom("name: smoke\nneeds: deploy\n");

  test("every need passed: judged as usual", () => {
    expect(
      blockedVerdict(smoke, [{ name: "deploy", outcome: "pass", skippedOnPurpose: false }], false),
    ).toBeUndefined();
  });

  test("a need failed or could not be verified: skipped (the run fails because of the need)", () => {
    for (const outcome of ["fail", "error"] as const) {
      const v = blockedVerdict(
        smoke,
        [{ name: "deploy", outcome, skippedOnPurpose: false }],
        false,
      );
      expect(v?.outcome).toBe("skip");
      expect(v?.tasks).toEqual([]);
      expect(v?.fleet[0]).toMatchObject({ check: "needs", outcome: "skip", where: { line: 4 } });
    }
  });

  test("a need skipped on purpose: could not verify, never a silent pass", () => {
    const v = blockedVerdict(
      smoke,
      [{ name: "deploy", outcome: "skip", skippedOnPurpose: true }],
      false,
    );
    expect(v?.outcome).toBe("error");
    expect(v?.fleet[0]?.message).toContain("needs deploy, which was skipped");
  });

  test("a need not checked because --fail-fast stopped the run: skipped", () => {
    const v = blockedVerdict(
      smoke,
      [{ name: "deploy", outcome: "skip", skippedOnPurpose: false }],
      true,
    );
    expect(v?.outcome).toBe("skip");
    expect(v?.fleet[0]?.message).toBe("not checked: needs deploy was not checked (stopped early)");
  });
});
