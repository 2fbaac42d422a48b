// Semantic rules: what a schema cannot say (regexes compile under RE2, ranges are not empty,
// intervals are ordered, coverage options agree). Each rule is a small function over the written
// spec; they read defensively because they also run on documents the schema rejected elsewhere,
// so that every problem is reported at once.
import { runBlockHolds, targetOrRun } from "../launch/run-rules.js";
import { parseDuration } from "./duration.js";
import { toExitCodeRule, type WrittenExitCode } from "./exit-code-rule.js";
import { exactId } from "./id-kinds.js";
import { isPatternProblem, parsePattern } from "./pattern.js";

export interface RuleContext {
  spec: Record<string, unknown>;
  report(path: (string | number)[], message: string, fix?: string, atKey?: boolean): void;
}

type Rule = (ctx: RuleContext) => void;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every expectations block with its path: `expect` and each `overrides.<instance>`. */
function expectationBlocks(spec: Record<string, unknown>) {
  const blocks: { path: string[]; value: Record<string, unknown> }[] = [];
  if (isRecord(spec.expect)) blocks.push({ path: ["expect"], value: spec.expect });
  if (isRecord(spec.overrides)) {
    for (const [id, value] of Object.entries(spec.overrides)) {
      if (isRecord(value)) blocks.push({ path: ["overrides", id], value });
    }
  }
  return blocks;
}

const patternsCompile: Rule = ({ spec, report }) => {
  for (const block of expectationBlocks(spec)) {
    const output = block.value.output;
    if (!isRecord(output)) continue;
    for (const key of ["matches", "notMatches"] as const) {
      const list = output[key];
      const items = Array.isArray(list) ? list : [list];
      items.forEach((text, i) => {
        if (typeof text !== "string" || text === "") return;
        const parsed = parsePattern(text);
        if (!isPatternProblem(parsed)) return;
        const path = [...block.path, "output", key, ...(Array.isArray(list) ? [i] : [])];
        report(path, parsed.problem, parsed.fix);
      });
    }
  }
};

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

export const RULES: readonly Rule[] = [
  patternsCompile,
  exitCodeRangesNotEmpty,
  waitIsConsistent,
  durationBoundsOrdered,
  coverageAgrees,
  overridesCanApply,
  targetOrRun,
  runBlockHolds,
];

export function applyRules(ctx: RuleContext): void {
  for (const rule of RULES) rule(ctx);
}
