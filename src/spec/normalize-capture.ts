// `capture:` and `fleet:` as written → their normalised rules (see normalize.ts for the rest).
import { InternalError } from "../errors.js";
import type { CaptureRule, ConsistencyRule, SourceLocation } from "../model.js";
import { isPatternProblem, parsePattern } from "./pattern.js";

type Written = Record<string, unknown>;
type Path = (string | number)[];

export function captureRules(
  written: Written,
  path: Path,
  at: (p: Path) => SourceLocation,
  valueAt: (p: Path) => SourceLocation,
): CaptureRule[] {
  return Object.entries(written).map(([name, text]): CaptureRule => {
    if (typeof text === "object" && text !== null) {
      const json = text as { json: string; from?: "whole" | "last" | "lines" };
      return {
        name,
        source: { kind: "json", path: json.json, from: json.from ?? "last" },
        where: at([...path, name]),
      };
    }
    const parsed = parsePattern(text as string);
    if (isPatternProblem(parsed) || parsed.kind !== "regex") {
      throw new InternalError(`normalize: capture ${name} is not a regex`);
    }
    const where = valueAt([...path, name]);
    return {
      name,
      source: { kind: "regex", pattern: { ...parsed, text: text as string, where } },
      where: at([...path, name]),
    };
  });
}

export function consistencyRules(
  written: Written,
  at: (p: Path) => SourceLocation,
  valueAt: (p: Path) => SourceLocation,
): ConsistencyRule[] {
  const rules: ConsistencyRule[] = [];
  const same = written.same as string | string[] | undefined;
  if (same !== undefined) {
    const names = Array.isArray(same) ? same : [same];
    names.forEach((capture, i) => {
      const where = valueAt(Array.isArray(same) ? ["fleet", "same", i] : ["fleet", "same"]);
      rules.push({ kind: "same", capture, where });
    });
  }
  const distinct = written.distinct as { of: string; max: number } | undefined;
  if (distinct) {
    rules.push({
      kind: "distinct",
      capture: distinct.of,
      max: distinct.max,
      where: at(["fleet", "distinct"]),
    });
  }
  const equals = written.equals as Record<string, string> | undefined;
  for (const [capture, value] of Object.entries(equals ?? {})) {
    rules.push({ kind: "equals", capture, value, where: at(["fleet", "equals", capture]) });
  }
  return rules;
}
