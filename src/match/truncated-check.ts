import type { Located } from "../model.js";
import type { Check } from "./check.js";

export function truncatedCheck(rule: Located<boolean>): Check {
  const wantTruncated = rule.value;
  return {
    check: "truncated",
    expected: wantTruncated ? "truncated" : "not truncated",
    where: rule.where,
    judge(task) {
      const dropped = task.droppedBytes;
      const actual = dropped > 0 ? `${dropped} bytes dropped` : "not truncated";
      if (dropped > 0 === wantTruncated) {
        return { outcome: "pass", actual, message: `output ${actual}` };
      }
      return {
        outcome: "fail",
        actual,
        message: wantTruncated
          ? "output not truncated, expected it to be"
          : `output truncated: ${dropped} bytes dropped beyond what TAT keeps (24 KiB), expected no truncation`,
      };
    },
  };
}
