// Exit code rules as written (0, "0-3", {min: 0, max: 3}) → the model's number | {min, max}.
import type { ExitCodeRule } from "../model.js";

export type WrittenExitCode = number | string | { min: number; max: number };

export function toExitCodeRule(
  written: WrittenExitCode,
): ExitCodeRule | { problem: string; fix: string } {
  if (typeof written === "number") return written;
  const range =
    typeof written === "string"
      ? (() => {
          const [min, max] = written.split("-").map(Number);
          return { min: min ?? Number.NaN, max: max ?? Number.NaN };
        })()
      : written;
  if (!Number.isInteger(range.min) || !Number.isInteger(range.max)) {
    return {
      problem: `${JSON.stringify(written)} is not an exit code range`,
      fix: 'write e.g. "0-3"',
    };
  }
  if (range.max > 255) {
    return { problem: `exit code ${range.max} is above 255`, fix: "exit codes go up to 255" };
  }
  if (range.min > range.max) {
    return {
      problem: `range ${range.min} to ${range.max} is empty: min is above max`,
      fix: "write the lower code first",
    };
  }
  return range.min === range.max ? range.min : range;
}

export function exitCodeMatches(rule: ExitCodeRule, code: number): boolean {
  return typeof rule === "number" ? rule === code : code >= rule.min && code <= rule.max;
}

export function formatExitCodeRules(rules: readonly ExitCodeRule[]): string {
  const one = (r: ExitCodeRule) => (typeof r === "number" ? String(r) : `${r.min} to ${r.max}`);
  if (rules.length === 1 && rules[0] !== undefined) return one(rules[0]);
  return `one of ${rules.map(one).join(", ")}`;
}
