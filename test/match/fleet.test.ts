// Spec-level results: tasks matched, coverage, quorum, the wait, skip; and how they combine with
// task outcomes into the spec's outcome.
import { describe, expect, test } from "@jest/globals";
import { evaluate } from "../../src/match/evaluate.js";
import type { AssertionResult, Observation, Spec, TaskObservation } from "../../src/model.js";
import { observation, specFrom, task } from "./helpers.js";

const fleet = (spec: Spec, obs: Observation) =>
  evaluate(spec, obs).fleet.map(({ check, outcome, message }) => ({ check, outcome, message }));

const ok = (instanceId: string, more: Partial<TaskObservation> = {}) =>
  task({ instanceId, ...more });
const failed = (instanceId: string) => task({ instanceId, status: "FAILED", exitCode: 1 });

describe("tasks matched", () => {
  test("some tasks: pass", () => {
    expect(fleet(specFrom(), observation([ok("ins-a"), ok("ins-b")]))).toEqual([
      { check: "tasks", outcome: "pass", message: "2 tasks matched the target" },
    ]);
  });

  test("zero tasks never passes by default", () => {
    const verdict = evaluate(specFrom(), observation([]));
    expect(verdict.outcome).toBe("fail");
    expect(verdict.fleet[0]).toMatchObject({
      check: "tasks",
      outcome: "fail",
      expected: "at least one task",
      actual: "0 tasks",
      message: "no task matched the target; set allowNoTasks: true if that is expected",
      where: { line: 2, col: 1 },
    });
  });

  test("zero tasks passes with allowNoTasks", () => {
    const verdict = evaluate(specFrom("allowNoTasks: true\n"), observation([]));
    expect(verdict.outcome).toBe("pass");
    expect(verdict.fleet[0]?.message).toBe("no task matched the target (allowed by allowNoTasks)");
  });

  test("zero tasks because the target was never found is an error even with allowNoTasks", () => {
    const verdict = evaluate(
      specFrom("allowNoTasks: true\n"),
      observation([], { state: "not-found", reason: "InvalidParameterValue.InvocationNotFound" }),
    );
    expect(verdict.outcome).toBe("error");
    expect(verdict.fleet.map((r) => [r.check, r.outcome])).toEqual([
      ["tasks", "error"],
      ["wait", "error"],
    ]);
  });
});

