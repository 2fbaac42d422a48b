// Semantic rules: what a schema cannot say (regexes compile under RE2, ranges are not empty,
// intervals are ordered, coverage options agree). Each rule is a small function over the written
// spec; they read defensively because they also run on documents the schema rejected elsewhere,
// so that every problem is reported at once.

import { runBlockHolds, targetOrRun } from "../launch/run-rules.js";
import { decidableOnPrefix } from "../match/prefix-rule.js";
import { isTaskStatus, isTerminal, TERMINAL_STATUSES } from "../tat/task-status.js";
import { hasCaptureRef, withStandIns } from "./capture-ref.js";
import { CAPTURE_RULES } from "./capture-rules.js";
import { parseDuration } from "./duration.js";
import { emptyMatch } from "./empty-match.js";
import { toExitCodeRule, type WrittenExitCode } from "./exit-code-rule.js";
import { expectationBlocks, isRecord, writtenPatterns } from "./expectation-blocks.js";
import { exactId } from "./id-kinds.js";
import { JSON_RULES } from "./json-rules.js";
import { isPatternProblem, type ParsedPattern, parsePattern } from "./pattern.js";

export interface RuleContext {
  spec: Record<string, unknown>;
  report(path: (string | number)[], message: string, fix?: string, atKey?: boolean): void;
  /** Something that may well be a mistake but can be meant: printed, fails only with --strict. */
  warn?(path: (string | number)[], message: string, fix?: string, atKey?: boolean): void;
}

type Rule = (ctx: RuleContext) => void;

const patternsCompile: Rule = ({ spec, report }) => {
  for (const { path, text } of writtenPatterns(spec)) {
    const parsed = parsePattern(text);
    if (isPatternProblem(parsed)) report(path, parsed.problem, parsed.fix);
  }
};

/** A regex that matches empty text in every output (empty-match.ts) holds whatever the command
 * printed: as `matches` it checks nothing (`/(deploy ok|${EXTRA_OK:-})/` with the default), as
 * `notMatches` it fails every task. Either way the spec does not say what was meant. A pattern
 * that reads `${capture.…}` is read with a one-character stand-in value (quoted: literal text),
 * the most permissive there is: only a quantifier right after the reference (`${capture.v}*`)
 * sees the value's length, and then the message says it holds for a one-character value. */
const patternsTellOutputsApart: Rule = ({ spec, report }) => {
  for (const { path, key, text } of writtenPatterns(spec)) {
    if (!matchesEmptyEverywhere(text)) continue;
    const oneCharOnly = hasCaptureRef(text) && !matchesEmptyEverywhere(text, "xy");
    report(
      path,
      `${text} matches empty text${oneCharOnly ? " when a captured value is one character" : ""}, so every output matches it: ${key === "matches" ? "it checks nothing" : "it fails every task, whatever the command printed"}`,
      "make part of it required: `+` rather than `*`, no `?` on the whole pattern, no empty alternative such as `(ok|)` (which an empty variable default also makes)",
    );
  }
};

function matchesEmptyEverywhere(text: string, standIn?: string): boolean {
  const parsed = parsePattern(withStandIns(text, standIn));
  // A pattern that does not compile is reported by patternsCompile.
  if (isPatternProblem(parsed) || parsed.kind !== "regex") return false;
  return emptyMatch(parsed.source, parsed.flags) !== undefined;
}

const exitCodeRangesNotEmpty: Rule = ({ spec, report }) => {
  for (const block of expectationBlocks(spec)) {
    const written = block.value.exitCode;
    const items = Array.isArray(written) ? written : [written];
    items.forEach((item, i) => {
      const shaped =
        (typeof item === "string" && /^\d+-\d+$/.test(item)) ||
        (isRecord(item) && typeof item.min === "number" && typeof item.max === "number");
      if (!shaped) return;
      const rule = toExitCodeRule(item as WrittenExitCode);
      if (typeof rule === "object" && "problem" in rule) {
        const path = [...block.path, "exitCode", ...(Array.isArray(written) ? [i] : [])];
        report(path, rule.problem, rule.fix);
      }
    });
  }
};

function durationOf(value: unknown): number | undefined {
  return typeof value === "string" ? parseDuration(value) : undefined;
}

