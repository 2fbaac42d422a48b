// Output patterns that read `${capture.NAME}`: made for each task once its values are known. A
// value is put into a regex quoted (RE2's own quoting; inside a `\Q…\E` span, the span is closed
// around it: regex-quote.ts), so it is matched as the text it is; into a substring as it is. Such
// patterns are many and each used by few tasks, so they are compiled through a small cache of
// their own rather than the run-long one.
import type { OutputPattern, TaskExpectations, TaskObservation } from "../model.js";
import { captureRefs, hasCaptureRef, substituteCaptures } from "../spec/capture-ref.js";
import { regexValueWriter } from "../spec/regex-quote.js";
import type { CaptureScope } from "./capture-scope.js";
import type { Judgement } from "./check.js";
import { type CompiledPattern, compilePattern } from "./compiled-pattern.js";
import { outputChecks } from "./output-check.js";

export interface CapturePatternCheck {
  check: "output.matches" | "output.notMatches";
  expected: string;
  where: OutputPattern["where"];
  /** `own`: this task's values of the captures its expectations declare (raw, as printed). */
  judgeWith(task: TaskObservation, own: Readonly<Record<string, string>>): Judgement;
}

/** The expectations without the patterns that read captures (those are judged here). */
export function withoutCapturePatterns(expect: TaskExpectations): TaskExpectations {
  const output = expect.output;
  if (!output) return expect;
  const plain = (list: OutputPattern[]) => list.filter((p) => !hasCaptureRef(p.text));
  return {
    ...expect,
    output: { ...output, matches: plain(output.matches), notMatches: plain(output.notMatches) },
  };
}

export function capturePatternChecks(
  expect: TaskExpectations,
  scope: CaptureScope | undefined,
): CapturePatternCheck[] {
  const output = expect.output;
  if (!output) return [];
  const ownNames = new Set((expect.capture ?? []).map((c) => c.name));
  const build = (pattern: OutputPattern, negated: boolean): CapturePatternCheck => {
    const [base, third] =
      pattern.kind === "substring" ? ["contain", "contains"] : ["match", "matches"];
    return {
      check: negated ? "output.notMatches" : "output.matches",
      expected: negated ? `does not ${base} ${shown(pattern)}` : `${third} ${shown(pattern)}`,
      where: pattern.where,
      judgeWith(task, own): Judgement {
        const values: Record<string, string> = Object.create(null);
        for (const ref of captureRefs(pattern.text)) {
          if (ownNames.has(ref.name)) {
            const v = own[ref.name];
            // The capture's own result already says why (fail, or could not verify).
            if (v === undefined) {
              return {
                outcome: "skip",
                actual: `no ${ref.name}`,
                message: `not checked: capture ${ref.name} has no value in this task's output`,
              };
            }
            values[ref.name] = v;
            continue;
          }
          const found = scope?.resolve(ref.name, task.instanceId) ?? {
            problem: `no capture ${ref.name} is known`,
          };
          if ("problem" in found) {
            return {
              outcome: "error",
              actual: `no ${ref.name}`,
              message: `cannot check ${pattern.text}: ${found.problem}`,
            };
          }
          values[ref.name] = found.value;
        }
        const quote = pattern.kind === "regex" ? regexValueWriter(pattern.source) : undefined;
        const concrete: OutputPattern = {
          ...pattern,
          source: substituteCaptures(pattern.source, (n) => values[n], quote),
          text: substituteCaptures(pattern.text, (n) => values[n]),
        };
        const rule = {
          matches: negated ? [] : [concrete],
          notMatches: negated ? [concrete] : [],
          ...(output.allowTruncated && { allowTruncated: output.allowTruncated }),
        };
        const [check] = outputChecks(rule, { compile: compileBounded });
        return (check as NonNullable<typeof check>).judge(task);
      },
    };
  };
  return [
    ...output.matches.filter((p) => hasCaptureRef(p.text)).map((p) => build(p, false)),
    ...output.notMatches.filter((p) => hasCaptureRef(p.text)).map((p) => build(p, true)),
  ];
}

function shown(pattern: OutputPattern): string {
  return pattern.kind === "substring" ? JSON.stringify(pattern.source) : pattern.text;
}

/** Patterns with values put in, compiled; cleared when full so a run holds at most this many. */
const COMPILED_KEPT = 256;
const compiled = new Map<string, CompiledPattern | { problem: string }>();

function compileBounded(p: OutputPattern): CompiledPattern | { problem: string } {
  const key = `${p.kind}/${p.flags}/${p.source}`;
  let c = compiled.get(key);
  if (!c) {
    if (compiled.size >= COMPILED_KEPT) compiled.clear();
    c = compilePattern(p);
    compiled.set(key, c);
  }
  return c;
}
