// `expect.output.json` as written (schema-valid, rules passed) → the normalised JsonOutputRule.
import { InternalError } from "../errors.js";
import type {
  JsonAssertion,
  JsonCondition,
  JsonOutputRule,
  JsonType,
  JsonValue,
  SourceLocation,
} from "../model.js";
import { isPatternProblem, parsePattern } from "./pattern.js";

type Written = Record<string, unknown>;
type Path = (string | number)[];

const NUMBERS = ["min", "max", "above", "below"] as const;

function condition(w: Written, path: Path, valueAt: (p: Path) => SourceLocation): JsonCondition {
  const out: JsonCondition = {};
  if ("equals" in w) out.equals = w.equals as JsonValue;
  if (Array.isArray(w.oneOf)) out.oneOf = [...(w.oneOf as JsonValue[])];
  if (typeof w.matches === "string") {
    const parsed = parsePattern(w.matches);
    if (isPatternProblem(parsed)) throw new InternalError(`normalize: ${parsed.problem}`);
    out.matches = { ...parsed, text: w.matches, where: valueAt([...path, "matches"]) };
  }
  for (const key of NUMBERS) if (typeof w[key] === "number") out[key] = w[key] as number;
  if (typeof w.type === "string") out.type = w.type as JsonType;
  return out;
}

export function jsonOutputRule(
  w: Written,
  path: Path,
  at: (p: Path) => SourceLocation,
  valueAt: (p: Path) => SourceLocation,
): JsonOutputRule {
  const written = Array.isArray(w.assert) ? (w.assert as Written[]) : [];
  const assert = written.map((entry, i): JsonAssertion => {
    const here = [...path, "assert", i];
    const over = entry.all !== undefined ? "all" : entry.any !== undefined ? "any" : "one";
    const source = over === "one" ? entry : (entry[over] as Written);
    const conditionPath = over === "one" ? here : [...here, over];
    const out: JsonAssertion = {
      path: String(entry.path),
      over,
      condition: condition(source, conditionPath, valueAt),
      where: at(here),
    };
    if (entry.absent === true || entry.exists === false) out.exists = false;
    else if (entry.exists === true) out.exists = true;
    return out;
  });
  return {
    from: (w.from as JsonOutputRule["from"] | undefined) ?? "last",
    lines: (w.lines as JsonOutputRule["lines"] | undefined) ?? "all",
    assert,
    where: at(path),
  };
}
