// matches / notMatches over the merged output. Truncation makes a "not found" unprovable: TAT keeps
// only the first 24 KiB, so a pattern missing from the kept part may sit in the dropped part. Such
// a check is an error (cannot be verified), not a pass or a fail, unless the spec opts into judging
// the kept part with allowTruncated.
import type { OutputPattern, TaskExpectations, TaskObservation } from "../model.js";
import type { Check, Judgement } from "./check.js";
import { compiledPattern } from "./compiled-pattern.js";
import { neverStarted } from "./describe.js";
import { excerptAround, lineOf, tailExcerpt } from "./excerpt.js";
import { withLfLineEnds } from "./line-ends.js";

type OutputRule = NonNullable<TaskExpectations["output"]>;

function shown(pattern: OutputPattern): string {
  return pattern.kind === "substring" ? JSON.stringify(pattern.source) : pattern.text;
}

/** "contain"/"contains" for substrings, "match"/"matches" for regexes. */
function verbs(pattern: OutputPattern): { base: string; third: string } {
  return pattern.kind === "substring"
    ? { base: "contain", third: "contains" }
    : { base: "match", third: "matches" };
}

// The output being judged with LF line ends, made once for all the checks of a task (they run one
// after another). One entry only: keyed by task in a WeakMap, every output's copy lived as long as
// its task's record, which the tracker keeps to the end of the run (240 MB at 10,000 × 24 KB).
let judged: { output: string; text: string } | undefined;

/** The output to judge, or why there is none. */
function visibleOutput(
  task: TaskObservation,
): { text: string } | { missing: string; actual: string } {
  if (task.output !== undefined) {
    if (judged?.output !== task.output) {
      judged = { output: task.output, text: withLfLineEnds(task.output) };
    }
    return { text: judged.text };
  }
  // Bytes that are not text in the expected encoding: judging them as text would be a guess.
  if (task.outputUndecodable) {
    return { missing: task.outputUndecodable, actual: "undecodable output" };
  }
  // A command that never started printed nothing: that is known, not missing.
  if (neverStarted(task.status)) return { text: "" };
  if (!task.outputFetched) return { missing: "output was not fetched", actual: "no output" };
  const upload = task.outputUploadError ? ` (COS upload: ${task.outputUploadError})` : "";
  return { missing: `no output was reported${upload}`, actual: "no output" };
}

const ALLOW_HINT = "output.allowTruncated: true judges the kept part only";

export function outputChecks(rule: OutputRule): Check[] {
  const allowTruncated = rule.allowTruncated?.value ?? false;
  const build = (pattern: OutputPattern, negated: boolean): Check => {
    const compiled = compiledPattern(pattern);
    const what = shown(pattern);
    const verb = verbs(pattern);
    return {
      check: negated ? "output.notMatches" : "output.matches",
      expected: negated ? `does not ${verb.base} ${what}` : `${verb.third} ${what}`,
      where: pattern.where,
      judge(task): Judgement {
        if ("problem" in compiled) {
          return { outcome: "error", actual: "invalid pattern", message: compiled.problem };
        }
        const visible = visibleOutput(task);
        if ("missing" in visible) {
          return {
            outcome: "error",
            actual: visible.actual,
            message: `${visible.missing}: cannot check ${what}`,
          };
        }
        // Decide first; locate only when the location is shown (something forbidden was found).
        // Judged as the user reads it (CR LF as LF); a pattern that needs the CR itself (`\r`,
        // `\s\n`, `[^x]`) is tried on the output as TAT returned it too, so a CR never hides a match.
        const lf = visible.text;
        const raw = task.output;
        const inLf = compiled.test(lf);
        const found = inLf || (raw !== undefined && raw !== lf && compiled.test(raw));
        const text = found && !inLf && raw !== undefined ? raw : lf;
        const dropped = task.droppedBytes;
        const unprovable = !found && dropped > 0 && !allowTruncated;
        if (found && !negated) {
          return { outcome: "pass", actual: "found", message: `output ${verb.third} ${what}` };
        }
        if (found) {
          const at = Math.max(0, compiled.locate(text));
          const line = lineOf(text, at);
          return {
            outcome: "fail",
            actual: `found at line ${line}`,
            message: `output ${verb.third} ${what} at line ${line}`,
            excerpt: excerptAround(text, at),
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
