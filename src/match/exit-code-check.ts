// An exit code is judged only when the runbook returned one: a task that did not exit on its own
// (timed out, killed, never delivered or started) never satisfies an exitCode expectation, whatever
// the service put in ExitCode.
import type { ExitCodeRule, Located } from "../model.js";
import { exitCodeMatches, formatExitCodeRules } from "../spec/exit-code-rule.js";
import type { Check } from "./check.js";
import { exitCodeOf } from "./describe.js";

export function exitCodeCheck(rule: Located<ExitCodeRule[]>): Check {
  const expected = formatExitCodeRules(rule.value);
  return {
    check: "exitCode",
    expected,
    where: rule.where,
    judge(task) {
      const got = exitCodeOf(task);
      if ("unknown" in got) {
        return {
          outcome: "error",
          actual: "none",
          message: `no exit code reported for a ${task.status} task, expected ${expected}`,
        };
      }
      if ("none" in got) {
        return {
          outcome: "fail",
          actual: "no exit code",
          message: `no exit code, expected ${expected}: ${got.none}`,
        };
      }
      const { code } = got;
      if (rule.value.some((r) => exitCodeMatches(r, code))) {
        return { outcome: "pass", actual: String(code), message: `exit code ${code}` };
      }
      return {
        outcome: "fail",
        actual: String(code),
        message: `exit code ${code}, expected ${expected}`,
      };
    },
  };
}
