// Fault injection: rules pick matching requests (by action, from a scenario time, the next N or
// every Kth) and say how to misbehave. Rules are checked in order; the first that fires wins,
// except that latency from every firing rule adds up.
import { durationMs } from "./duration.js";
import type { FaultRule } from "./types.js";

export type FaultAction =
  | { kind: "error"; code: string; message: string }
  | { kind: "http"; status: number; body: string }
  | { kind: "reset" }
  /** Changes a successful `Response` object in place before it is sent. */
  | { kind: "rewrite"; what: string; rewrite: (response: Record<string, unknown>) => void }
  | { kind: "redirect"; location: string }
  | { kind: "oversize"; bytes: number }
  | { kind: "gzipBomb"; bytes: number };

/** The effects a rule may name; at most one per rule. */
const EFFECTS = [
  "error",
  "httpStatus",
  "reset",
  "corrupt",
  "foreignRecord",
  "totalCountDelta",
  "skipItems",
  "redirect",
  "oversize",
  "gzipBomb",
] as const;

export interface FaultDecision {
  delayMs: number;
  action: FaultAction | undefined;
}

interface ActiveRule {
  rule: FaultRule;
  afterMs: number;
  latencyMs: number;
  seen: number;
  fired: number;
}

/** Problems with a rule, as messages; empty when it is usable. */
export function faultRuleProblems(rule: FaultRule): string[] {
  const problems: string[] = [];
  const kinds = EFFECTS.map((k) => (k === "reset" ? rule.reset === true : rule[k] !== undefined));
  const names = EFFECTS.map((k) => `\`${k}\``).join(", ");
  if (kinds.filter(Boolean).length > 1) {
    problems.push(`give at most one of ${names}`);
  }
  if (!kinds.some(Boolean) && rule.latency === undefined) {
    problems.push(`give one of ${names} or \`latency\``);
  }
  if (rule.corrupt !== undefined && parsePath(rule.corrupt.path) === undefined) {
    problems.push(
      "`corrupt.path` is not a field path like `InvocationTaskSet[0].TaskResult.ExitCode`",
    );
  }
  if (rule.totalCountDelta !== undefined && !Number.isInteger(rule.totalCountDelta)) {
    problems.push("`totalCountDelta` must be an integer");
  }
  for (const key of ["skipItems", "oversize", "gzipBomb"] as const) {
    const v = rule[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
      problems.push(`\`${key}\` must be a positive integer`);
    }
  }
  if (rule.redirect !== undefined && !URL.canParse(rule.redirect)) {
    problems.push("`redirect` must be an absolute URL");
  }
  if (rule.httpStatus !== undefined && !(rule.httpStatus >= 400 && rule.httpStatus <= 599)) {
    problems.push("`httpStatus` must be an HTTP error status (400-599)");
  }
  if (rule.latency !== undefined && durationMs(rule.latency) === undefined) {
    problems.push("`latency` is not a duration (seconds, or e.g. `250ms`, `2s`)");
  }
  if (rule.after !== undefined && durationMs(rule.after) === undefined) {
    problems.push("`after` is not a duration (seconds, or e.g. `250ms`, `2s`)");
  }
  for (const key of ["times", "every"] as const) {
    const v = rule[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
      problems.push(`\`${key}\` must be a positive integer`);
    }
  }
  return problems;
}

export class Faults {
  private readonly rules: ActiveRule[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    for (const r of rules) this.add(r);
  }

  add(rule: FaultRule): void {
    const problems = faultRuleProblems(rule);
    if (problems.length > 0) throw new TypeError(`invalid fault rule: ${problems.join("; ")}`);
    this.rules.push({
      rule,
      afterMs: rule.after === undefined ? 0 : (durationMs(rule.after) as number),
      latencyMs: rule.latency === undefined ? 0 : (durationMs(rule.latency) as number),
      seen: 0,
      fired: 0,
    });
  }

  /** Decides the fate of one request; counts it against every matching rule. */
  decide(action: string, scenarioMs: number): FaultDecision {
    let delayMs = 0;
    let chosen: FaultAction | undefined;
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.action !== undefined && rule.action !== "*" && rule.action !== action) continue;
      if (scenarioMs < active.afterMs) continue;
      if (rule.times !== undefined && active.fired >= rule.times) continue;
      active.seen++;
      if (rule.every !== undefined && active.seen % rule.every !== 0) continue;
      const effect = effectOf(rule);
      if (effect && chosen) continue; // an earlier rule already decided; leave this one unspent
      active.fired++;
      delayMs += active.latencyMs;
      chosen ??= effect;
    }
    return { delayMs, action: chosen };
  }
}

