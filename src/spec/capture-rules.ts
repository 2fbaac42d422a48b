// Rules for `capture:`, `${capture.NAME}` and `fleet:` that one spec can settle alone. Names read
// from a `needs:` spec are checked once every spec is loaded (spec-order.ts).
import { RE2JS } from "re2js";
import { compileJsonPath, isJsonPathProblem } from "../match/json/path.js";
import { captureRefs, hasCaptureRef, withStandIns } from "./capture-ref.js";
import { emptyMatch } from "./empty-match.js";
import {
  type ExpectationBlock,
  expectationBlocks,
  isRecord,
  writtenPatterns,
} from "./expectation-blocks.js";
import { ISSUES_SHOWN, someNames } from "./listed-issues.js";
import { compileRegex, isPatternProblem, parsePattern } from "./pattern.js";
import type { RuleContext } from "./rules.js";
import { didYouMean } from "./suggest.js";

type Rule = (ctx: RuleContext) => void;

type Block = ExpectationBlock;
const blocks = expectationBlocks;

/** The capture names a block's patterns can read: its own `capture`, which (like every field of
 * an override) replaces the spec-wide one. */
function namesFor(spec: Record<string, unknown>, block: Block): CaptureNames {
  const own = block.value.capture;
  const base = isRecord(spec.expect) ? spec.expect.capture : undefined;
  const capture = isRecord(own) ? own : isRecord(base) ? base : undefined;
  if (!capture) return NO_NAMES;
  // Once per capture mapping, not once per pattern: 5,000 patterns reading 5,000 captures
  // listed the mapping's keys 5,000 times.
  let names = namesOfCapture.get(capture);
  if (!names) {
    const list = Object.keys(capture);
    names = { list, set: new Set(list) };
    namesOfCapture.set(capture, names);
  }
  return names;
}

interface CaptureNames {
  list: string[];
  set: ReadonlySet<string>;
}

const NO_NAMES: CaptureNames = { list: [], set: new Set() };
const namesOfCapture = new WeakMap<object, CaptureNames>();

/** Where each capture reference in the output patterns sits. */
export function patternRefs(
  spec: Record<string, unknown>,
): { block: Block; path: (string | number)[]; text: string }[] {
  return writtenPatterns(spec).filter((p) => hasCaptureRef(p.text));
}

/** `{ json: <path> }` parses as JSONPath (the schema checked it is a non-empty string). */
function jsonPathCompiles(
  value: Record<string, unknown>,
  path: (string | number)[],
  report: RuleContext["report"],
): void {
  if (typeof value.json !== "string" || value.json === "" || hasCaptureRef(value.json)) return;
  const compiled = compileJsonPath(value.json);
  if (isJsonPathProblem(compiled)) report([...path, "json"], compiled.problem, compiled.fix);
}

/** Each capture is a regex with a group to take the value from, or a JSONPath that parses. */
const capturesHaveAGroup: Rule = ({ spec, report }) => {
  for (const block of blocks(spec)) {
    const capture = block.value.capture;
    if (!isRecord(capture)) continue;
    for (const [name, text] of Object.entries(capture)) {
      const path = [...block.path, "capture", name];
      if (name === "__proto__") {
        report(
          path,
          "`__proto__` cannot be a capture name: it is where JavaScript objects keep their prototype, so its value would be lost",
          "choose another name",
          true,
        );
        continue;
      }
      if (isRecord(text)) {
        jsonPathCompiles(text, path, report);
        continue;
      }
      if (typeof text !== "string") continue;
      if (hasCaptureRef(text)) {
        report(path, "a capture cannot read another capture", "write the regex itself");
        continue;
      }
      const parsed = parsePattern(text);
      if (isPatternProblem(parsed)) {
        report(path, parsed.problem, parsed.fix);
        continue;
      }
      if (parsed.kind !== "regex") continue; // the schema says it must look like /…/
      const re = compileRegex(parsed.source, parsed.flags);
      if (re instanceof RE2JS && re.groupCount() === 0) {
        report(
          path,
          `${text} has no group: nothing says which part of the match is the value`,
          "put the value in parentheses, e.g. /version=(\\S+)/, or name it (?P<value>…)",
        );
      }
      // Matching empty text at the start of any output, its first match is always there: the
      // value is whatever the output begins with, or nothing (`/(version=\S+)?/`, `/(\S*)/`).
      if (emptyMatch(parsed.source, parsed.flags)?.atStart) {
        report(
          path,
          `${text} matches empty text at the start of any output, so its first match is always there: the value would be whatever the output starts with, usually nothing`,
          "make the text before the value required, e.g. /version=(\\S+)/ rather than /(version=\\S+)?/ or /(\\S*)/",
        );
      }
    }
  }
};

/** `${capture.NAME}` reads a capture of this spec (or, with `needs:`, of a needed spec: checked
 * once all specs are loaded); the pattern must still compile once a value is put in. */
