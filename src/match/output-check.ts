// matches / notMatches over the merged output. Truncation makes a "not found" unprovable: TAT keeps
// only the first 24 KiB, so a pattern missing from the kept part may sit in the dropped part. Such
// a check is an error (cannot be verified), not a pass or a fail, unless the spec opts into judging
// the kept part with allowTruncated.
import { RE2JS } from "re2js";
import type { OutputPattern, TaskExpectations, TaskObservation } from "../model.js";
import { compileRegex } from "../spec/pattern.js";
import type { Check, Judgement } from "./check.js";
import { neverStarted } from "./describe.js";
import { excerptAround, lineOf, tailExcerpt } from "./excerpt.js";

type OutputRule = NonNullable<TaskExpectations["output"]>;

/** Offset of the first match, or -1. */
type Finder = (text: string) => number;

function finder(pattern: OutputPattern): Finder | string {
  if (pattern.kind === "substring") return (text) => text.indexOf(pattern.source);
  const re = compileRegex(pattern.source, pattern.flags);
  if (!(re instanceof RE2JS)) return re.problem;
  return (text) => {
    // test() may use re2js's DFA and is many times faster than find() on a miss (the usual case
    // for notMatches, measured in bench/match.ts); find() runs only to locate a hit for the message.
    if (!re.test(text)) return -1;
    const m = re.matcher(text);
    return m.find() ? m.start() : -1;
  };
}

function shown(pattern: OutputPattern): string {
  return pattern.kind === "substring" ? JSON.stringify(pattern.source) : pattern.text;
}

/** "contain"/"contains" for substrings, "match"/"matches" for regexes. */
function verbs(pattern: OutputPattern): { base: string; third: string } {
  return pattern.kind === "substring"
    ? { base: "contain", third: "contains" }
    : { base: "match", third: "matches" };
}

/** The output to judge, or why there is none. */
function visibleOutput(task: TaskObservation): { text: string } | { missing: string } {
  if (task.output !== undefined) return { text: task.output };
  // A command that never started printed nothing: that is known, not missing.
  if (neverStarted(task.status)) return { text: "" };
  if (!task.outputFetched) return { missing: "output was not fetched" };
  const upload = task.outputUploadError ? ` (COS upload: ${task.outputUploadError})` : "";
  return { missing: `no output was reported${upload}` };
}

const ALLOW_HINT = "output.allowTruncated: true judges the kept part only";

export function outputChecks(rule: OutputRule): Check[] {
  const allowTruncated = rule.allowTruncated?.value ?? false;
  const build = (pattern: OutputPattern, negated: boolean): Check => {
    const find = finder(pattern);
    const what = shown(pattern);
    const verb = verbs(pattern);
    return {
      check: negated ? "output.notMatches" : "output.matches",
      expected: negated ? `does not ${verb.base} ${what}` : `${verb.third} ${what}`,
      where: pattern.where,
      judge(task): Judgement {
        if (typeof find === "string") {
          return { outcome: "error", actual: "invalid pattern", message: find };
        }
        const visible = visibleOutput(task);
        if ("missing" in visible) {
          return {
            outcome: "error",
            actual: "no output",
            message: `${visible.missing}: cannot check ${what}`,
          };
        }
        const text = visible.text;
        const at = find(text);
        const dropped = task.droppedBytes;
        const unprovable = at < 0 && dropped > 0 && !allowTruncated;
        if (at >= 0) {
          const line = lineOf(text, at);
          return negated
            ? {
                outcome: "fail",
                actual: `found at line ${line}`,
                message: `output ${verb.third} ${what} at line ${line}`,
                excerpt: excerptAround(text, at),
              }
            : {
                outcome: "pass",
                actual: `found at line ${line}`,
                message: `output ${verb.third} ${what}`,
              };
        }
        if (unprovable) {
          return {
            outcome: "error",
            actual: `not found in the kept output; ${dropped} bytes dropped`,
            message: `${what} not found in the kept output, but ${dropped} bytes were dropped and it may be there (${ALLOW_HINT})`,
            ...(!negated && { excerpt: tailExcerpt(text) }),
          };
        }
        const kept = dropped > 0 ? " (in the kept part of truncated output)" : "";
        return negated
          ? {
              outcome: "pass",
              actual: "not found",
              message: `output does not ${verb.base} ${what}${kept}`,
            }
          : {
              outcome: "fail",
              actual: "not found",
              message: `output does not ${verb.base} ${what}${kept}`,
              excerpt: tailExcerpt(text),
            };
      },
    };
  };
  return [
    ...rule.matches.map((p) => build(p, false)),
    ...rule.notMatches.map((p) => build(p, true)),
  ];
}
