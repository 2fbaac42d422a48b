import type { Located } from "../model.js";
import { formatDuration } from "../spec/duration.js";
import type { Check } from "./check.js";
import { describeStatus, didNotComplete } from "./describe.js";

type Bounds = { minMs?: number; maxMs?: number };

export function durationCheck(rule: Located<Bounds>): Check {
  const { minMs, maxMs } = rule.value;
  const expected =
    minMs !== undefined && maxMs !== undefined
      ? `${formatDuration(minMs)} to ${formatDuration(maxMs)}`
      : minMs !== undefined
        ? `at least ${formatDuration(minMs)}`
        : `at most ${formatDuration(maxMs ?? 0)}`;
  return {
    check: "duration",
    expected,
    where: rule.where,
    judge(task) {
      const start = task.execStartTime ? Date.parse(task.execStartTime) : Number.NaN;
      const end = task.execEndTime ? Date.parse(task.execEndTime) : Number.NaN;
      if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
        if (didNotComplete(task.status)) {
          return {
            outcome: "fail",
            actual: "did not run",
            message: `the command did not run to completion (${describeStatus(task)}), expected ${expected}`,
          };
        }
        return {
          outcome: "error",
          actual: "unknown",
          message: `no execution start and end times reported, expected ${expected}`,
        };
      }
      const ms = end - start;
      const ran = formatDuration(ms);
      const tooShort = minMs !== undefined && ms < minMs;
      const tooLong = maxMs !== undefined && ms > maxMs;
      if (!tooShort && !tooLong) return { outcome: "pass", actual: ran, message: `ran ${ran}` };
      return { outcome: "fail", actual: ran, message: `ran ${ran}, expected ${expected}` };
    },
  };
}
