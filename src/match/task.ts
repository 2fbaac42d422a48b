// One task against one set of expectations. A task that is not terminal cannot be judged on
// anything: every check is an error that says what it was still doing.
import type {
  AssertionResult,
  Outcome,
  TaskExpectations,
  TaskObservation,
  TaskVerdict,
} from "../model.js";
import { isTaskStatus } from "../tat/task-status.js";
import { type Check, type Judgement, toResult } from "./check.js";
import { statusContradiction } from "./describe.js";
import { durationCheck } from "./duration-check.js";
import { exitCodeCheck } from "./exit-code-check.js";
import { jsonChecks } from "./json/check.js";
import { worst2 } from "./outcome.js";
import { outputChecks } from "./output-check.js";
import type { SharedResults } from "./shared-results.js";
import { statusCheck } from "./status-check.js";
import { truncatedCheck } from "./truncated-check.js";

/** Built once per expectations set, then run on every task it applies to. `explain`: output
 * checks that pass also say where (see outputChecks). */
export function buildChecks(expect: TaskExpectations, o: { explain?: boolean } = {}): Check[] {
  const checks: Check[] = [];
  // Statuses implied by exitCode are judged with the exit code, so a failed host is one finding.
  if (expect.status && !(expect.status.impliedBy && expect.exitCode)) {
    checks.push(statusCheck(expect.status));
  }
  if (expect.exitCode) checks.push(exitCodeCheck(expect.exitCode, expect.status));
  if (expect.output)
    checks.push(...outputChecks(expect.output, { locateMatches: o.explain ?? false }));
  if (expect.output?.json) checks.push(...jsonChecks(expect.output.json));
  if (expect.duration) checks.push(durationCheck(expect.duration));
  if (expect.truncated) checks.push(truncatedCheck(expect.truncated));
  return checks;
}

/** The checks that read the status or the exit code: unverifiable when the two contradict. */
const READS_STATUS = new Set(["status", "exitCode"]);

export function judgeTask(
  task: TaskObservation,
  checks: readonly Check[],
  unfinished: "error" | "skip" = "error",
  shared?: SharedResults,
): TaskVerdict {
  const contradiction = task.terminal ? statusContradiction(task) : undefined;
  let outcome: Outcome | undefined;
  // A loop rather than map(): nothing allocated per task but the results themselves.
  const results = new Array<AssertionResult>(checks.length);
  for (let position = 0; position < checks.length; position++) {
    const check = checks[position] as Check;
    const judgement: Judgement = !task.terminal
      ? {
          outcome: unfinished,
          actual: task.status,
          message: notVerified(task.status, unfinished),
        }
      : contradiction && READS_STATUS.has(check.check)
        ? {
            outcome: "error",
            actual: `${task.status} with exit code ${task.exitCode}`,
            message: `could not verify: ${contradiction}`,
          }
        : check.judge(task);
    const result = shared ? shared.result(position, check, judgement) : toResult(check, judgement);
    outcome = outcome === undefined ? result.outcome : worst2(outcome, result.outcome);
    results[position] = result;
  }
  return {
    taskId: task.taskId,
    instanceId: task.instanceId,
    outcome: outcome ?? "pass",
    results,
  };
}

function notVerified(status: string, unfinished: "error" | "skip"): string {
  if (unfinished === "skip") return `not waited for (fail-fast): still ${status}`;
  return isTaskStatus(status)
    ? `not verified: still ${status}`
    : `not verified: status ${status} is unknown to this version of tat-assert`;
}