describe("coverage", () => {
  const coverage = (body: string, tasks: TaskObservation[], more: Partial<Observation> = {}) =>
    evaluate(specFrom(body), observation(tasks, more)).fleet.find((r) => r.check === "coverage");

  test.each<[string, string, TaskObservation[], Partial<AssertionResult>]>([
    [
      "exactly, all there",
      "instances: { exactly: [ins-a, ins-b] }\n",
      [ok("ins-a"), ok("ins-b")],
      {
        outcome: "pass",
        message: "2 instances covered",
        expected: "exactly ins-a, ins-b",
        actual: "ins-a, ins-b",
      },
    ],
    [
      "exactly, one missing",
      "instances: { exactly: [ins-a, ins-b, ins-c] }\n",
      [ok("ins-a"), ok("ins-b")],
      { outcome: "fail", message: "no task on ins-c" },
    ],
    [
      "exactly, one extra",
      "instances: { exactly: [ins-a] }\n",
      [ok("ins-a"), ok("ins-z")],
      { outcome: "fail", message: "unexpected task on ins-z" },
    ],
    [
      "exactly, both",
      "instances: { exactly: [ins-a, ins-b] }\n",
      [ok("ins-a"), ok("ins-z")],
      { outcome: "fail", message: "no task on ins-b; unexpected task on ins-z" },
    ],
    [
      "include allows others",
      "instances: { include: [ins-a] }\n",
      [ok("ins-a"), ok("ins-z")],
      { outcome: "pass" },
    ],
    [
      "include, missing",
      "instances: { include: [ins-a, ins-b] }\n",
      [ok("ins-z")],
      { outcome: "fail", message: "no task on ins-a, ins-b" },
    ],
    [
      "count",
      "instances: { count: 3 }\n",
      [ok("ins-a"), ok("ins-b")],
      { outcome: "fail", message: "2 instances, expected 3", expected: "3 instances" },
    ],
    [
      "count counts distinct instances",
      "instances: { count: 1 }\n",
      [ok("ins-a"), ok("ins-a")],
      { outcome: "pass", message: "1 instance covered" },
    ],
    [
      "min",
      "instances: { min: 2 }\n",
      [ok("ins-a")],
      { outcome: "fail", message: "1 instance, expected at least 2" },
    ],
    [
      "include and min",
      "instances: { include: [ins-a], min: 2 }\n",
      [ok("ins-a"), ok("ins-b")],
      { outcome: "pass", expected: "including ins-a; at least 2 instances" },
    ],
  ])("%s", (_name, body, tasks, expected) => {
    expect(coverage(body, tasks)).toMatchObject(expected);
  });

  test("a long list of missing instances is capped", () => {
    const ids = Array.from({ length: 8 }, (_, i) => `ins-${i}`);
    const result = coverage(`instances: { exactly: [${ids.join(", ")}] }\n`, [ok("ins-0")]);
    expect(result?.message).toBe("no task on ins-1, ins-2, ins-3, ins-4, ins-5 and 2 more");
  });

  test("when the target was never seen, a missing instance cannot be judged", () => {
    expect(coverage("instances: { exactly: [ins-a] }\n", [], { state: "not-found" })).toMatchObject(
      {
        outcome: "error",
        message: "not verified: the target was not seen (not-found)",
      },
    );
  });

  test("coverage is located at the instances key", () => {
    expect(coverage("instances: { min: 1 }\n", [ok("ins-a")])?.where).toEqual({
      file: "spec.yml",
      line: 3,
      col: 1,
    });
  });
});

