// Fault injection: rules pick matching requests (by action, from a scenario time, the next N or
// every Kth) and say how to misbehave. Rules are checked in order; the first that fires wins,
// except that latency from every firing rule adds up.
import { durationMs } from "./duration.js";
import type { FaultRule } from "./types.js";

export type FaultAction =
  | { kind: "error"; code: string; message: string }
  | { kind: "http"; status: number; body: string }
  | { kind: "reset" };

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
  const kinds = [rule.error !== undefined, rule.httpStatus !== undefined, rule.reset === true];
  if (kinds.filter(Boolean).length > 1) {
    problems.push("give at most one of `error`, `httpStatus`, `reset`");
  }
  if (!kinds.some(Boolean) && rule.latency === undefined) {
    problems.push("give one of `error`, `httpStatus`, `reset` or `latency`");
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
  return undefined;
}
