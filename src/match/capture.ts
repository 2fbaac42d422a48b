// `capture:` — a named value read from each task's output. The value is the first match's group
// named `value`, else its first group, found by RE2 (never V8's RegExp on a user's pattern). A
// capture that finds nothing is a failed check naming the capture; on truncated output it cannot
// be verified (the match may sit in the dropped part), as for `matches`.
import { createHash } from "node:crypto";
import { RE2JS } from "re2js";
import { detach } from "../detach.js";
import type { CaptureRule, TaskObservation } from "../model.js";
import { plainLine } from "../report/sanitize.js";
import { compileRegex } from "../spec/pattern.js";
import type { Check, Judgement } from "./check.js";
import { compiledPattern } from "./compiled-pattern.js";
import { tailExcerpt } from "./excerpt.js";
import { visibleOutput } from "./output-check.js";

/** The longest value kept per capture and task. A longer one keeps its head and a digest of the
 * whole, so two long values that differ after the head are still told apart. */
export const CAPTURE_VALUE_CHARS = 200;

export interface CaptureCheck extends Check {
  name: string;
  /** The judgement on a terminal task, and the value when one was found: `value` as kept and
   * shown, `raw` as printed (what this task's own later patterns are given). */
  take(task: TaskObservation): { judgement: Judgement; value?: string; raw?: string };
}

const ALLOW_HINT = "output.allowTruncated: true judges the kept part only";

/** The value as it is kept and shown: on one line, cleaned, bounded, and sharing no memory with
 * the output it was cut from (a V8 slice would keep the whole output alive). */
export function keptValue(raw: string): string {
  const clean = plainLine(raw);
  if (clean.length <= CAPTURE_VALUE_CHARS) return detach(clean);
  const digest = createHash("sha256").update(raw).digest("hex").slice(0, 12);
  return detach(
    `${clean.slice(0, CAPTURE_VALUE_CHARS - 40)}… (${clean.length} characters, sha256 ${digest})`,
  );
}

/** Whether a kept value is a long value's head and digest, not the value itself. */
export function isCutValue(value: string): boolean {
  return (
    value.length > CAPTURE_VALUE_CHARS - 40 && / characters, sha256 [0-9a-f]{12}\)$/.test(value)
  );
}

export function captureChecks(
  rules: readonly CaptureRule[],
  allowTruncated = false,
): CaptureCheck[] {
  return rules.map((rule) => regexCapture(rule, allowTruncated));
}

function regexCapture(rule: CaptureRule, allowTruncated: boolean): CaptureCheck {
  const { pattern } = rule.source;
  const re = compileRegex(pattern.source, pattern.flags);
  const decide = compiledPattern(pattern);
  const group = re instanceof RE2JS ? (re.namedGroups().value ?? 1) : 1;
  const what = `${rule.name} ${pattern.text}`;
  const take = (task: TaskObservation): { judgement: Judgement; value?: string; raw?: string } => {
    if (!(re instanceof RE2JS) || "problem" in decide) {
      const problem = re instanceof RE2JS ? (decide as { problem: string }).problem : re.problem;
      return { judgement: { outcome: "error", actual: "invalid pattern", message: problem } };
    }
    const visible = visibleOutput(task);
    if ("missing" in visible) {
      return {
        judgement: {
          outcome: "error",
          actual: visible.actual,
          message: `${visible.missing}: cannot capture ${what}`,
        },
      };
    }
    const lf = visible.text;
    const raw = task.output;
    // As `matches`: judged on the text as the user reads it, then as TAT returned it (a CR).
    const text = decide.test(lf)
      ? lf
      : raw !== undefined && raw !== lf && decide.test(raw)
        ? raw
        : undefined;
    if (text !== undefined) {
      // The DFA located the line of the first match; the capturing engine starts there.
      const at = decide.locate(text);
      const from = at > 0 ? text.lastIndexOf("\n", at - 1) + 1 : 0;
      const m = re.matcher(text);
      const found = m.find(from) ? m.group(group) : null;
      if (found === null) {
        return {
          judgement: {
            outcome: "fail",
            actual: "no value",
            message: `capture ${what}: the group took no part in the first match`,
          },
        };
      }
      if (found === "") {
        return {
          judgement: {
            outcome: "fail",
            actual: "empty value",
            message: `capture ${what}: the first match captured an empty value`,
          },
        };
      }
      const value = keptValue(found);
      return {
        value,
        raw: found,
        judgement: {
          outcome: "pass",
          actual: value,
          message: `captured ${rule.name} = ${JSON.stringify(value)}`,
        },
      };
    }
    const dropped = task.droppedBytes;
    if (dropped > 0 && !allowTruncated) {
      return {
        judgement: {
          outcome: "error",
          actual: `not found in the kept output; ${dropped} bytes dropped`,
          message: `capture ${what}: not found in the kept output, but ${dropped} bytes were dropped and it may be there (${ALLOW_HINT})`,
          excerpt: tailExcerpt(lf),
        },
      };
    }
    return {
      judgement: {
        outcome: "fail",
        actual: "not found",
        message: `capture ${what}: no match in the output${dropped > 0 ? " (in the kept part of truncated output)" : ""}`,
        excerpt: tailExcerpt(lf),
      },
    };
  };
  return {
    check: "capture",
    name: rule.name,
    expected: `captures ${rule.name} with ${pattern.text}`,
    where: rule.where,
    take,
    judge: (task) => take(task).judgement,
  };
}