describe("quorum", () => {
  const tasks = (pass: number, fail: number, running = 0) => [
    ...Array.from({ length: pass }, (_, i) => ok(`ins-p${i}`)),
    ...Array.from({ length: fail }, (_, i) => failed(`ins-f${i}`)),
    ...Array.from({ length: running }, (_, i) =>
      task({ instanceId: `ins-r${i}`, status: "RUNNING", terminal: false, exitCode: undefined }),
    ),
  ];

  test("failing tasks do not fail the spec while the ratio holds, and stay failed", () => {
    const verdict = evaluate(
      specFrom("quorum: { minPassRatio: 0.9 }\n"),
      observation(tasks(19, 1)),
    );
    expect(verdict.outcome).toBe("pass");
    expect(verdict.tasks.filter((t) => t.outcome === "fail")).toHaveLength(1);
    expect(verdict.fleet[1]).toMatchObject({
      check: "quorum",
      outcome: "pass",
      expected: "at least 90% of tasks pass",
      actual: "19 of 20 passed, 1 failed",
      message:
        "19 of 20 tasks passed (95%, at least 90% required); quorum holds, so the task that did not pass does not fail the spec",
    });
  });

  test("below the ratio the quorum fails the spec", () => {
    const verdict = evaluate(
      specFrom("quorum: { minPassRatio: 0.95 }\n"),
      observation(tasks(18, 2)),
    );
    expect(verdict.outcome).toBe("fail");
    expect(verdict.fleet[1]?.message).toBe("18 of 20 tasks passed (90%, at least 95% required)");
  });

  test("a displayed ratio never rounds up to the requirement", () => {
    const verdict = evaluate(
      specFrom("quorum: { minPassRatio: 0.95 }\n"),
      observation(tasks(1899, 101)),
    );
    expect(verdict.outcome).toBe("fail");
    expect(verdict.fleet[1]?.message).toContain("(94.9%, at least 95% required)");
  });

  test("maxFailures", () => {
    const spec = specFrom("quorum: { maxFailures: 1 }\n");
    expect(evaluate(spec, observation(tasks(5, 1))).outcome).toBe("pass");
    const two = evaluate(spec, observation(tasks(5, 2)));
    expect(two.outcome).toBe("fail");
    expect(two.fleet[1]?.message).toBe("2 tasks did not pass (at most 1 allowed)");
  });

  test("both rules must hold", () => {
    const spec = specFrom("quorum: { minPassRatio: 0.5, maxFailures: 0 }\n");
    const verdict = evaluate(spec, observation(tasks(9, 1)));
    expect(verdict.fleet[1]).toMatchObject({
      outcome: "fail",
      expected: "at least 50% of tasks pass; at most 0 tasks fail",
    });
  });

  test("unverified tasks count against the quorum; when they decide it, it is an error", () => {
    // Terminal wait, but two tasks could not be verified (output missing).
    const spec = specFrom("expect: { output: { matches: ok } }\nquorum: { minPassRatio: 0.9 }\n");
    const unverified = (id: string) => task({ instanceId: id, output: undefined });
    const decided = evaluate(
      spec,
      observation([...tasks(17, 1), unverified("ins-u1"), unverified("ins-u2")]),
    );
    expect(decided.fleet[1]).toMatchObject({
      outcome: "error",
      actual: "17 of 20 passed, 1 failed, 2 not verified",
      message: "17 of 20 tasks passed (85%, at least 90% required); 2 unverified tasks decide it",
    });
    const regardless = evaluate(spec, observation([...tasks(19, 0), unverified("ins-u1")]));
    expect(regardless.fleet[1]?.outcome).toBe("pass");
    expect(regardless.outcome).toBe("pass");
  });

  test("a quorum never turns an unfinished wait into a pass", () => {
    const verdict = evaluate(
      specFrom("quorum: { minPassRatio: 0.5 }\n"),
      observation(tasks(9, 0, 1), { state: "timeout" }),
    );
    expect(verdict.fleet.find((r) => r.check === "quorum")?.outcome).toBe("pass");
    expect(verdict.outcome).toBe("error");
  });

  test("with no tasks the quorum leaves the verdict to the tasks check", () => {
    const verdict = evaluate(specFrom("quorum: { maxFailures: 0 }\n"), observation([]));
    expect(verdict.fleet.map((r) => [r.check, r.outcome])).toEqual([
      ["tasks", "fail"],
      ["quorum", "pass"],
    ]);
    expect(verdict.outcome).toBe("fail");
  });
});