const waitIsConsistent: Rule = ({ spec, report }) => {
  if (!isRecord(spec.wait)) return;
  const wait = spec.wait;
  for (const key of ["timeout", "minInterval", "maxInterval"]) {
    if (durationOf(wait[key]) === 0) report(["wait", key], `${key} must be more than 0`);
  }
  const min = durationOf(wait.minInterval);
  const max = durationOf(wait.maxInterval);
  if (min !== undefined && max !== undefined && min > max) {
    report(
      ["wait", "minInterval"],
      `minInterval (${wait.minInterval}) is longer than maxInterval (${wait.maxInterval})`,
      "make minInterval at most maxInterval",
    );
  }
};

const durationBoundsOrdered: Rule = ({ spec, report }) => {
  for (const block of expectationBlocks(spec)) {
    const d = block.value.duration;
    if (!isRecord(d)) continue;
    const min = durationOf(d.min);
    const max = durationOf(d.max);
    if (min !== undefined && max !== undefined && min > max) {
      report(
        [...block.path, "duration"],
        `duration.min (${d.min}) is longer than duration.max (${d.max})`,
        "swap them",
      );
    }
  }
};

const coverageAgrees: Rule = ({ spec, report }) => {
  const c = spec.instances;
  if (!isRecord(c)) return;
  if (c.exactly !== undefined) {
    for (const other of ["include", "count", "min"]) {
      if (c[other] !== undefined) {
        report(
          ["instances", other],
          `\`${other}\` cannot be combined with \`exactly\` (exactly already fixes the set)`,
          `remove \`${other}\`, or use include instead of exactly`,
        );
      }
    }
  }
  if (c.count !== undefined && c.min !== undefined) {
    report(["instances", "min"], "`count` and `min` cannot both be given", "keep one of them");
  }
  const included = Array.isArray(c.include) ? c.include.length : 0;
  if (typeof c.count === "number" && included > c.count) {
    report(
      ["instances", "count"],
      `count is ${c.count} but include already lists ${included} instances`,
      `make count at least ${included}`,
    );
  }
};

const overridesCanApply: Rule = ({ spec, report }) => {
  const c = spec.instances;
  if (!isRecord(spec.overrides) || !isRecord(c) || !Array.isArray(c.exactly)) return;
  const listed = new Set(c.exactly);
  const instance = new RegExp(exactId("instance"));
  for (const id of Object.keys(spec.overrides)) {
    // A key that is not an instance id at all is reported by the schema, with its kind.
    if (!listed.has(id) && instance.test(id)) {
      report(
        ["overrides", id],
        `override for ${id}, which is not in instances.exactly: it can never apply`,
        "add the instance to instances.exactly, or fix the id",
        true,
      );
    }
  }
};

const statusesAreFinal: Rule = ({ spec, report }) => {
  const final = TERMINAL_STATUSES.join(", ");
  for (const block of expectationBlocks(spec)) {
    const written = block.value.status;
    const items = Array.isArray(written) ? written : [written];
    items.forEach((item, i) => {
      // Unknown values are the schema's to report; only real statuses that are not final here.
      if (typeof item !== "string" || !isTaskStatus(item) || isTerminal(item)) return;
      const path = [...block.path, "status", ...(Array.isArray(written) ? [i] : [])];
      report(
        path,
        `${item} is not a final status: tasks are judged only once final, so it could never match`,
        `use final statuses only: ${final}`,
      );
    });
  }
};

/** `since` as a time must be one (the schema checks only its shape). */
const sinceIsATime: Rule = ({ spec, report }) => {
  const target = spec.target;
  if (!isRecord(target)) return;
  for (const key of ["latest", "filters"]) {
    const block = target[key];
    if (!isRecord(block) || typeof block.since !== "string") continue;
    const text = block.since;
    // Only what has the shape of a time (the schema reports anything else).
    if (/^\d{4}-/.test(text) && !isCalendarTime(text)) {
      report(
        ["target", key, "since"],
        `${JSON.stringify(text)} is not a time`,
        "write e.g. 2026-11-30T06:00:00Z, or a duration back from now such as 15m",
      );
    }
  }
};

/** Date.parse rolls a day the month does not have over into the next month (2026-02-30 is
 * March 2nd, 2026-11-31 is December 1st) and 24:00 into the next day: such a `since` would be
 * read as a later time than the one written, so the date and time must exist as written. */
