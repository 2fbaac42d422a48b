// Zero matched tasks never passes by accident: a target that matched nothing usually means a wrong
// id or a runbook that never ran.
import type { AssertionResult, Observation, Spec } from "../model.js";
import { plural } from "./describe.js";

export function tasksCheck(spec: Spec, observation: Observation): AssertionResult {
  const n = observation.tasks.length;
  const base = {
    check: "tasks" as const,
    expected: spec.allowNoTasks ? "any number of tasks (allowNoTasks)" : "at least one task",
    actual: plural(n, "task"),
    where: spec.target.where,
  };
  if (n > 0) {
    const empty = invocationsWithoutTasks(spec, observation);
    if (empty.length > 0 && observation.state === "terminal" && !spec.allowNoTasks) {
      // One of several named invocations with nothing in it must not pass on the others' tasks:
      // it was sent nowhere, or its tasks never showed.
      return {
        ...base,
        outcome: "fail",
        actual: `${plural(n, "task")}, none in ${empty.join(", ")}`,
        message: `invocation${empty.length === 1 ? "" : "s"} ${empty.join(", ")} matched no task; set allowNoTasks: true if that is expected`,
      };
    }
    return { ...base, outcome: "pass", message: `${plural(n, "task")} matched the target` };
  }
  if (observation.state !== "terminal") {
    return {
      ...base,
      outcome: "error",
      message: `no task seen before the wait ended (${observation.state})`,
    };
  }
  if (spec.allowNoTasks) {
    return {
      ...base,
      outcome: "pass",
      message: "no task matched the target (allowed by allowNoTasks)",
    };
  }
  return {
    ...base,
    outcome: "fail",
    message: "no task matched the target; set allowNoTasks: true if that is expected",
  };
}

/** The invocations an invocationIds target names that no observed task belongs to. */
function invocationsWithoutTasks(spec: Spec, observation: Observation): string[] {
  if (spec.target.kind !== "invocations") return [];
  const seen = new Set(observation.tasks.map((t) => t.invocationId));
  return spec.target.invocationIds.filter((id) => !seen.has(id));
}
