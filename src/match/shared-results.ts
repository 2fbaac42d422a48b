// One object for each distinct plain result ("exit code 0", "output contains …"), made once and
// handed to every task whose check says the same: in a fleet most tasks pass the same way, and a
// result per task was a third of what a run kept (about 1 KB a task) and most of what judging a
// passing task allocated. Results with an excerpt or a found line are the task's own and are never
// shared. Shared results are never changed once made (SpecTally replaces a result, never edits it).
//
// Candidates are kept per position in a task's results (each position is one check of the spec),
// at most SHARED_RESULTS each, so a judgement is compared with a few results, never looked up by a
// key, and a run of varied results cannot grow this.
import type { AssertionResult } from "../model.js";
import { type Check, type Judgement, toResult } from "./check.js";

/** Distinct plain results kept for sharing, per check of a spec. */
export const SHARED_RESULTS = 4;

export class SharedResults {
  private readonly byPosition: AssertionResult[][] = [];
  // Per position, the last frozen judgement seen, its check and the result given for it. Checks
  // hand every task that passes the same frozen judgement object (exit-code-check.ts,
  // output-check.ts), so most results are found by two comparisons instead of field by field.
  // Frozen only: a judgement object that could change must not be known by its identity.
  private readonly lastCheck: (Check | undefined)[] = [];
  private readonly lastJudgement: (Judgement | undefined)[] = [];
  private readonly lastResult: (AssertionResult | undefined)[] = [];

  /** The result of `check`'s `judgement` at `position`: a shared one when it says the same. */
  result(position: number, check: Check, judgement: Judgement): AssertionResult {
    if (this.lastJudgement[position] === judgement && this.lastCheck[position] === check) {
      return this.lastResult[position] as AssertionResult;
    }
    if (judgement.excerpt !== undefined || judgement.found !== undefined) {
      return toResult(check, judgement);
    }
    const result = this.sharedResult(position, check, judgement);
    if (Object.isFrozen(judgement)) {
      this.lastCheck[position] = check;
      this.lastJudgement[position] = judgement;
      this.lastResult[position] = result;
    }
    return result;
  }

  private sharedResult(position: number, check: Check, judgement: Judgement): AssertionResult {
    let candidates = this.byPosition[position];
    if (!candidates) {
      candidates = [];
      this.byPosition[position] = candidates;
    }
    for (let i = 0; i < candidates.length; i++) {
      const same = candidates[i] as AssertionResult;
      if (says(same, check, judgement)) return same;
    }
    const result = toResult(check, judgement);
    if (candidates.length < SHARED_RESULTS) candidates.push(result);
    return result;
  }
}

/** Whether `result` is what toResult(check, judgement) would make, for a judgement with neither
 * excerpt nor found. How each field of AssertionResult is compared is listed in COMPARED below, so
 * a field added to it is a type error until it is placed. */
function says(result: AssertionResult, check: Check, judgement: Judgement): boolean {
  return (
    result.check === check.check &&
    result.expected === check.expected &&
    (result.where === check.where ||
      (result.where.file === check.where.file &&
        result.where.line === check.where.line &&
        result.where.col === check.where.col)) &&
    result.outcome === judgement.outcome &&
    result.actual === judgement.actual &&
    result.message === judgement.message
  );
}

/** Each field of a result, and how a shared candidate is known to match it. */
const COMPARED: Record<keyof AssertionResult, string> = {
  check: "compared",
  expected: "compared",
  where: "compared",
  outcome: "compared",
  actual: "compared",
  message: "compared",
  excerpt: "absent: results with one are not shared",
  found: "absent: results with one are not shared",
  seenWhileRunningAt: "absent: set only on results made for an early hit, never shared",
};
void COMPARED;
