// One task judged with captures: the capture checks run first and keep their values, then the
// plain checks, then the patterns that read `${capture.…}` with this task's values (or a needed
// spec's). Without captures it is exactly judgeTask.
import type { TaskExpectations, TaskObservation, TaskVerdict } from "../model.js";
import { type CaptureCheck, captureChecks } from "./capture.js";
import {
  type CapturePatternCheck,
  capturePatternChecks,
  withoutCapturePatterns,
} from "./capture-patterns.js";
import type { CaptureScope } from "./capture-scope.js";
import type { Check } from "./check.js";
import type { SharedResults } from "./shared-results.js";
import { buildChecks, judgeTask } from "./task.js";

export interface JudgePlan {
  captures: CaptureCheck[];
  checks: Check[];
  patterns: CapturePatternCheck[];
}

export function buildPlan(
  expect: TaskExpectations,
  scope?: CaptureScope,
  o: { explain?: boolean } = {},
): JudgePlan {
  return {
    captures: captureChecks(expect.capture ?? [], expect.output?.allowTruncated?.value ?? false),
    checks: buildChecks(withoutCapturePatterns(expect), o),
    patterns: capturePatternChecks(expect, scope),
  };
}

export function judgeWithPlan(
  task: TaskObservation,
  plan: JudgePlan,
  unfinished: "error" | "skip" = "error",
  shared?: SharedResults,
): TaskVerdict {
  if (plan.captures.length === 0 && plan.patterns.length === 0) {
    return judgeTask(task, plan.checks, unfinished, shared);
  }
  // By capture name, which the spec chooses: no prototype for a name to land on.
  const values: Record<string, string> = Object.create(null);
  const raws: Record<string, string> = Object.create(null);
  const captures: Check[] = plan.captures.map((c) => ({
    check: c.check,
    expected: c.expected,
    where: c.where,
    judge(t) {
      const taken = c.take(t);
      if (taken.value !== undefined && taken.raw !== undefined) {
        values[c.name] = taken.value;
        raws[c.name] = taken.raw;
      }
      return taken.judgement;
    },
  }));
  const patterns: Check[] = plan.patterns.map((p) => ({
    check: p.check,
    expected: p.expected,
    where: p.where,
    judge: (t) => p.judgeWith(t, raws),
  }));
  // judgeTask runs the checks in order: the captures' values are known to the patterns after them.
  const verdict = judgeTask(task, [...captures, ...plan.checks, ...patterns], unfinished, shared);
  if (Object.keys(values).length > 0) verdict.captures = values;
  return verdict;
}
