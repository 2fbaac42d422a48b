// Findings of the wire fuzzer (wire-fuzz-harness.ts), each the smallest lie that showed it, kept
// as its own regression.
import { expect, test } from "@jest/globals";
import {
  b64,
  type Case,
  CRED,
  type Json,
  type Mutation,
  runCase,
  SCENARIOS,
  type Scenario,
  withEmulators,
} from "./wire-fuzz-harness.js";

withEmulators();

/** One case of a scenario, the given lie told in every answer of the action. */
const finding = (scenario: string, action: Case["action"], mutate: Mutation) =>
  runCase(
    {
      n: 0,
      seed: 1,
      scenario: SCENARIOS.find((s) => s.name === scenario) as Scenario,
      action,
      nth: 0,
      every: true,
      mutation: "finding",
      startMs: 5000,
    },
    mutate,
  );

test("finding: a TaskStatus that is the secret key is masked where statuses are counted", async () => {
  // Reports count tasks by status in objects keyed by the status TAT sent (the progress line,
  // statusCounts); the masking walked values only, so a status became a key in the clear.
  const r = await finding("small passing", "DescribeInvocationTasks", (resp) => {
    (resp.InvocationTaskSet as Json[])[0] = {
      ...((resp.InvocationTaskSet as Json[])[0] as Json),
      TaskStatus: CRED.secretKey,
    };
    return { what: "a status that is the secret key" };
  });
  expect(r.applied.length).toBeGreaterThan(0);
  expect(r.report.exitCode).not.toBe(0);
  expect(r.out).toContain("***");
  expect(r.out).not.toContain(CRED.secretKey);
});

test("finding: a task read FAILED and then, in the answer with its output, SUCCESS is not passed", async () => {
  // The lie told only where the output is read: the status read first (DescribeInvocations' task
  // list, or a read without output) says FAILED, the record judged says SUCCESS, exit code 0 and
  // the expected output. A finished task does not change status, so the two cannot both be true.
  for (const scenario of ["small failing", "fleet failing"]) {
    const r = await finding(scenario, "DescribeInvocationTasks", (resp, _rng, { request }) => {
      if (request.HideOutput !== false) return undefined;
      const failed = (resp.InvocationTaskSet as Json[]).filter((t) => t.TaskStatus === "FAILED");
      for (const t of failed) {
        t.TaskStatus = "SUCCESS";
        t.TaskResult = { ...(t.TaskResult as Json), ExitCode: 0, Output: b64("ok\n") };
      }
      return failed.length > 0 ? { what: "the failed task forged as passed" } : undefined;
    });
    expect({ scenario, applied: r.applied.length > 0 }).toEqual({ scenario, applied: true });
    expect({ scenario, exit: r.report.exitCode }).toEqual({ scenario, exit: 3 });
    expect(r.out).toMatch(
      /DescribeInvocationTasks: the answers contradict each other: task invt-\S+ on ins-\S+ came as SUCCESS, but an earlier answer said it had ended as FAILED; a finished task does not change status/,
    );
  }
});
