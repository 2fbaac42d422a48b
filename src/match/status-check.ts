// The status is always judged. Written statuses are the allowed ones; without them the allowed ones
// follow from exitCode (SUCCESS, plus FAILED when a non-zero code is allowed), so a task that timed
// out or was never delivered cannot slip through a spec that only names exit codes.
import type { TaskExpectations } from "../model.js";
import type { Check } from "./check.js";
import { describeStatus, whatHappened } from "./describe.js";

const EXITED = new Set(["SUCCESS", "FAILED"]);

export function statusCheck(rule: NonNullable<TaskExpectations["status"]>): Check {
  const allowed = rule.value;
  const listed = allowed.length === 1 ? (allowed[0] ?? "") : `one of ${allowed.join(", ")}`;
  const expected = rule.impliedBy
    ? `${listed} (from exitCode)`
    : rule.implied
      ? `${listed} (default)`
      : listed;
  return {
    check: "status",
    expected,
    where: rule.where,
    judge(task) {
      if (allowed.includes(task.status)) {
        return { outcome: "pass", actual: task.status, message: `status ${task.status}` };
      }
      // A status the user did not write: say what it means and how to allow it on purpose.
      const fix =
        rule.implied && !EXITED.has(task.status)
          ? `; list ${task.status} under expect.status to allow it`
          : "";
      const what = rule.implied ? whatHappened(task) : describeStatus(task);
      return {
        outcome: "fail",
        actual: task.status,
        message: `status ${what}, expected ${expected}${fix}`,
      };
    },
  };
}
