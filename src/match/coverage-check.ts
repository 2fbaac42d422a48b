// Which instances had tasks, against the ones the spec names: a listed instance without a task is a
// host the runbook skipped; a task on an unlisted one (with `exactly`) ran where it should not.
import type { AssertionResult, Coverage, Observation } from "../model.js";
import { capList, plural } from "./describe.js";

function expectedText(c: Coverage): string {
  const parts: string[] = [];
  if (c.exact) parts.push(`exactly ${capList(c.exact)}`);
  if (c.include) parts.push(`including ${capList(c.include)}`);
  if (c.count !== undefined) parts.push(`${plural(c.count, "instance")}`);
  if (c.min !== undefined) parts.push(`at least ${plural(c.min, "instance")}`);
  return parts.join("; ");
}

export function coverageCheck(coverage: Coverage, observation: Observation): AssertionResult {
  const seen = [...new Set(observation.tasks.map((t) => t.instanceId))].sort();
  const seenSet = new Set(seen);
  const required = [...(coverage.exact ?? []), ...(coverage.include ?? [])];
  const missing = [...new Set(required)].filter((id) => !seenSet.has(id));
  const exact = coverage.exact ? new Set(coverage.exact) : undefined;
  const unexpected = exact ? seen.filter((id) => !exact.has(id)) : [];
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`no task on ${capList(missing)}`);
  if (unexpected.length > 0) problems.push(`unexpected task on ${capList(unexpected)}`);
  if (coverage.count !== undefined && seen.length !== coverage.count) {
    problems.push(`${plural(seen.length, "instance")}, expected ${coverage.count}`);
  }
  if (coverage.min !== undefined && seen.length < coverage.min) {
    problems.push(`${plural(seen.length, "instance")}, expected at least ${coverage.min}`);
  }
  const base = {
    check: "coverage" as const,
    expected: expectedText(coverage),
    actual: seen.length > 0 ? capList(seen) : "no instances",
    where: coverage.where,
  };
  if (problems.length === 0) {
    return { ...base, outcome: "pass", message: `${plural(seen.length, "instance")} covered` };
  }
  // Without having seen the target, a missing instance says nothing about the runbook.
  const blind =
    observation.state === "not-found" ||
    observation.state === "stopped" ||
    (observation.state === "api-error" && seen.length === 0);
  return {
    ...base,
    outcome: blind ? "error" : "fail",
    message: blind
      ? `not verified: the target was not seen (${observation.state})`
      : problems.join("; "),
  };
}
