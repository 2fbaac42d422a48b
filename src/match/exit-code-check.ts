import type { ExitCodeRule, Located } from "../model.js";
import { exitCodeMatches, formatExitCodeRules } from "../spec/exit-code-rule.js";
import type { Check } from "./check.js";
import { describeStatus, didNotComplete } from "./describe.js";

export function exitCodeCheck(rule: Located<ExitCodeRule[]>): Check {
  const expected = formatExitCodeRules(rule.value);
  return {
    check: "exitCode",
    expected,
    where: rule.where,
    judge(task) {
      // The agent reports -1 when there is no exit code; a task that never ran may report nothing.
      const code = task.exitCode ?? (didNotComplete(task.status) ? -1 : undefined);
      if (code === undefined) {
        return {
          outcome: "error",
          actual: "none",
          message: `no exit code reported for a ${task.status} task, expected ${expected}`,
        };
      }
      const because = didNotComplete(task.status) ? ` (task ${describeStatus(task)})` : "";
      if (rule.value.some((r) => exitCodeMatches(r, code))) {
        return { outcome: "pass", actual: String(code), message: `exit code ${code}${because}` };
      }
      return {
        outcome: "fail",
        actual: String(code),
        message: `exit code ${code}, expected ${expected}${because}`,
      };
    },
  };
}
