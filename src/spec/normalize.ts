// The written spec (schema-valid, rules passed) → the normalised Spec: defaults applied, every
// expectation located, overrides merged field by field so the evaluator never merges anything.
import { InternalError } from "../errors.js";
import { runBlock } from "../launch/run-block.js";
import type {
  Coverage,
  ExitCodeRule,
  InstanceOverride,
  Located,
  OutputPattern,
  Quorum,
  Since,
  SourceLocation,
  Spec,
  Target,
  TaskExpectations,
  WaitPolicy,
} from "../model.js";
import { DEFAULTS } from "./defaults.js";
import { parseDuration } from "./duration.js";
import { toExitCodeRule, type WrittenExitCode } from "./exit-code-rule.js";
import { jsonOutputRule } from "./json-output.js";
import { captureRules, consistencyRules } from "./normalize-capture.js";
import { isPatternProblem, parsePattern } from "./pattern.js";
import { type Positions, pointer } from "./yaml-source.js";

type Written = Record<string, unknown>;
type Path = (string | number)[];

const FIELDS = ["status", "exitCode", "output", "duration", "truncated", "capture"] as const;

interface Source {
  positions: Positions;
  /** Where the document starts: the location of anything not written. */
  start: SourceLocation;
}

export function normalize(written: Written, file: string, name: string, src: Source): Spec {
  const at = (path: Path): SourceLocation => {
    const p = src.positions.get(pointer(path));
    return p?.key ?? p?.value ?? src.start;
  };
  const valueAt = (path: Path): SourceLocation =>
    src.positions.get(pointer(path))?.value ?? at(path);
  const base = (written.expect ?? {}) as Written;
  const impliedWhere = written.expect === undefined ? src.start : at(["expect"]);
  const expectations = (override?: { id: string; value: Written }): TaskExpectations => {
    const out: TaskExpectations = {};
    for (const field of FIELDS) {
      const fromOverride = override && override.value[field] !== undefined;
      const value = fromOverride ? override.value[field] : base[field];
      if (value === undefined) continue;
      const path: Path = fromOverride ? ["overrides", override.id, field] : ["expect", field];
      assignField(out, field, value, path, at, valueAt);
    }
    if (!out.status && out.exitCode) {
      out.status = { ...statusFromExitCodes(out.exitCode.value), where: out.exitCode.where };
    } else if (!out.status) {
      out.status = { value: [...DEFAULTS.status], where: impliedWhere, implied: true };
    }
    return out;
  };
  const overrides: InstanceOverride[] = Object.entries((written.overrides ?? {}) as Written).map(
    ([id, value]) => ({
      instanceId: id,
      expect: expectations({ id, value: value as Written }),
      where: at(["overrides", id]),
    }),
  );
  const spec: Spec = {
    name,
    file,
    where: src.start,
    // A `run:` spec has no target until `tat-assert run` started it (src/launch/launch.ts).
    target: written.run
      ? { kind: "invocations", invocationIds: [], where: at(["run"]) }
      : target(written.target as Written, at(["target"])),
    wait: wait((written.wait ?? {}) as Written, written.wait ? at(["wait"]) : src.start),
    expect: expectations(),
    overrides,
    allowNoTasks: (written.allowNoTasks as boolean | undefined) ?? DEFAULTS.allowNoTasks,
  };
  if (typeof written.description === "string") spec.description = written.description;
  if (typeof written.region === "string") spec.region = written.region;
  if (written.instances) spec.coverage = coverage(written.instances as Written, at(["instances"]));
  if (written.quorum) spec.quorum = quorum(written.quorum as Written, at(["quorum"]));
  if (typeof written.skip === "string") spec.skip = { value: written.skip, where: at(["skip"]) };
  if (written.run) spec.run = runBlock(written.run as Written, at(["run"]));
  if (written.fleet) spec.consistency = consistencyRules(written.fleet as Written, at, valueAt);
  if (written.needs !== undefined) {
    spec.needs = { value: list(written.needs as string | string[]), where: at(["needs"]) };
  }
  return spec;
}

