// After a fail-fast stop, what was not waited for is skipped: never an error (exit 3) and never a pass.
import { describe, expect, test } from "@jest/globals";
import { evaluate } from "../../src/match/evaluate.js";
import type { Observation, Spec } from "../../src/model.js";
import { parseSpecs } from "../../src/spec/load.js";

const specOf = (extra: string): Spec => {
  const { specs, issues } = parseSpecs(
    `version: 1\nname: other\ntarget: { invocationId: inv-aaaaaaaa }\n${extra}`,
    "s.yml",
    { env: {} },
  );
  expect(issues).toEqual([]);
  return specs[0] as Spec;
};

const stopped = (tasks: Observation["tasks"]): Observation => ({
  state: "stopped",
  tasks,
  invocations: [],
  startedAt: "2026-11-28T01:00:00.000Z",
  endedAt: "2026-11-28T01:00:05.000Z",
  polls: 3,
  deadlineMs: 600_000,
  statusCounts: {},
  apiErrors: [],
  reason: "fail-fast: ins-x failed (in spec canary)",
});

const running = {
  invocationId: "inv-aaaaaaaa",
  taskId: "invt-aaaaaaaa",
  instanceId: "ins-aaaaaaaa",
  status: "RUNNING",
  terminal: false,
  outputFetched: false,
  droppedBytes: 0,
  history: [],
};

describe("a spec stopped by fail-fast", () => {
  test.each([
    ["with a quorum", "quorum: { minPassRatio: 1 }\n"],
    ["with exact coverage", "instances: { exactly: [ins-aaaaaaaa, ins-bbbbbbbb] }\n"],
    ["with nothing else", ""],
  ])("%s reads skip", (_name, extra) => {
    const verdict = evaluate(specOf(extra), stopped([running]));
    expect(verdict.outcome).toBe("skip");
    expect(
      [...verdict.fleet, ...verdict.tasks.flatMap((t) => t.results)].map((r) => r.outcome),
    ).not.toContain("error");
  });

  test("before any task was seen, it reads skip", () => {
    expect(evaluate(specOf(""), stopped([])).outcome).toBe("skip");
  });

  test("a task that failed still fails it", () => {
    const failed = { ...running, status: "FAILED", terminal: true, exitCode: 1 };
    expect(evaluate(specOf("expect: { exitCode: 0 }\n"), stopped([failed])).outcome).toBe("fail");
  });
});