const captureRefsResolve: Rule = ({ spec, report }) => {
  const hasNeeds = spec.needs !== undefined;
  let reported = 0;
  for (const { block, path, text } of patternRefs(spec)) {
    const names = namesFor(spec, block);
    for (const ref of captureRefs(text)) {
      if (names.set.has(ref.name) || hasNeeds) continue;
      // Suggestions only for the problems that are listed (each reads every name).
      const guess = reported++ < ISSUES_SHOWN ? didYouMean(ref.name, names.list) : undefined;
      report(
        path,
        `${ref.token} reads a capture this spec does not declare${names.list.length > 0 ? ` (it captures ${someNames(names.list)})` : ""}`,
        guess ??
          `declare it under ${[...block.path, "capture"].join(".")}, or add \`needs:\` naming the spec that captures it`,
      );
    }
    // The value is quoted into a regex, so any value gives the same program shape as this one.
    const parsed = parsePattern(withStandIns(text));
    if (isPatternProblem(parsed)) report(path, parsed.problem, parsed.fix);
  }
};

/** `${capture.…}` is read only where a task's value can be put in: output patterns. */
const refsOnlyInPatterns: Rule = ({ spec, report }) => {
  const allowed = new Set(patternRefs(spec).map((r) => r.path.join("\u0000")));
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value === "string") {
      if (hasCaptureRef(value) && !allowed.has(path.join("\u0000"))) {
        report(
          path,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${capture.NAME} / ${VAR} syntax
          "`${capture.…}` is only read in output patterns (matches, notMatches), where each task's value is known",
          "compare captured values with fleet: (same, distinct, equals), or write the value itself",
        );
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(spec, []);
};

/** `fleet:` compares captures of `expect.capture`: values every task has. */
const fleetNamesCaptures: Rule = ({ spec, report }) => {
  const fleet = spec.fleet;
  if (!isRecord(fleet)) return;
  const capture = isRecord(spec.expect) ? spec.expect.capture : undefined;
  const names = isRecord(capture) ? Object.keys(capture) : [];
  const known = new Set(names);
  let reported = 0;
  const check = (name: unknown, path: (string | number)[], atKey = false) => {
    if (typeof name !== "string" || known.has(name)) return;
    const guess = reported++ < ISSUES_SHOWN ? didYouMean(name, names) : undefined;
    report(
      path,
      names.length === 0
        ? `fleet compares captured values, but expect.capture declares none (\`${name}\`)`
        : `\`${name}\` is not captured (expect.capture has ${someNames(names)})`,
      guess ?? `add it to expect.capture, e.g. ${name}: '/${name}=(\\S+)/'`,
      atKey,
    );
  };
  const same = fleet.same;
  if (Array.isArray(same)) {
    for (const [i, n] of same.entries()) check(n, ["fleet", "same", i]);
  } else check(same, ["fleet", "same"]);
  if (isRecord(fleet.distinct)) check(fleet.distinct.of, ["fleet", "distinct", "of"]);
  if (isRecord(fleet.equals)) {
    for (const name of Object.keys(fleet.equals)) check(name, ["fleet", "equals", name], true);
  }
};

/** An override's `capture:` replaces the spec-wide one: without a name `fleet:` compares, that
 * instance's value would never be read, and the rule would pass over the others alone. */
const overridesKeepFleetCaptures: Rule = ({ spec, report }) => {
  const fleet = spec.fleet;
  if (!isRecord(fleet) || !isRecord(spec.overrides)) return;
  const compared = new Set<string>();
  const same = Array.isArray(fleet.same) ? fleet.same : [fleet.same];
  for (const n of same) if (typeof n === "string") compared.add(n);
  if (isRecord(fleet.distinct) && typeof fleet.distinct.of === "string") {
    compared.add(fleet.distinct.of);
  }
  if (isRecord(fleet.equals)) for (const n of Object.keys(fleet.equals)) compared.add(n);
  const names = [...compared];
  for (const [id, value] of Object.entries(spec.overrides)) {
    if (!isRecord(value) || !isRecord(value.capture)) continue;
    const own = value.capture;
    const lost = names.filter((n) => !Object.hasOwn(own, n));
    if (lost.length === 0) continue;
    // A few names each: 5,000 overrides each naming 5,000 lost names took 1.6 GB.
    report(
      ["overrides", id, "capture"],
      `fleet compares ${someNames(lost.map((n) => `\`${n}\``))}, which this override's capture leaves out: it replaces expect.capture, so ${id}'s value would never be compared`,
      `capture ${someNames(lost)} here too: the spec-wide regex, or one for this instance`,
      true,
    );
  }
};

/** `tat-assert run` starts every `run:` command before any wait: a `run:` spec's command would start
 * before the specs it needs were judged, which is not what `needs:` says. */
const runSpecsNeedNothing: Rule = ({ spec, report }) => {
  if (spec.run === undefined || spec.needs === undefined) return;
  report(
    ["needs"],
    "`needs:` on a `run:` spec is not supported: its command is started with the others, before the specs it needs are judged",
    "judge the command's run in a spec with target: (e.g. target.latest with since), or start it in a later `tat-assert run` step",
    true,
  );
};

export const CAPTURE_RULES: readonly Rule[] = [
  runSpecsNeedNothing,
  capturesHaveAGroup,
  captureRefsResolve,
  refsOnlyInPatterns,
  fleetNamesCaptures,
  overridesKeepFleetCaptures,
];