function effectOf(rule: FaultRule): FaultAction | undefined {
  if (rule.error !== undefined) {
    return {
      kind: "error",
      code: rule.error,
      message: rule.message ?? `Injected fault: ${rule.error}.`,
    };
  }
  if (rule.httpStatus !== undefined) {
    return {
      kind: "http",
      status: rule.httpStatus,
      body: rule.body ?? `<html><body><h1>${rule.httpStatus}</h1>injected fault</body></html>`,
    };
  }
  if (rule.reset) return { kind: "reset" };
  if (rule.redirect !== undefined) return { kind: "redirect", location: rule.redirect };
  if (rule.oversize !== undefined) return { kind: "oversize", bytes: rule.oversize };
  if (rule.gzipBomb !== undefined) return { kind: "gzipBomb", bytes: rule.gzipBomb };
  if (rule.corrupt !== undefined) {
    const { path, value, remove } = rule.corrupt;
    const segments = parsePath(path) ?? [];
    return {
      kind: "rewrite",
      what: `corrupt ${path}`,
      rewrite: (r) => setPath(r, segments, value, remove === true),
    };
  }
  if (rule.totalCountDelta !== undefined) {
    const delta = rule.totalCountDelta;
    return {
      kind: "rewrite",
      what: "lying TotalCount",
      rewrite: (r) => {
        if (typeof r.TotalCount === "number") r.TotalCount += delta;
      },
    };
  }
  if (rule.skipItems !== undefined) {
    const n = rule.skipItems;
    return {
      kind: "rewrite",
      what: "page gap",
      rewrite: (r) => {
        const set = recordSet(r);
        if (set) set.splice(0, n);
      },
    };
  }
  if (rule.foreignRecord !== undefined) {
    const mode = rule.foreignRecord;
    return { kind: "rewrite", what: `foreign record (${mode})`, rewrite: (r) => foreign(r, mode) };
  }
  return undefined;
}

function recordSet(r: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const set = r.InvocationTaskSet ?? r.InvocationSet;
  return Array.isArray(set) ? (set as Record<string, unknown>[]) : undefined;
}

/** Ids that no scenario uses: scenario ids are `inv-`/`invt-` + 8 lower-case letters or digits. */
const FOREIGN_INVOCATION = "inv-foreign0";
const FOREIGN_TASK = "invt-foreign0";
const FOREIGN_INSTANCE = "ins-foreign0";

function foreign(r: Record<string, unknown>, mode: "extra" | "reassign"): void {
  const set = recordSet(r);
  const first = set?.[0];
  if (!set || !first) return;
  if (mode === "reassign") {
    first.InvocationId = FOREIGN_INVOCATION;
    if ("InvocationTaskId" in first) first.InstanceId = FOREIGN_INSTANCE;
    return;
  }
  const extra = structuredClone(first);
  extra.InvocationId = FOREIGN_INVOCATION;
  if ("InvocationTaskId" in extra) {
    extra.InvocationTaskId = FOREIGN_TASK;
    extra.InstanceId = FOREIGN_INSTANCE;
  }
  if (Array.isArray(extra.InvocationTaskBasicInfoSet)) {
    extra.InvocationTaskBasicInfoSet = [
      { InvocationTaskId: FOREIGN_TASK, TaskStatus: "SUCCESS", InstanceId: FOREIGN_INSTANCE },
    ];
  }
  set.push(extra);
  if (typeof r.TotalCount === "number") r.TotalCount += 1;
}

type Segment = string | number | "*";

/** `A.B[0].C`, `A[*].B` → segments; undefined when malformed. */
export function parsePath(path: string): Segment[] | undefined {
  const segments: Segment[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\*)\]|(\.)/gy;
  let expectName = true;
  let m: RegExpExecArray | null;
  let last = 0;
  while (last < path.length) {
    re.lastIndex = last;
    m = re.exec(path);
    if (!m) return undefined;
    last = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectName) return undefined;
      segments.push(m[1]);
      expectName = false;
    } else if (m[2] !== undefined) {
      if (expectName) return undefined;
      segments.push(m[2] === "*" ? "*" : Number(m[2]));
    } else {
      if (expectName) return undefined;
      expectName = true;
    }
  }
  return segments.length > 0 && !expectName ? segments : undefined;
}

function setPath(target: unknown, segments: Segment[], value: unknown, remove: boolean): void {
  const [head, ...rest] = segments;
  if (head === undefined || typeof target !== "object" || target === null) return;
  const container = target as Record<string | number, unknown>;
  const keys: (string | number)[] =
    head === "*" ? (Array.isArray(target) ? target.map((_, i) => i) : []) : [head];
  for (const key of keys) {
    if (rest.length > 0) setPath(container[key], rest, value, remove);
    else if (remove) delete container[key];
    else container[key] = structuredClone(value);
  }
}
