// One expectation, ready to judge a task. Each check module builds these from the spec; task.ts
// runs them, so "not terminal" and overrides are handled once, not in every check.
import type { AssertionResult, CheckName, SourceLocation, TaskObservation } from "../model.js";

export type Judgement = Pick<
  AssertionResult,
  "outcome" | "actual" | "message" | "excerpt" | "found"
>;

export interface Check {
  check: CheckName;
  /** What held would look like, e.g. "0" or "contains \"deploy ok\"". */
  expected: string;
  where: SourceLocation;
  /** Judge a terminal task. */
  judge(task: TaskObservation): Judgement;
  /** `notMatches` with expect.output.failEarly, when the pattern can be decided on a prefix
   * (prefix-rule.ts): judges the complete lines of a running task's output, each of its possible
   * readings (partial-output.ts). A hit is a failed Judgement; anything else is undefined (no
   * verdict yet: the final record decides). */
  early?(texts: readonly string[]): Judgement | undefined;
}

export function toResult(check: Check, judgement: Judgement): AssertionResult {
  const result: AssertionResult = {
    check: check.check,
    outcome: judgement.outcome,
    expected: check.expected,
    actual: judgement.actual,
    message: judgement.message,
    where: check.where,
  };
  if (judgement.excerpt !== undefined) result.excerpt = judgement.excerpt;
  if (judgement.found !== undefined) result.found = judgement.found;
  return result;
}
