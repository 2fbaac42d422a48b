// Findings of the wire fuzzer (wire-fuzz-harness.ts), each the smallest lie that showed it, kept
// as its own regression.
import { expect, test } from "@jest/globals";
import {
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
