// What the schema cannot say about `output.json`: paths parse as JSONPath, a path that can select
// several values says all: or any:, conditions do not contradict each other, ranges are not empty,
// patterns compile under RE2. Read defensively: these also run on documents the schema rejected.
import { compileJsonPath, isJsonPathProblem } from "../match/json/path.js";
import { emptyMatch } from "./empty-match.js";
import { expectationBlocks, isRecord } from "./expectation-blocks.js";
import { isPatternProblem, parsePattern } from "./pattern.js";
import type { RuleContext } from "./rules.js";

type Rule = (ctx: RuleContext) => void;
type Path = (string | number)[];

const CONDITION_KEYS = ["equals", "oneOf", "matches", "min", "max", "above", "below", "type"];

/** Every `output.json` block with its path: in `expect` and in each override. */
function jsonBlocks(
  spec: Record<string, unknown>,
): { path: Path; value: Record<string, unknown> }[] {
  return expectationBlocks(spec).flatMap(({ path, value }) =>
    isRecord(value.output) && isRecord(value.output.json)
      ? [{ path: [...path, "output", "json"], value: value.output.json }]
      : [],
  );
}

function conditionHolds(
  c: Record<string, unknown>,
  path: Path,
  report: RuleContext["report"],
): void {
  if (typeof c.matches === "string" && c.matches !== "") {
    const parsed = parsePattern(c.matches);
    if (isPatternProblem(parsed)) report([...path, "matches"], parsed.problem, parsed.fix);
    // As for output patterns (rules.ts): a regex that matches empty text in every string holds
    // for any string value, and the condition would say only that the value is a string.
    else if (parsed.kind === "regex" && emptyMatch(parsed.source, parsed.flags)) {
      report(
        [...path, "matches"],
        `${c.matches} matches empty text, so every string matches it: it checks only that the value is a string`,
        "make part of it required (`+` rather than `*`, no empty alternative), or write type: string if that is what is meant",
      );
    }
  }
  const n = (k: string) => (typeof c[k] === "number" ? (c[k] as number) : undefined);
  const low = [
    { key: "min", value: n("min"), strict: false },
    { key: "above", value: n("above"), strict: true },
  ];
  const high = [
    { key: "max", value: n("max"), strict: false },
    { key: "below", value: n("below"), strict: true },
  ];
  for (const l of low) {
    for (const h of high) {
      if (l.value === undefined || h.value === undefined) continue;
      const empty = l.strict || h.strict ? l.value >= h.value : l.value > h.value;
      if (empty) {
        report(
          [...path, l.key],
          `no number is ${l.key} ${l.value} and ${h.key} ${h.value}: the range is empty`,
          `make ${l.key} less than ${h.key}`,
        );
      }
    }
  }
}

const jsonAssertionsHold: Rule = ({ spec, report }) => {
  for (const block of jsonBlocks(spec)) {
    const json = block.value;
    if (json.lines !== undefined && json.from !== "lines") {
      report(
        [...block.path, "lines"],
        "`lines` applies only to `from: lines`",
        "add from: lines, or remove lines",
        true,
      );
    }
    if (!Array.isArray(json.assert)) continue;
    json.assert.forEach((entry, i) => {
      if (!isRecord(entry)) return;
      const here = [...block.path, "assert", i];
      const conditions = CONDITION_KEYS.filter((k) => entry[k] !== undefined);
      const overs = ["all", "any"].filter((k) => entry[k] !== undefined);
      if (overs.length === 2) {
        report([...here, "any"], "give all or any, not both", "split it into two entries", true);
      }
      const [over] = overs;
      if (over !== undefined && conditions.length > 0) {
        report(
          [...here, conditions[0] as string],
          `\`${conditions[0]}\` next to \`${over}\`: conditions go inside ${over}: { … }`,
          `move it into ${over}`,
          true,
        );
      }
      const says = [...conditions, ...overs, "exists", "absent"].some(
        (k) => entry[k] !== undefined,
      );
      if (!says && typeof entry.path === "string") {
        report(
          here,
          `nothing is asserted about ${entry.path}`,
          "add a condition such as equals: …, or exists: true",
        );
      }
      const absent = entry.absent === true || entry.exists === false;
      if (entry.absent === false) {
        report([...here, "absent"], "absent: false says nothing", "write exists: true", true);
      }
      if (entry.absent === true && entry.exists === true) {
        report([...here, "exists"], "exists: true and absent: true contradict", "keep one", true);
      }
      if (absent && (conditions.length > 0 || over !== undefined)) {
        report(
          [...here, entry.absent === true ? "absent" : "exists"],
          "a value that must be absent cannot also be checked",
          "remove the other conditions, or the absence",
          true,
        );
      }
      for (const o of overs) {
        if (isRecord(entry[o]))
          conditionHolds(entry[o] as Record<string, unknown>, [...here, o], report);
      }
      conditionHolds(entry, here, report);
      if (typeof entry.path !== "string" || entry.path === "") return;
      const path = compileJsonPath(entry.path);
      if (isJsonPathProblem(path)) {
        report([...here, "path"], path.problem, path.fix);
        return;
      }
      if (!path.singular && over === undefined && conditions.length > 0) {
        report(
          [...here, "path"],
          `\`${entry.path}\` can select several values: say which must hold`,
          `put the conditions under all: { … } (every value) or any: { … } (at least one)`,
        );
      }
    });
  }
};

export const JSON_RULES: readonly Rule[] = [jsonAssertionsHold];