function isCalendarTime(text: string): boolean {
  if (Number.isNaN(Date.parse(text))) return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text);
  if (!m) return true;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour
  );
}

const latestNamesOneCommand: Rule = ({ spec, report }) => {
  const target = spec.target;
  if (!isRecord(target) || !isRecord(target.latest)) return;
  if (target.latest.commandId !== undefined && target.latest.commandName !== undefined) {
    report(
      ["target", "latest", "commandName"],
      "give commandId or commandName, not both",
      "keep commandId: it names exactly one command",
      true,
    );
  }
};

const filtersFilterSomething: Rule = ({ spec, report }) => {
  const target = spec.target;
  if (!isRecord(target) || !isRecord(target.filters)) return;
  const names = Object.keys(target.filters).filter((k) => k !== "since");
  if (names.length === 0 && target.filters.since !== undefined) {
    report(
      ["target", "filters"],
      "`since` alone filters nothing: it would take every task of the account",
      "add a filter such as command-id or instance-id, or use target.latest",
      true,
    );
  }
};

/** Targets that can judge a run from before the one the pipeline started: warnings, since each
 * can be meant (a nightly job checking every run of the day), but --strict refuses them. */
const targetsCannotBeStale: Rule = ({ spec, warn }) => {
  const target = spec.target;
  if (!warn || !isRecord(target)) return;
  if (isRecord(target.filters)) {
    const names = Object.keys(target.filters).filter((k) => k !== "since");
    if (target.filters.since === undefined) {
      warn(
        ["target", "filters"],
        "filters without `since` match every past invocation too: a gate that starts before the new run is visible judges an old one and can pass",
        "add since: 15m, or the time the pipeline started; or use target.latest",
        true,
      );
    }
    if (names.length === 1 && names[0] === "command-id") {
      warn(
        ["target", "filters", "command-id"],
        "filters on command-id alone judge every invocation of the command together, on any instance and from any pipeline",
        "use target.latest to check the newest run, or add instance-id",
        true,
      );
    }
  }
  if (isRecord(target.latest) && target.latest.since === undefined) {
    warn(
      ["target", "latest"],
      "latest without `since` takes the newest invocation visible when the wait starts, which is the previous run if the new one is not visible yet",
      "add since: 15m, or the time the pipeline started",
      true,
    );
  }
};

/** failEarly judges `notMatches` patterns a prefix can decide (match/prefix-rule.ts): with none,
 * it would read running tasks' output for nothing. A warning: the spec still means something. */
const failEarlyCanJudge: Rule = ({ spec, warn }) => {
  if (!warn) return;
  for (const block of expectationBlocks(spec)) {
    const output = block.value.output;
    if (!isRecord(output) || output.failEarly !== true) continue;
    const written = output.notMatches;
    const texts = (Array.isArray(written) ? written : [written]).filter(
      (t): t is string => typeof t === "string" && t !== "",
    );
    const patterns = texts
      .map(parsePattern)
      .filter((p): p is ParsedPattern => !isPatternProblem(p));
    const path = [...block.path, "output", "failEarly"];
    if (patterns.length === 0) {
      warn(
        path,
        "failEarly judges only notMatches, and there is none",
        "add notMatches, or remove failEarly",
        true,
      );
    } else if (!patterns.some((p) => decidableOnPrefix(p))) {
      warn(
        path,
        "every notMatches pattern uses $, \\z or \\B, which can hold at the end of output that is still growing: they are judged on the final output only",
        "match the line without the end anchor, or remove failEarly",
        true,
      );
    }
  }
};

export const RULES: readonly Rule[] = [
  patternsCompile,
  patternsTellOutputsApart,
  exitCodeRangesNotEmpty,
  waitIsConsistent,
  durationBoundsOrdered,
  coverageAgrees,
  overridesCanApply,
  statusesAreFinal,
  sinceIsATime,
  latestNamesOneCommand,
  filtersFilterSomething,
  targetsCannotBeStale,
  targetOrRun,
  runBlockHolds,
  failEarlyCanJudge,
  ...JSON_RULES,
  ...CAPTURE_RULES,
];

export function applyRules(ctx: RuleContext): void {
  for (const rule of RULES) rule(ctx);
}
