// The status is always judged. Written statuses are the allowed ones; with neither status nor
// exitCode, SUCCESS (statuses implied by exitCode are judged by exit-code-check.ts). A default
// that does not hold says what the status means and how to allow it on purpose.
import type { TaskExpectations } from "../model.js";
import type { Check } from "./check.js";
import { describeStatus, exitsOnItsOwn, whatHappened } from "./describe.js";

export function statusCheck(rule: NonNullable<TaskExpectations["status"]>): Check {
  const allowed = rule.value;
  const listed = allowed.length === 1 ? (allowed[0] ?? "") : `one of ${allowed.join(", ")}`;
  const expected = rule.impliedBy
    ? `${listed} (from exitCode)`
    : rule.implied
      ? `${listed} (default)`
      : listed;
  // One text per allowed status, not one per task (a fleet's results share it).
  const passes = new Map(allowed.map((s) => [s, `status ${s}`]));
  return {
    check: "status",
    expected,
    where: rule.where,
    judge(task) {
      const pass = passes.get(task.status);
      if (pass !== undefined) return { outcome: "pass", actual: task.status, message: pass };
      const fix =
        rule.implied && !exitsOnItsOwn(task.status)
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