function assignField(
  out: TaskExpectations,
  field: (typeof FIELDS)[number],
  value: unknown,
  path: Path,
  at: (p: Path) => SourceLocation,
  valueAt: (p: Path) => SourceLocation,
) {
  const where = at(path);
  switch (field) {
    case "status":
      out.status = { value: list(value as string | string[]), where };
      return;
    case "exitCode":
      out.exitCode = {
        value: list(value as WrittenExitCode | WrittenExitCode[]).map((w) => {
          const rule = toExitCodeRule(w);
          if (typeof rule === "object" && "problem" in rule)
            throw new InternalError(`normalize: ${rule.problem}`);
          return rule;
        }),
        where,
      };
      return;
    case "output": {
      const o = value as Written;
      const patterns = (key: "matches" | "notMatches") => {
        const raw = o[key] as string | string[] | undefined;
        if (raw === undefined) return [];
        return list(raw).map((text, i) =>
          pattern(text, valueAt(Array.isArray(raw) ? [...path, key, i] : [...path, key])),
        );
      };
      out.output = { matches: patterns("matches"), notMatches: patterns("notMatches") };
      if (typeof o.allowTruncated === "boolean") {
        out.output.allowTruncated = {
          value: o.allowTruncated,
          where: at([...path, "allowTruncated"]),
        };
      }
      if (typeof o.encoding === "string") {
        out.output.encoding = { value: o.encoding, where: at([...path, "encoding"]) };
      }
      if (o.source === "tat" || o.source === "cos" || o.source === "auto") {
        out.output.source = { value: o.source, where: at([...path, "source"]) };
      }
      if (typeof o.failEarly === "boolean") {
        out.output.failEarly = { value: o.failEarly, where: at([...path, "failEarly"]) };
      }
      if (typeof o.json === "object" && o.json !== null) {
        out.output.json = jsonOutputRule(o.json as Written, [...path, "json"], at, valueAt);
      }
      return;
    }
    case "duration": {
      const d = value as Written;
      const bounds: { minMs?: number; maxMs?: number } = {};
      const min = typeof d.min === "string" ? parseDuration(d.min) : undefined;
      const max = typeof d.max === "string" ? parseDuration(d.max) : undefined;
      if (min !== undefined) bounds.minMs = min;
      if (max !== undefined) bounds.maxMs = max;
      out.duration = { value: bounds, where };
      return;
    }
    case "truncated":
      out.truncated = { value: value as boolean, where } satisfies Located<boolean>;
      return;
    case "capture":
      out.capture = captureRules(value as Written, path, at, valueAt);
      return;
  }
}

/** The statuses an exitCode expectation allows when no status is written: only SUCCESS and
 * FAILED carry an exit code the runbook returned, and FAILED only when a non-zero code is allowed. */
function statusFromExitCodes(rules: ExitCodeRule[]): {
  value: string[];
  implied: true;
  impliedBy: "exitCode";
} {
  const nonZero = rules.some((r) => (typeof r === "number" ? r !== 0 : r.min !== 0 || r.max !== 0));
  return {
    value: nonZero ? ["SUCCESS", "FAILED"] : ["SUCCESS"],
    implied: true,
    impliedBy: "exitCode",
  };
}

function pattern(text: string, where: SourceLocation): OutputPattern {
  const parsed = parsePattern(text);
  if (isPatternProblem(parsed)) throw new InternalError(`normalize: ${parsed.problem}`);
  return { ...parsed, text, where };
}

function target(t: Written, where: SourceLocation): Target {
  if (typeof t.invocationId === "string") {
    return { kind: "invocations", invocationIds: [t.invocationId], where };
  }
  if (Array.isArray(t.invocationIds)) {
    return { kind: "invocations", invocationIds: [...(t.invocationIds as string[])], where };
  }
  if (Array.isArray(t.taskIds))
    return { kind: "tasks", taskIds: [...(t.taskIds as string[])], where };
  if (t.latest) {
    const l = t.latest as Written;
    const out: Target = { kind: "latest", where };
    if (typeof l.commandId === "string") out.commandId = l.commandId;
    if (typeof l.commandName === "string") out.commandName = l.commandName;
    if (Array.isArray(l.instanceIds)) out.instanceIds = [...(l.instanceIds as string[])];
    if (typeof l.since === "string") out.since = since(l.since);
    return out;
  }
  const written = (t.filters ?? {}) as Record<string, string[] | string>;
  const filters = Object.entries(written)
    .filter(([name]) => name !== "since")
    .map(([name, values]) => ({ name, values: [...(values as string[])] }));
  const out: Target = { kind: "filters", filters, where };
  if (typeof written.since === "string") out.since = since(written.since);
  return out;
}

/** A duration means "this long before the wait starts"; anything else is a time (rules checked it). */
function since(text: string): Since {
  const ms = parseDuration(text);
  return ms === undefined ? { at: new Date(Date.parse(text)).toISOString() } : { agoMs: ms };
}

function wait(w: Written, where: SourceLocation): WaitPolicy {
  const ms = (key: string, fallback: number) =>
    (typeof w[key] === "string" ? parseDuration(w[key]) : undefined) ?? fallback;
  return {
    timeoutMs: ms("timeout", DEFAULTS.wait.timeoutMs),
    ...(w.timeout === undefined && { timeoutDefaulted: true }),
    minIntervalMs: ms("minInterval", DEFAULTS.wait.minIntervalMs),
    maxIntervalMs: ms("maxInterval", DEFAULTS.wait.maxIntervalMs),
    notFoundGraceMs: ms("notFoundGrace", DEFAULTS.wait.notFoundGraceMs),
    where,
  };
}

function coverage(c: Written, where: SourceLocation): Coverage {
  const out: Coverage = { where };
  if (Array.isArray(c.exactly)) out.exact = [...(c.exactly as string[])];
  if (Array.isArray(c.include)) out.include = [...(c.include as string[])];
  if (typeof c.count === "number") out.count = c.count;
  if (typeof c.min === "number") out.min = c.min;
  return out;
}

function quorum(q: Written, where: SourceLocation): Quorum {
  const out: Quorum = { where };
  if (typeof q.minPassRatio === "number") out.minPassRatio = q.minPassRatio;
  if (typeof q.maxFailures === "number") out.maxFailures = q.maxFailures;
  return out;
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? [...value] : [value];
}
