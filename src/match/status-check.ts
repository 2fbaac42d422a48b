import type { Located } from "../model.js";
import type { Check } from "./check.js";
import { describeStatus } from "./describe.js";

export function statusCheck(rule: Located<string[]> & { implied?: boolean }): Check {
  const allowed = rule.value;
  const listed = allowed.length === 1 ? (allowed[0] ?? "") : `one of ${allowed.join(", ")}`;
  const expected = rule.implied ? `${listed} (default)` : listed;
  return {
    check: "status",
    expected,
    where: rule.where,
    judge(task) {
      if (allowed.includes(task.status)) {
        return { outcome: "pass", actual: task.status, message: `status ${task.status}` };
      }
      return {
        outcome: "fail",
        actual: task.status,
        message: `status ${describeStatus(task)}, expected ${expected}`,
      };
    },
  };
}
