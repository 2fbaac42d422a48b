// matches / notMatches over the merged output. Truncation makes a "not found" unprovable: TAT keeps
// only the first 24 KiB, so a pattern missing from the kept part may sit in the dropped part. Such
// a check is an error (cannot be verified), not a pass or a fail, unless the spec opts into judging
// the kept part with allowTruncated. When the full log was read from COS (expect.output.source),
// it is judged instead and nothing is unprovable; when COS was needed but could not give it, every
// check is an error naming why, except a forbidden pattern already seen in TAT's copy.
import type { OutputPattern, TaskExpectations, TaskObservation } from "../model.js";
import type { Check, Judgement } from "./check.js";
import { type CompiledPattern, compiledPattern } from "./compiled-pattern.js";
import { foundBeyondCut } from "./cut-output.js";
import { neverStarted } from "./describe.js";
import { excerptAround, lineFound, tailExcerpt } from "./excerpt.js";
import { withLfLineEnds } from "./line-ends.js";
import { decidableOnPrefix } from "./prefix-rule.js";

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
let judgedOutput: string | undefined;
let judgedVisible: { text: string } = { text: "" };

/** The output to judge, or why there is none. */
export function visibleOutput(
  task: TaskObservation,
): { text: string } | { missing: string; actual: string } {
  if (task.output !== undefined) {
    if (judgedOutput !== task.output) {
      judgedOutput = task.output;
      judgedVisible = { text: withLfLineEnds(task.output) };
    }
    return judgedVisible;
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

/** Bytes cut from the output being judged: none when the full log was read from COS
 * (`droppedBytes` stays TAT's own count, for `expect.truncated`). */
export function judgedDroppedBytes(task: TaskObservation): number {
  return task.outputSource === "cos" ? 0 : task.droppedBytes;
}

/** Why the full log could not be read from COS, when it was needed; a task that never started
 * printed nothing, so it needs none. */
export function cosFailure(task: TaskObservation): string | undefined {
  return neverStarted(task.status) ? undefined : task.outputCosError;
}

const ALLOW_HINT = "output.allowTruncated: true judges the kept part only";

/** `locateMatches`: a passing `matches` also says where it was found (`explain`); off by default,
 * since locating is the costly part of a search. `compile`: how patterns are made ready; patterns
 * holding a task's captured value are many and used once, so they go through a bounded cache
 * instead of the run-long one (capture-patterns.ts). */
export function outputChecks(
  rule: OutputRule,
  o: {
    locateMatches?: boolean;
    compile?: (p: OutputPattern) => CompiledPattern | { problem: string };
  } = {},
): Check[] {
  const compile = o.compile ?? compiledPattern;
  const allowTruncated = rule.allowTruncated?.value ?? false;
  const failEarly = rule.failEarly?.value ?? false;
  const build = (pattern: OutputPattern, negated: boolean): Check => {
    const compiled = compile(pattern);
    const what = shown(pattern);
    const verb = verbs(pattern);
    // A hit in each reading of the complete lines so far (as the user reads them, CR LF as LF,
    // or as returned, like judge() below) is a hit in the final output: fail now.
    const early = (texts: readonly string[]): Judgement | undefined => {
      if ("problem" in compiled || texts.length === 0) return undefined;
      let shown: string | undefined;
      for (const raw of texts) {
        const lf = withLfLineEnds(raw);
        const text = compiled.test(lf) ? lf : raw !== lf && compiled.test(raw) ? raw : undefined;
        if (text === undefined) return undefined;
        shown ??= text;
      }
      const text = shown as string;
      const at = Math.max(0, compiled.locate(text));
      const where = lineFound(text, at);
      const { line } = where;
      return {
        outcome: "fail",
        found: where,
        actual: `found at line ${line} while running`,
        message: `output ${verb.third} ${what} at line ${line}`,
        excerpt: excerptAround(text, at),
      };
    };
    // The texts of a pass, made once per pattern rather than once per task: a fleet's results
    // then share them (and their comparison in SpecTally is by reference). The plain passes are
    // whole judgements made once, frozen since every passing task gets the same object.
    const passFound = `output ${verb.third} ${what}`;
    const passNotFound = `output does not ${verb.base} ${what}`;
    const foundPass: Judgement = Object.freeze({
      outcome: "pass",
      actual: "found",
      message: passFound,
    });
    const absentPass: Judgement = Object.freeze({
      outcome: "pass",
      actual: "not found",
      message: passNotFound,
    });
    return {
      check: negated ? "output.notMatches" : "output.matches",
      expected: negated ? `does not ${verb.base} ${what}` : `${verb.third} ${what}`,
      where: pattern.where,
      ...(negated && failEarly && decidableOnPrefix(pattern) && { early }),
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
        // The full log from COS, when read, is what is judged; TAT's cut no longer matters.
        const fromCos = task.outputSource === "cos";
        const cosError = cosFailure(task);
        const lf = visible.text;
        const raw = task.output;
        const inLf = compiled.test(lf);
        const seen = inLf || (raw !== undefined && raw !== lf && compiled.test(raw));
        const text = seen && !inLf && raw !== undefined ? raw : lf;
        const dropped = judgedDroppedBytes(task);
        // On a cut output a match may hold only because the cut ended the line there
        // (cut-output.ts): such a finding proves nothing about the full output.
        const proven = !seen || dropped === 0 || foundBeyondCut(pattern, text);
        // COS was needed and failed: only a forbidden pattern seen in TAT's copy is a verdict.
        if (cosError !== undefined && !(seen && proven && negated)) {
          const copy = seen ? "found in TAT's copy" : "not found in TAT's copy";
          return {
            outcome: "error",
            actual: `${copy}; full output not read from COS`,
            message: `cannot check ${what} on the full output: ${cosError} (${copy})`,
          };
        }
        const unprovable = !seen && dropped > 0 && !allowTruncated;
        if (!proven && !allowTruncated) {
          return {
            outcome: "error",
            actual: `found only at the cut; ${dropped} bytes dropped`,
            message: `${what} found only where TAT cut the output (${dropped} bytes dropped): the match reaches the cut-short last line, which goes on in the full output (${ALLOW_HINT})`,
            excerpt: tailExcerpt(text),
          };
        }
        const via = fromCos ? " (full output read from COS)" : "";
        if (seen && !negated) {
          if (via === "" && !o.locateMatches) return foundPass;
          const pass: Judgement = {
            outcome: "pass",
            actual: "found",
            message: `${passFound}${via}`,
          };
          if (o.locateMatches) pass.found = lineFound(text, Math.max(0, compiled.locate(text)));
          return pass;
        }
        if (seen) {
          const at = Math.max(0, compiled.locate(text));
          const where = lineFound(text, at);
          const { line } = where;
          const kept =
            cosError !== undefined
              ? ` (in TAT's kept part; the full output could not be read from COS: ${cosError})`
              : via;
          return {
            outcome: "fail",
            actual: `found at line ${line}`,
            message: `output ${verb.third} ${what} at line ${line}${kept}`,
            excerpt: excerptAround(text, at),
            found: where,
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
        const kept = dropped > 0 ? " (in the kept part of truncated output)" : via;
        if (negated && kept === "") return absentPass;
        return negated
          ? { outcome: "pass", actual: "not found", message: `${passNotFound}${kept}` }
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
