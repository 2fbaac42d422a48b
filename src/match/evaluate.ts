// The pure judgement: a spec and what TAT showed → a verdict per task and for the spec. No I/O, no
// clock; the same inputs always give the same verdict, so it can be re-run from a recording.
import type {
  AssertionResult,
  Observation,
  Outcome,
  Spec,
  SpecVerdict,
  TaskVerdict,
} from "../model.js";
import type { Check } from "./check.js";
import { coverageCheck } from "./coverage-check.js";
import { worst } from "./outcome.js";
import { quorumCheck } from "./quorum-check.js";
import { buildChecks, judgeTask } from "./task.js";
import { tasksCheck } from "./tasks-check.js";
import { waitCheck } from "./wait-check.js";

export function evaluate(spec: Spec, observation: Observation): SpecVerdict {
  if (spec.skip || observation.state === "skipped") return skipped(spec);
  const tasks = judgeTasks(spec, observation);
  const fleet: AssertionResult[] = [tasksCheck(spec, observation)];
  if (spec.coverage) fleet.push(coverageCheck(spec.coverage, observation));
  if (spec.quorum) fleet.push(quorumCheck(spec.quorum, tasks));
  const wait = waitCheck(spec, observation);
  if (wait) fleet.push(wait);
  if (observation.state === "stopped") {
    // Stopped by fail-fast: what could not be checked was not waited for; it is not an error.
    for (const [i, r] of fleet.entries()) {
      if (r.outcome === "error") {
        fleet[i] = { ...r, outcome: "skip", message: `not checked, stopped early: ${r.message}` };
      }
    }
  }
  // With a quorum, task outcomes reach the spec only through the quorum result.
  const outcomes: Outcome[] = fleet.map((r) => r.outcome);
  if (!spec.quorum) outcomes.push(...tasks.map((t) => t.outcome));
  let outcome = worst(outcomes);
  // Stopped early (fail-fast) with nothing failed: unfinished tasks were not checked, so the spec
  // did not pass either.
  if (
    observation.state === "stopped" &&
    outcome === "pass" &&
    tasks.some((t) => t.outcome === "skip")
  ) {
    outcome = "skip";
  }
  return { outcome, tasks, fleet };
}

function judgeTasks(spec: Spec, observation: Observation): TaskVerdict[] {
  const base = buildChecks(spec.expect);
  const perInstance = new Map<string, Check[]>(
    spec.overrides.map((o) => [o.instanceId, buildChecks(o.expect)]),
  );
  // After a fail-fast stop the verdict is already known; tasks not waited for are skipped, not
  // unverifiable, so the spec fails (exit 1) rather than reading as "could not verify".
  const unfinished = observation.state === "stopped" ? "skip" : "error";
  return observation.tasks.map((task) =>
    judgeTask(task, perInstance.get(task.instanceId) ?? base, unfinished),
  );
}

function skipped(spec: Spec): SpecVerdict {
  const reason = spec.skip?.value;
  return {
    outcome: "skip",
    tasks: [],
    fleet: [
      {
        check: "tasks",
        outcome: "skip",
        expected: "not checked",
        actual: "not polled",
        message: reason ? `skipped: ${reason}` : "skipped",
        where: spec.skip?.where ?? spec.where,
      },
    ],
  };
}
