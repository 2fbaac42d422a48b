// Exit codes are interface: these pin the numbers, the precedence and where each comes from.
import { describe, expect, test } from "@jest/globals";
import { EXIT, exitCodeForError, exitCodeForOutcome, worstExitCode } from "../src/exit-code.js";
import type { Observation, Spec, SpecVerdict } from "../src/model.js";
import { runReport, specReport } from "../src/summarize.js";

describe("exit codes", () => {
  test("the documented numbers", () => {
    expect(EXIT).toEqual({
      PASS: 0,
      FAIL: 1,
      INVALID: 2,
      UNVERIFIED: 3,
      API: 4,
      REPORT: 5,
      INTERNAL: 70,
    });
  });

  test.each([
    [[EXIT.PASS], EXIT.PASS],
    [[EXIT.FAIL, EXIT.PASS], EXIT.FAIL],
    [[EXIT.FAIL, EXIT.UNVERIFIED], EXIT.UNVERIFIED],
    [[EXIT.UNVERIFIED, EXIT.API], EXIT.API],
    [[EXIT.API, EXIT.INVALID], EXIT.INVALID],
    [[EXIT.INVALID, EXIT.INTERNAL], EXIT.INTERNAL],
    [[EXIT.REPORT, EXIT.PASS], EXIT.REPORT],
    [[EXIT.REPORT, EXIT.FAIL], EXIT.FAIL],
  ])("worst of %j is %i", (codes, expected) => {
    expect(worstExitCode(codes)).toBe(expected);
  });

  test("errors and outcomes map to their codes", () => {
    expect(exitCodeForError("usage")).toBe(2);
    expect(exitCodeForError("spec")).toBe(2);
    expect(exitCodeForError("unverified")).toBe(3);
    expect(exitCodeForError("api")).toBe(4);
    expect(exitCodeForError("internal")).toBe(70);
    expect(exitCodeForOutcome("pass")).toBe(0);
    expect(exitCodeForOutcome("skip")).toBe(0);
    expect(exitCodeForOutcome("fail")).toBe(1);
    expect(exitCodeForOutcome("error")).toBe(3);
  });
});

describe("the run's exit code comes from its specs", () => {
  const where = { file: "s.yml", line: 1, col: 1 };
  const spec = (name: string) =>
    ({
      name,
      file: "s.yml",
      where,
      target: { kind: "invocations", invocationIds: ["inv-aaaaaaaa"], where },
      wait: {
        timeoutMs: 1000,
        minIntervalMs: 100,
        maxIntervalMs: 100,
        notFoundGraceMs: 100,
        where,
      },
      expect: {},
      overrides: [],
      allowNoTasks: false,
    }) as Spec;
  const observation = (state: Observation["state"]): Observation => ({
    state,
    tasks: [],
    invocations: [],
    startedAt: "2026-11-28T01:00:00.000Z",
    endedAt: "2026-11-28T01:00:01.000Z",
    polls: 1,
    deadlineMs: 1000,
    statusCounts: {},
    apiErrors: [],
  });
  const verdict = (outcome: SpecVerdict["outcome"]): SpecVerdict => ({
    outcome,
    tasks: [],
    fleet: [],
  });
  const report = (...specs: [Observation["state"], SpecVerdict["outcome"]][]) =>
    runReport({
      version: "0",
      startedAt: 0,
      endedAt: 1,
      specs: specs.map(([state, outcome], i) =>
        specReport(spec(`s${i}`), observation(state), verdict(outcome)),
      ),
    });

  test.each([
    [[["terminal", "pass"]], 0],
    [
      [
        ["terminal", "pass"],
        ["terminal", "fail"],
      ],
      1,
    ],
    [
      [
        ["terminal", "fail"],
        ["timeout", "error"],
      ],
      3,
    ],
    [
      [
        ["terminal", "fail"],
        ["api-error", "error"],
      ],
      4,
    ],
    [[["skipped", "skip"]], 0],
  ] as [[Observation["state"], SpecVerdict["outcome"]][], number][])("%j → %i", (specs, code) => {
    expect(report(...specs).exitCode).toBe(code);
  });
});