describe("the wait", () => {
  const running = (id: string, status = "RUNNING") =>
    task({ instanceId: id, status, terminal: false, exitCode: undefined });

  test("a timeout says what was seen, where, for how long, and when the last poll was", () => {
    const tasks = [ok("ins-a"), running("ins-b"), running("ins-c", "PENDING")];
    const verdict = evaluate(
      specFrom("wait: { timeout: 4m }\n"),
      observation(tasks, { state: "timeout", deadlineMs: 240_000 }),
    );
    expect(verdict.outcome).toBe("error");
    expect(verdict.fleet.find((r) => r.check === "wait")).toEqual({
      check: "wait",
      outcome: "error",
      expected: "every task terminal within 4m",
      actual: "timeout",
      message:
        "timed out after 4m30s; 2 of 3 tasks not terminal on ins-b, ins-c (1 PENDING, 1 RUNNING, 1 SUCCESS); 14 polls, last at 2026-01-01T12:04:29.000Z",
      where: { file: "spec.yml", line: 3, col: 1 },
    });
    expect(verdict.tasks.map((t) => t.outcome)).toEqual(["pass", "error", "error"]);
  });

  test("many unfinished instances are capped", () => {
    const tasks = Array.from({ length: 12 }, (_, i) => running(`ins-${i}`));
    const verdict = evaluate(specFrom(), observation(tasks, { state: "timeout" }));
    expect(verdict.fleet.find((r) => r.check === "wait")?.message).toContain(
      "12 of 12 tasks not terminal on ins-0, ins-1, ins-2, ins-3, ins-4 and 7 more (12 RUNNING)",
    );
  });

  test.each<[Observation["state"], string | undefined, string]>([
    [
      "aborted",
      "SIGINT",
      "aborted after 4m30s (SIGINT); 1 of 1 task not terminal on ins-a (1 RUNNING); 14 polls, last at 2026-01-01T12:04:29.000Z",
    ],
    [
      "api-error",
      "AuthFailure.SignatureExpire (RequestId r-1)",
      "stopped by an API error after 4m30s (AuthFailure.SignatureExpire (RequestId r-1)); 1 of 1 task not terminal on ins-a (1 RUNNING); 14 polls, last at 2026-01-01T12:04:29.000Z",
    ],
  ])("%s", (state, reason, message) => {
    const verdict = evaluate(
      specFrom(),
      observation([running("ins-a")], { state, ...(reason && { reason }) }),
    );
    expect(verdict.fleet.find((r) => r.check === "wait")?.message).toBe(message);
  });

  test("not found: no tasks, so only the reason and the polls", () => {
    const verdict = evaluate(
      specFrom(),
      observation([], {
        state: "not-found",
        reason: "invocation inv-abcd1234 not found",
        endedAt: "2026-01-01T12:00:30.000Z",
        polls: 6,
        lastPollAt: undefined,
      }),
    );
    expect(verdict.fleet.find((r) => r.check === "wait")?.message).toBe(
      "target not found after 30s (invocation inv-abcd1234 not found); 6 polls",
    );
  });

  test("a terminal wait adds no wait result", () => {
    expect(evaluate(specFrom(), observation([ok("ins-a")])).fleet.map((r) => r.check)).toEqual([
      "tasks",
    ]);
  });
});

describe("skip and the spec outcome", () => {
  test("a skipped spec is skip, with its reason, and judges nothing", () => {
    const verdict = evaluate(
      specFrom("skip: pool is being rebuilt\n"),
      observation([failed("ins-a")]),
    );
    expect(verdict).toEqual({
      outcome: "skip",
      tasks: [],
      fleet: [
        {
          check: "tasks",
          outcome: "skip",
          expected: "not checked",
          actual: "not polled",
          message: "skipped: pool is being rebuilt",
          where: { file: "spec.yml", line: 3, col: 1 },
        },
      ],
    });
  });

  test("an observation marked skipped is skip too", () => {
    expect(evaluate(specFrom(), observation([], { state: "skipped" })).outcome).toBe("skip");
  });

  test.each<[string, TaskObservation[], string]>([
    ["all pass", [ok("ins-a"), ok("ins-b")], "pass"],
    ["one fails", [ok("ins-a"), failed("ins-b")], "fail"],
    [
      "fail and error: error wins",
      [failed("ins-a"), task({ instanceId: "ins-b", output: undefined })],
      "error",
    ],
  ])("%s → %s", (_name, tasks, outcome) => {
    const spec = specFrom("expect: { exitCode: 0, output: { notMatches: [ERROR] } }\n");
    expect(evaluate(spec, observation(tasks)).outcome).toBe(outcome);
  });

  test("evaluate is pure: same input, same verdict, input untouched", () => {
    const spec = specFrom("instances: { exactly: [ins-a, ins-b] }\nquorum: { maxFailures: 1 }\n");
    const obs = observation([ok("ins-a"), failed("ins-b")]);
    const before = JSON.stringify({ spec, obs });
    const first = evaluate(spec, obs);
    expect(evaluate(spec, obs)).toEqual(first);
    expect(JSON.stringify({ spec, obs })).toBe(before);
  });
});
