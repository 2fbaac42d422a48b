// An exit code is judged only when the runbook returned one. A task that did not exit on its own
// (timed out, killed, never delivered or started) has none, whatever the service put in ExitCode:
// it never passes by its exit code. It passes only when a written status allows it on purpose.
// When no status is written, the allowed statuses follow from the codes (SUCCESS, plus FAILED when
// a non-zero code is allowed) and are judged here, so a failed host reads as one finding.
import type { ExitCodeRule, Located, TaskExpectations } from "../model.js";
import { exitCodeMatches, formatExitCodeRules } from "../spec/exit-code-rule.js";
import type { Check, Judgement } from "./check.js";
import { exitCodeOf, exitsOnItsOwn, whatHappened } from "./describe.js";

export function exitCodeCheck(
  rule: Located<ExitCodeRule[]>,
  status?: TaskExpectations["status"],
): Check {
  const expected = formatExitCodeRules(rule.value);
  const derived = status?.impliedBy === "exitCode" ? status.value : undefined;
  const written = status && !status.implied ? status.value : undefined;
  return {
    check: "exitCode",
    expected,
    where: rule.where,
    judge(task) {
      const code = exitCodeOf(task);
      if (typeof code !== "number") {
        if ("unknown" in code) {
          return {
            outcome: "error",
            actual: "none",
            message: `no exit code reported for a ${task.status} task, expected ${expected}`,
          };
        }
        // Only a status without exit codes: a SUCCESS without ExecStartTime never passes here.
        if (written?.includes(task.status) && !exitsOnItsOwn(task.status)) {
          return {
            outcome: "pass",
            actual: "no exit code",
            message: `no exit code: ${task.status}, allowed by expect.status`,
          };
        }
        const allow = !exitsOnItsOwn(task.status)
          ? `; list ${task.status} under expect.status to allow it`
          : "";
        return {
          outcome: "fail",
          actual: "no exit code",
          // SUCCESS/FAILED without ExecStartTime: the status is allowed, the missing start is why.
          message:
            derived && !exitsOnItsOwn(task.status)
              ? `status ${whatHappened(task)}, expected ${listed(derived)} (from exitCode ${expected})${allow}`
              : `no exit code, expected ${expected}: ${code.none}`,
        };
      }
      if (!matchesAny(rule.value, code)) {
        return {
          outcome: "fail",
          actual: String(code),
          message: `exit code ${code}, expected ${expected}`,
        };
      }
      // FAILED means a non-zero exit: with only 0 allowed, a FAILED task reporting 0 is not a pass.
      if (derived && !derived.includes(task.status)) {
        return {
          outcome: "fail",
          actual: `${task.status} with exit code ${code}`,
          message: `status ${task.status} with exit code ${code}, expected ${listed(derived)} (from exitCode ${expected})`,
        };
      }
      return passed(code);
    },
  };
}

function matchesAny(rules: readonly ExitCodeRule[], code: number): boolean {
  for (let i = 0; i < rules.length; i++)
    if (exitCodeMatches(rules[i] as ExitCodeRule, code)) return true;
  return false;
}

/** The passes of exit codes 0–255, made once: a fleet's results share their texts, and judging
 * a passing task allocates nothing for them. Frozen, since every task that passes gets the same
 * object. */
const PASSES: readonly Judgement[] = Array.from({ length: 256 }, (_, code) =>
  Object.freeze({ outcome: "pass", actual: String(code), message: `exit code ${code}` }),
);
const passed = (code: number): Judgement =>
  PASSES[code] ?? { outcome: "pass", actual: String(code), message: `exit code ${code}` };

function listed(statuses: readonly string[]): string {
  return statuses.length === 1 ? (statuses[0] ?? "") : `one of ${statuses.join(", ")}`;
}
